"""Importing a list: preview, commit, re-import (same and edited), failure leaves nothing behind."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError

from factories import UnitAliasFactory, UnitFactory, parsed_plan
from minsheng.audit.models import AuditEvent
from minsheng.core.exceptions import NotAllowed
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.services import (
    ImportFailed,
    import_batch_commit,
    import_batch_create,
    plan_export_json,
    plan_import,
    plan_import_preview,
)
from minsheng.orgs.models import Unit
from minsheng.parsing import Item as ParsedItem
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Target as ParsedTarget
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target

pytestmark = pytest.mark.django_db

ROW_MODELS = (Plan, Project, Item, ItemUnit, Target, Milestone, Unit, ImportBatch, AuditEvent)


def snapshot() -> dict[str, Any]:
    """Every row of the plan tables, to compare before and after."""
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in ROW_MODELS}


def plan_rows(plan: Plan) -> list[tuple[Any, ...]]:
    """The plan's content rows with their pks, in order."""
    return list(
        Target.objects.filter(item__project__plan=plan)
        .order_by("item__project__position", "item__position", "position")
        .values_list("pk", "item_id", "item__position", "position", "quote", "value", "unit", "op")
    ) + list(Item.objects.filter(project__plan=plan).order_by("pk").values_list("pk", "position", "text"))


def do_import(parsed: ParsedPlan, region: Any, user: Any = None, **kwargs: Any) -> Any:
    return plan_import(
        acting_user=user, parsed=parsed, region=region, year=None, source_name="list.txt", **kwargs
    )


def test_first_import_creates_plan_projects_items_units_targets(district, office):
    result = do_import(parsed_plan(), district, office, source_bytes=b"the file")
    plan = result.plan
    assert result.created
    assert (plan.region, plan.year, plan.status) == (district, 2024, "draft")
    assert plan.title == "2024年常州市金坛区民生实事项目清单"
    assert plan.source_file.read() == b"the file"
    assert plan.projects.count() == 2
    assert Item.objects.filter(project__plan=plan).count() == 4
    assert Target.objects.filter(item__project__plan=plan).count() == 8
    assert Milestone.objects.filter(item__project__plan=plan).count() == 4
    first = Item.objects.get(project__plan=plan, project__no=1, position=1)
    assert [iu.written_as for iu in first.item_units.filter(role="lead")] == ["区卫健局"]
    assert [iu.written_as for iu in first.item_units.filter(role="partner").order_by("position")] == [
        "各镇（街道）",
        "金城镇",
    ]
    target = first.targets.get(position=2)
    assert (target.value, target.unit, target.op) == (Decimal(1100), "人", ">=")
    assert target.due_date.isoformat() == "2024-12-31"
    assert result.batch.status == "committed" and result.batch.created_by == office
    event = AuditEvent.objects.get(action="import", plan=plan)
    assert event.actor == office and event.after["created"] is True


def test_units_resolve_by_name_alias_and_group(district):
    health = UnitFactory(name="区卫生健康局", region=district)
    UnitAliasFactory(unit=health, name="区卫健局")
    preview = plan_import_preview(parsed=parsed_plan(), region=district, year=None)
    by_written = {u.written_as: u for u in preview.units}
    assert by_written["区卫健局"].unit_id == health.pk and by_written["区卫健局"].via == "alias"
    assert by_written["金城镇"].via == "name"
    assert by_written["各镇（街道）"].via == "group" and by_written["各镇（街道）"].unit_id is None
    assert {u.written_as for u in preview.units_new} == {"各镇（街道）", "区测试局1", "区测试局2"}

    plan = do_import(parsed_plan(), district).plan
    item = Item.objects.get(project__plan=plan, project__no=1, position=1)
    lead = item.item_units.get(role="lead")
    assert lead.unit == health and lead.written_as == "区卫健局"
    group = item.item_units.get(role="partner", position=1).unit
    assert group.kind == "group" and group.region == district
    # The group stands for the district's towns and streets.
    from minsheng.orgs.selectors import group_members

    assert sorted(u.name for u in group_members(group)) == ["儒林镇", "金城镇"]


def test_reimport_of_same_list_changes_nothing(district, office):
    first = do_import(parsed_plan(), district, office)
    before = plan_rows(first.plan)
    updated_at = Plan.objects.get(pk=first.plan.pk).updated_at
    units = Unit.objects.count()
    second = do_import(parsed_plan(), district, office)
    assert second.plan.pk == first.plan.pk
    assert not second.created and not second.changed
    assert second.preview.is_unchanged
    assert plan_rows(second.plan) == before
    assert Plan.objects.get(pk=first.plan.pk).updated_at == updated_at
    assert Unit.objects.count() == units
    assert Plan.objects.count() == 1


def test_edited_list_applies_diff_and_keeps_unchanged_target_pks(district, office):
    plan = do_import(parsed_plan(projects=2, items=3), district, office).plan
    targets = {t.quote: t.pk for t in Target.objects.filter(item__project__plan=plan)}
    removed_item_text = parsed_plan(projects=2, items=3).projects[1].items[0].text

    edited = parsed_plan(projects=2, items=3)
    p1 = edited.projects[0]
    p1.items[1].targets[0].value = Decimal(99)  # modified target: same quote, new value
    p1.items.insert(
        0,
        ParsedItem(
            text="新增：建设城市书房3个。",
            lead_units=["区文旅局"],
            targets=[
                ParsedTarget(quote="城市书房3个", value=Decimal(3), unit="个"),
            ],
        ),
    )
    del edited.projects[1].items[0]
    edited.projects[1].items[0].targets.append(
        ParsedTarget(quote="新增停车位200个", value=Decimal(200), unit="个")
    )

    preview = plan_import_preview(parsed=edited, region=district, year=None)
    kinds = sorted((c.action, c.kind) for c in preview.changes)
    assert kinds == [
        ("added", "item"),
        ("added", "target"),
        ("modified", "target"),
        ("removed", "item"),
    ]
    result = do_import(edited, district, office)
    assert result.plan.pk == plan.pk and result.changed

    after = {t.quote: t for t in Target.objects.filter(item__project__plan=plan)}
    # Unchanged targets keep their rows; the modified one keeps its pk with the new value.
    changed_quote = p1.items[2].targets[0].quote
    assert after[changed_quote].pk == targets[changed_quote]
    assert after[changed_quote].value == Decimal(99)
    for quote, pk in targets.items():
        if quote in after:
            assert after[quote].pk == pk
    assert "城市书房3个" in after and "新增停车位200个" in after
    assert not Item.objects.filter(project__plan=plan, text=removed_item_text).exists()
    # Positions follow the edited list.
    texts = list(
        Item.objects.filter(project__plan=plan, project__no=1)
        .order_by("position")
        .values_list("text", flat=True)
    )
    assert texts == [i.text for i in p1.items]
    # Each change is audited.
    assert AuditEvent.objects.filter(plan=plan, message__startswith="import: ").count() == 4
    # And importing the edited list again changes nothing.
    assert not do_import(edited, district, office).changed


def test_edited_units_are_replaced(district):
    plan = do_import(parsed_plan(), district).plan
    edited = parsed_plan()
    edited.projects[0].items[0].partner_units = ["儒林镇"]
    result = do_import(edited, district)
    assert [c.kind for c in result.preview.changes] == ["item"]
    item = Item.objects.get(project__plan=plan, project__no=1, position=1)
    assert list(item.item_units.filter(role="partner").values_list("written_as", flat=True)) == ["儒林镇"]


def test_removed_project_and_renumbered_projects(district):
    plan = do_import(parsed_plan(projects=3, items=1), district).plan
    kept = Project.objects.get(plan=plan, no=3).pk
    edited = parsed_plan(projects=3, items=1)
    del edited.projects[1]
    edited.projects[1].no = 2  # project 3 becomes number 2
    result = do_import(edited, district)
    assert sorted((c.action, c.kind) for c in result.preview.changes) == [
        ("modified", "project"),
        ("removed", "project"),
    ]
    assert list(Project.objects.filter(plan=plan).order_by("no").values_list("no", "name")) == [
        (1, "测试项目1"),
        (2, "测试项目3"),
    ]
    assert Project.objects.get(plan=plan, no=2).pk == kept


def test_failed_import_changes_nothing(district, office):
    do_import(parsed_plan(), district, office)
    before = snapshot()
    edited = parsed_plan(projects=3)
    real_bulk_create = Target.objects.bulk_create

    calls = {"n": 0}

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # after the first project's rows are written
            raise DatabaseError("disk full")
        return real_bulk_create(*args, **kwargs)

    with (
        mock.patch.object(type(Target.objects), "bulk_create", side_effect=failing),
        pytest.raises(DatabaseError),
    ):
        do_import(edited, district, office, source_bytes=b"x")
    assert calls["n"] == 2
    assert snapshot() == before


def test_failed_first_import_leaves_no_plan_or_file(district, settings, tmp_path):
    with (
        mock.patch(
            "minsheng.interchange.services.commit.ItemUnit.objects.bulk_create",
            side_effect=DatabaseError("boom"),
        ),
        pytest.raises(DatabaseError),
    ):
        do_import(parsed_plan(), district, source_bytes=b"file")
    assert Plan.objects.count() == 0 and Unit.objects.filter(kind="group").count() == 0
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_invalid_list_is_refused_with_locations(district):
    bad = parsed_plan()
    bad.projects[1].no = 1
    bad.projects[0].items[0].targets[0].range_max = Decimal(0)
    with pytest.raises(ImportFailed) as info:
        do_import(bad, district)
    errors = "\n".join(info.value.errors)
    assert "project 1: the number 1 is used twice" in errors
    assert "project 1, item 1, target 1" in errors and "range" in errors
    assert Plan.objects.count() == 0


def test_year_is_required(district):
    parsed = parsed_plan()
    parsed.year = None
    with pytest.raises(ImportFailed, match="year"):
        do_import(parsed, district)
    plan = plan_import(acting_user=None, parsed=parsed, region=district, year=2025, source_name="x.txt").plan
    assert plan.year == 2025 and plan.title == "2024年常州市金坛区民生实事项目清单"


def test_only_office_of_the_region_imports(district):
    from factories import RegionFactory, UserFactory

    reporter = UserFactory(role="reporter")
    with pytest.raises(NotAllowed):
        do_import(parsed_plan(), district, reporter)
    other = RegionFactory(name="溧阳市", code="320481", level="district")
    foreign_office = UserFactory(role="office", region=other)
    with pytest.raises(NotAllowed):
        do_import(parsed_plan(), district, foreign_office)
    assert Plan.objects.count() == 0


def test_upload_batch_preview_then_commit(district, office, jintan_gold):
    import json

    data = json.dumps(jintan_gold, ensure_ascii=False).encode()
    batch = import_batch_create(
        acting_user=office, source_bytes=data, source_name="jintan.json", region=district
    )
    assert batch.status == "previewed" and batch.year == 2024
    assert batch.preview["counts"]["projects"] == 10
    assert Plan.objects.count() == 0
    result = import_batch_commit(acting_user=office, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.plan == result.plan
    assert result.plan.source_file.name == batch.source_file.name
    with pytest.raises(ImportFailed):
        import_batch_commit(acting_user=office, batch=batch)


def test_unreadable_upload_stores_nothing(district, office):
    with pytest.raises(ImportFailed):
        import_batch_create(
            acting_user=office, source_bytes=b"{not json", source_name="x.json", region=district
        )
    assert ImportBatch.objects.count() == 0


def test_export_round_trip_small(district):
    parsed = parsed_plan()
    plan = do_import(parsed, district).plan
    exported = plan_export_json(plan)
    assert exported["projects"] == parsed.content_projects()
    assert exported["region"] == "常州市金坛区" and exported["year"] == 2024


def test_jintan_gold_round_trip(district, jintan_gold):
    """Plan JSON → import → export gives the same projects, items, units, targets and milestones."""
    parsed = ParsedPlan.from_dict(copy.deepcopy(jintan_gold))
    plan = do_import(parsed, district).plan
    assert plan_export_json(plan)["projects"] == jintan_gold["projects"]


def test_preview_warns_when_removed_rows_have_records(district):
    from django.apps import apps

    schedule_model = apps.get_model("progress", "TargetSchedule")  # a record kept against a target
    plan = do_import(parsed_plan(projects=2, items=2), district).plan
    doomed = Target.objects.get(item__project__plan=plan, item__project__no=2, item__position=1, position=1)
    schedule_model.objects.create(target=doomed, monthly=[0] * 11 + [100])
    edited = parsed_plan(projects=2, items=2)
    del edited.projects[1].items[0]
    preview = plan_import_preview(parsed=edited, region=district, year=None)
    assert any(w.startswith("project 2, item 1: removing it also deletes") for w in preview.warnings)
    assert not any("project 1" in w and "deletes" in w for w in preview.warnings)
