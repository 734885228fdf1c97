"""Stored lights: kept current by every change, equal to a rebuild, never read stale (issue 11)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.accounts.models import User
from minsheng.alerts.lights import item_lights, plan_rows
from minsheng.alerts.models import Light, LightKind
from minsheng.alerts.selectors import item_statuses
from minsheng.plans.models import Item, Plan, Target
from minsheng.plans.services import target_update
from minsheng.progress.services import item_end, reporting_settings_update

pytestmark = pytest.mark.django_db


def stored(plan: Plan) -> set[tuple[Any, ...]]:
    return {
        (
            r.kind,
            r.key,
            r.on,
            r.status,
            round(r.completion, 9),
            round(r.expected, 9),
            r.total,
            tuple(sorted(r.counts.items())),
        )
        for r in Light.objects.filter(plan=plan)
    }


def rebuilt(plan: Plan) -> set[tuple[Any, ...]]:
    return {
        (
            r.kind,
            r.key,
            r.on,
            r.status,
            round(r.completion, 9),
            round(r.expected, 9),
            r.total,
            tuple(sorted(r.counts.items())),
        )
        for r in plan_rows(plan)
    }


@pytest.fixture
def demo(demo_year: Plan) -> Plan:
    return demo_year


def test_incremental_equals_rebuild_after_each_change(
    demo: Plan, django_capture_on_commit_callbacks: Any
) -> None:
    plan = demo
    office = User.objects.get(username="office")
    assert stored(plan) and stored(plan) == rebuilt(plan)
    items = list(Item.objects.filter(project__plan=plan).order_by("pk"))
    target = Target.objects.filter(item__project__plan=plan).order_by("pk").first()
    assert target is not None
    changes = [
        lambda: target_update(acting_user=office, target=target, value=target.value * 2),
        lambda: item_end(acting_user=office, item=items[1], kind="terminated", reason="并入其他项目"),
        lambda: reporting_settings_update(
            acting_user=office, plan=plan, lag_threshold=Decimal("1"), severe_threshold=Decimal("2")
        ),
    ]
    for step, change in enumerate(changes):
        before = stored(plan)
        with django_capture_on_commit_callbacks(execute=True):
            change()
            # Inside the changing transaction nothing stale is left to read.
            assert not Light.objects.filter(plan=plan).exists()
        assert stored(plan) == rebuilt(plan)
        assert stored(plan) != before, step  # each change moved some light
    incremental = stored(plan)
    call_command("lights", stdout=io.StringIO())
    assert stored(plan) == incremental


def test_readers_compute_a_plan_without_rows_live(demo: Plan) -> None:
    plan = demo
    fresh = item_lights([plan])
    Light.objects.filter(plan=plan).delete()
    assert item_lights([plan]) == fresh == item_statuses(plan)


def test_rows_of_an_earlier_day_are_not_read(demo: Plan) -> None:
    plan = demo
    Light.objects.filter(plan=plan, kind=LightKind.PLAN).update(on=dt.date(2024, 6, 30))
    Light.objects.filter(plan=plan, kind=LightKind.ITEM).update(status="severe")
    lights = item_lights([plan])
    assert lights == item_statuses(plan)


def test_the_command_refuses_an_unknown_plan(demo: Plan) -> None:
    with pytest.raises(CommandError, match="no plan with id 999"):
        call_command("lights", "--plan", "999", stdout=io.StringIO())
