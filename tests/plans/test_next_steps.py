"""The plan page's "what next" strip: import → check → publish → periods → accounts → reporting."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from factories import (
    PASSWORD,
    ItemFactory,
    ItemUnitFactory,
    PlanFactory,
    ProjectFactory,
    UnitFactory,
    UserFactory,
)
from progress.factories import World, approved_report

pytestmark = pytest.mark.django_db


def _steps(client: Any, plan: Any) -> dict[str, str]:
    html = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    found = re.findall(r'<li class="plan-step (\w+)".*?(?:<a [^>]*>|<span>)([^<]+)<', html, flags=re.S)
    return {label: state for state, label in found}


def test_a_fresh_draft_says_what_comes_next(client: Any, district: Any) -> None:
    office = UserFactory(role="office", region=district)
    plan = PlanFactory(region=district, year=2025, status="draft")
    item = ItemFactory(project=ProjectFactory(plan=plan, no=1))
    ItemFactory(project=item.project, position=2)  # no lead unit yet
    ItemUnitFactory(item=item, unit=UnitFactory(region=district), role="lead", position=1)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=office.username, password=PASSWORD)
    steps = _steps(client, plan)
    assert steps == {
        "Import": "done",
        "Check": "next",
        "Publish": "todo",
        "Periods": "todo",
        "Accounts": "todo",
        "Reporting": "todo",
    }
    html = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert "1 item(s) without a lead unit" in html


def test_a_published_plan_with_reports_moves_along(client: Any, world: World) -> None:
    approved_report(world, world.item, world.period(12))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.office.username, password=PASSWORD)
    steps = _steps(client, world.plan)
    assert [steps[k] for k in ("Import", "Check", "Publish", "Periods", "Accounts")] == ["done"] * 5
    assert steps["Reporting"] == "done"
    html = client.get(reverse("plans:plan_detail", args=[world.plan.pk])).content.decode()
    assert "12 reporting periods" in html and "1 of 1 lead units have a reporter" in html
    assert reverse("progress:inbox") + f"?plan={world.plan.pk}" in html


def test_readers_do_not_get_the_strip(client: Any, world: World) -> None:
    client.login(username=world.leader.username, password=PASSWORD)
    html = client.get(reverse("plans:plan_detail", args=[world.plan.pk])).content.decode()
    assert "plan-step" not in html


def test_publishing_from_the_page_makes_periods_the_done_step(client: Any, world: World) -> None:
    plan = PlanFactory(region=world.plan.region, year=2025, status="draft")
    item = ItemFactory(project=ProjectFactory(plan=plan, no=1))
    ItemUnitFactory(item=item, unit=world.lead, role="lead", position=1)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.login(username=world.office.username, password=PASSWORD)
    client.post(reverse("plans:plan_publish", args=[plan.pk]), {"confirm": "yes"})
    steps = _steps(client, plan)
    assert steps["Publish"] == "done" and steps["Periods"] == "done" and steps["Reporting"] == "next"
