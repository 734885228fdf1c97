"""The import, export and publish commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from conftest import JINTAN_GOLD, JINTAN_TEXT
from minsheng.orgs.models import Region
from minsheng.parsing import parse_file
from minsheng.plans.models import Plan

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_dry_run_changes_nothing(db):
    out = run("import", str(JINTAN_GOLD), "--region", "江苏省/常州市/金坛区", "--dry-run")
    assert "10 projects, 30 items" in out and "Dry run" in out
    assert not Plan.objects.exists() and not Region.objects.exists()


def test_import_publish_export(tmp_path, db):
    out = run("import", str(JINTAN_GOLD), "--region", "江苏省/常州市/金坛区")
    plan = Plan.objects.get()
    assert f"Created plan #{plan.pk}" in out
    assert plan.region.parent.name == "常州市"
    # Region and year default to the list's own: the same plan, unchanged.
    again = run("import", str(JINTAN_GOLD))
    assert "no changes" in again and Plan.objects.count() == 1
    assert "Plan #" in run("publish", str(plan.pk))
    assert Plan.objects.get().status == "published"
    target = tmp_path / "out.json"
    call_command("export", str(plan.pk), "--format", "json", "-o", str(target), stderr=io.StringIO())
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["projects"] == json.loads(JINTAN_GOLD.read_text(encoding="utf-8"))["projects"]


def test_import_errors_are_clear(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.docx"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": [{"no": 1}]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.json"):
        run("import", str(bad), "--region", "江苏省/常州市/金坛区")
    with pytest.raises(CommandError, match="full path"):
        run("import", str(JINTAN_GOLD), "--region", "金坛区")
    with pytest.raises(CommandError, match="No plan"):
        run("publish", "999")
    assert not Plan.objects.exists()


def test_jintan_parse_import_export_round_trip(db):
    """parse → import → export gives back the parsed projects, items, units, targets and milestones."""
    parsed = parse_file(JINTAN_TEXT)
    run("import", str(JINTAN_TEXT), "--region", "江苏省/常州市/金坛区")
    plan = Plan.objects.get()
    from minsheng.interchange.services import plan_export_json

    exported = plan_export_json(plan)
    assert exported["projects"] == parsed.content_projects()
    assert (exported["year"], exported["title"]) == (parsed.year, parsed.title)
    # Importing the same file again changes nothing.
    assert "no changes" in run("import", str(JINTAN_TEXT), "--region", "江苏省/常州市/金坛区")


def test_reimport_of_a_published_plan_needs_a_reason_and_prints_conflicts(tmp_path, db):
    from minsheng.plans.models import Adjustment, Target
    from minsheng.plans.services import target_update

    run("import", str(JINTAN_GOLD), "--region", "江苏省/常州市/金坛区")
    plan = Plan.objects.get()
    run("publish", str(plan.pk))
    gold = json.loads(JINTAN_GOLD.read_text(encoding="utf-8"))
    first = gold["projects"][0]["items"][0]["targets"][0]
    target = Target.objects.get(item__project__plan=plan, quote=first["quote"])
    target_update(acting_user=None, target=target, value=str(first["value"] + 1))
    first["value"] += 2
    second = gold["projects"][1]["items"][0]["targets"][0]
    second["value"] += 5  # only the file changes this one
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="published"):
        run("import", str(changed))
    out = run("import", str(changed), "--reason", "人大审议后调整")
    assert "conflict:" in out and "keeps the hand edit" in out
    target.refresh_from_db()
    assert target.value == first["value"] - 1  # the hand edit stays by default
    assert Target.objects.filter(item__project__plan=plan, value=second["value"]).exists()
    adjustment = Adjustment.objects.get()
    assert adjustment.reason == "人大审议后调整" and adjustment.item is not None
