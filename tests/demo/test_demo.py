"""The demo command: regions, the Jintan list, accounts; a second run changes and duplicates nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from minsheng.accounts.models import User
from minsheng.accounts.policies import has_role
from minsheng.demo.services import TOWNS
from minsheng.interchange.models import ImportBatch
from minsheng.orgs.models import Region, Unit
from minsheng.plans.models import Item, ItemUnit, Plan, Target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.delenv("MINSHENG_DEMO_PASSWORD", raising=False)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        m.__name__: m.objects.count() for m in (Region, Unit, Plan, Item, ItemUnit, Target, User, ImportBatch)
    }


def test_demo_sets_up_jintan_and_is_idempotent(settings):
    first = run_demo()
    plan = Plan.objects.get(year=2024)  # the vote makes the 2025 draft (tests/demo/test_participation.py)
    assert plan.status == "published" and plan.year == 2024 and plan.region.name == "金坛区"
    district = plan.region
    assert [r.name for r in (district.parent, district.parent.parent)] == ["常州市", "江苏省"]
    assert sorted(district.children.values_list("name", flat=True)) == sorted(TOWNS)
    assert plan.projects.count() == 10
    # The list's short names resolve to the full names through aliases.
    assert ItemUnit.objects.filter(written_as="区卫健局", unit__name="区卫生健康局").exists()
    lead_units = set(
        ItemUnit.objects.filter(role="lead", item__project__plan=plan).values_list("unit_id", flat=True)
    )
    reporters = User.objects.filter(groups__name="reporter")
    assert set(reporters.values_list("unit_id", flat=True)) == lead_units
    for name, role in (
        ("office", "office"),
        ("reviewer", "reviewer"),
        ("leader", "leader"),
        ("deputy", "deputy"),
        ("sysadmin", "system_admin"),
        ("secadmin", "security_admin"),
        ("auditor", "audit_admin"),
    ):
        assert has_role(User.objects.get(username=name), role)
    password = (settings.VAR_DIR / "demo_password").read_text()
    assert password in first
    assert User.objects.get(username="office").check_password(password)

    before = counts()
    hashes = dict(User.objects.values_list("username", "password"))
    second = run_demo()
    assert counts() == before
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert first.splitlines()[1:] == second.splitlines()[1:]
    assert "already loaded" in second


def test_demo_password_from_environment(monkeypatch):
    monkeypatch.setenv("MINSHENG_DEMO_PASSWORD", "Plum-blossom-2024-demo")
    out = run_demo()
    assert "Plum-blossom-2024-demo" in out
    assert User.objects.get(username="leader").check_password("Plum-blossom-2024-demo")
