"""A submission moves only what it changes: its item's "report overdue" for the last period whose deadline
has passed, and the roll-ups that include the item — updated in place, not a rebuild of the plan (issue 11:
the month-end write path)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from factories import ItemFactory, ItemUnitFactory, ProjectFactory, TargetFactory
from minsheng.alerts.lights import plan_rows
from minsheng.alerts.models import Light, LightKind
from minsheng.alerts.signals import CALLBACK_MARK
from minsheng.plans.models import Plan
from minsheng.progress import services
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def rows(plan: Plan) -> dict[tuple[str, int], tuple[Any, ...]]:
    """Every stored row of the plan, all that pages read of it (parts, reasons, members included)."""
    return {
        (r.kind, r.key): (
            r.on,
            r.status,
            round(r.completion, 9),
            round(r.expected, 9),
            round(r.reference_expected, 9),
            r.total,
            tuple(sorted(r.counts.items())),
            json.dumps(r.values, sort_keys=True, default=str),  # jsonb keeps its own key order
        )
        for r in Light.objects.filter(plan=plan)
    }


def rebuilt(plan: Plan) -> dict[tuple[str, int], tuple[Any, ...]]:
    return {
        (r.kind, r.key): (
            r.on,
            r.status,
            round(r.completion, 9),
            round(r.expected, 9),
            round(r.reference_expected, 9),
            r.total,
            tuple(sorted(r.counts.items())),
            json.dumps(r.values, sort_keys=True, default=str),  # jsonb keeps its own key order
        )
        for r in plan_rows(plan)
    }


def stamps(plan: Plan) -> dict[tuple[str, int], Any]:
    return {(r.kind, r.key): r.computed_at for r in Light.objects.filter(plan=plan)}


def refreshes() -> list[Any]:
    """Plan refreshes due when the current transaction commits (not yet run)."""
    return [
        e[1]
        for e in connection.run_on_commit
        if getattr(e[1], CALLBACK_MARK, None) is not None and not getattr(e[1], "done", False)
    ]


@pytest.fixture
def two_projects(world: World) -> World:
    """The world's plan with a second project whose item nobody touches, its lights stored."""
    project = ProjectFactory(plan=world.plan, no=2, name="健康金坛")
    item = ItemFactory(project=project, position=1, text="新建社区卫生服务站2个。")
    ItemUnitFactory(item=item, unit=world.other, role="lead", position=1)
    TargetFactory(item=item, position=1, quote="新建社区卫生服务站2个", value=Decimal("2"), op=">=")
    # November approved in full: the item is on track but for December's report, overdue.
    approved_report(world, world.item, world.period(11), value="20")
    settle()
    assert Light.objects.filter(plan=world.plan).exists()
    return world


def settle() -> None:
    """Run what the set-up left for a commit the test's transaction never reaches (refreshes)."""
    for entry in list(connection.run_on_commit):
        if not getattr(entry[1], "done", False):
            entry[1]()


def test_a_late_submission_for_the_last_due_period_updates_its_item_and_roll_ups_in_place(
    two_projects: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    world = two_projects
    plan = world.plan
    december = world.period(12)  # light day of a past year: 31 Dec; December's deadline has passed
    report = filled_report(world, world.item, december, value="20")
    assert rows(plan) == rebuilt(plan)
    before, when = rows(plan), stamps(plan)
    assert before[("item", world.item.pk)][1] == "severe"  # overdue: no December report sent
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.report_submit(acting_user=world.reporter, report=report)
        # Inside the submitting transaction the rows are already true (none dropped, none stale).
        assert rows(plan) == rebuilt(plan)
        assert not refreshes()
    after = rows(plan)
    assert after == rebuilt(plan)
    assert json.loads(after[("item", world.item.pk)][7])["report_overdue"] is False
    changed = {key for key in after if after[key] != before[key]}
    assert ("item", world.item.pk) in changed
    assert ("plan", plan.pk) in changed
    assert ("project", world.item.project_id) in changed
    # The other project's item and roll-up were not written.
    other = Light.objects.filter(plan=plan, kind=LightKind.PROJECT).exclude(key=world.item.project_id).get()
    other_item = other.values["items"][0]
    now = stamps(plan)
    assert now[("project", other.key)] == when[("project", other.key)]
    assert now[("item", other_item)] == when[("item", other_item)]
    assert len(callbacks) == 1  # the change stamp, once


def test_a_submission_for_an_earlier_period_writes_no_light(
    two_projects: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    world = two_projects
    plan = world.plan
    report = filled_report(world, world.item, world.period(3))
    before, when = rows(plan), stamps(plan)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(acting_user=world.reporter, report=report)
        assert not refreshes()
    assert rows(plan) == before == rebuilt(plan)
    assert stamps(plan) == when


def test_a_submission_to_a_plan_without_rows_refreshes_it_after_commit(
    two_projects: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    world = two_projects
    plan = world.plan
    report = filled_report(world, world.item, world.period(12), value="20")
    Light.objects.filter(plan=plan).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(acting_user=world.reporter, report=report)
        assert refreshes()
    assert rows(plan) == rebuilt(plan)
    assert rows(plan)[("item", world.item.pk)][1] != "severe"


def test_return_after_a_late_submission_restores_the_overdue_light(
    two_projects: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    world = two_projects
    plan = world.plan
    report = filled_report(world, world.item, world.period(12), value="20")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(acting_user=world.reporter, report=report)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(acting_user=world.reviewer, report=report, comment="请补充照片")
    assert rows(plan) == rebuilt(plan)
    assert rows(plan)[("item", world.item.pk)][1] == "severe"
