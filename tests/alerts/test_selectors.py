"""Lights from the database: approved values only, overdue reports, roll-ups, snapshots, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from minsheng.alerts import selectors
from minsheng.alerts.services import period_close
from minsheng.alerts.status import Status
from minsheng.core.exceptions import NotAllowed
from minsheng.progress import services
from minsheng.progress.models import PeriodSnapshot
from minsheng.progress.services import TransitionError
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def test_only_approved_values_count(world: World) -> None:
    on = dt.date(2024, 3, 20)
    report = filled_report(world, world.item, world.period(3), value="20")
    assert selectors.item_statuses(world.plan, on)[world.item.pk].targets[0].reached is None
    services.report_submit(acting_user=world.reporter, report=report)
    assert selectors.item_statuses(world.plan, on)[world.item.pk].targets[0].reached is None
    services.report_approve(acting_user=world.reviewer, report=report)
    status = selectors.item_statuses(world.plan, on)[world.item.pk]
    assert str(status.targets[0].reached) == "20.0000" and status.targets_done == 1


def test_a_missing_report_after_the_deadline_is_red(world: World) -> None:
    approved_report(world, world.item, world.period(1), value="2")
    assert selectors.item_statuses(world.plan, dt.date(2024, 2, 20))[world.item.pk].status != Status.SEVERE
    late = selectors.item_statuses(world.plan, dt.date(2024, 2, 26))[world.item.pk]
    assert late.status == Status.SEVERE and late.report_overdue


def test_rollups_by_project_unit_and_plan(world: World) -> None:
    on = dt.date(2024, 3, 20)
    second = world.add_item(targets=1)
    approved_report(world, world.item, world.period(2), value="6")  # 30 % vs ~21 % expected
    approved_report(world, second, world.period(2), value="0")  # nothing done, not yet lagging? 21 points
    projects = selectors.project_statuses(world.plan, on)
    plan = selectors.plan_status(world.plan, on)
    units = selectors.unit_statuses(world.plan, on)
    statuses = selectors.item_statuses(world.plan, on)
    assert statuses[second.pk].status == Status.LAGGING
    assert projects[world.item.project_id].status == Status.LAGGING
    assert plan.total == 2 and plan.counts == {"lagging": 1, "on_track": 1}
    assert units[world.lead.pk].total == 2


def test_status_queries_do_not_grow_with_items(world: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        world.add_item(targets=2, milestones=1)
    with django_assert_max_num_queries(14):
        small = selectors.item_statuses(world.plan, dt.date(2024, 5, 1))
    for _ in range(15):
        item = world.add_item(targets=2, milestones=1)
        approved_report(world, item, world.period(4), value="3")
    with django_assert_max_num_queries(14):
        big = selectors.item_statuses(world.plan, dt.date(2024, 5, 1))
    assert len(big) == len(small) + 15


def test_period_close_freezes_lights_and_values(world: World) -> None:
    approved_report(world, world.item, world.period(3), value="4")
    with pytest.raises(NotAllowed):
        period_close(acting_user=world.reviewer, period=world.period(3))
    snapshots = period_close(acting_user=world.office, period=world.period(3))
    snap = PeriodSnapshot.objects.get(period=world.period(3), item=world.item)
    assert (
        len(snapshots) == 1
        and snap.values["targets"][str(world.item.targets.get().pk)]["reached"] == "4.0000"
    )
    assert snap.status == str(selectors.item_statuses(world.plan, world.period(3).end)[world.item.pk].status)
    # Later approvals do not change what March shows.
    approved_report(world, world.item, world.period(4), value="9")
    snap.refresh_from_db()
    assert snap.values["targets"][str(world.item.targets.get().pk)]["reached"] == "4.0000"
    with pytest.raises(TransitionError, match="already closed"):
        period_close(acting_user=world.office, period=world.period(3))
    with pytest.raises(TransitionError, match="closed"):
        services.report_save(
            acting_user=world.reporter, item=world.item, period=world.period(3), progress="x"
        )


def test_period_close_waits_for_pending_reviews(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    with pytest.raises(TransitionError, match="wait for review"):
        period_close(acting_user=world.office, period=world.period(3))


def test_red_light_is_remembered_across_an_extension(world: World) -> None:
    target = world.item.targets.get()
    approved_report(world, world.item, world.period(6), value="2")  # 10 % at end of June: red
    period_close(acting_user=world.office, period=world.period(6))
    assert PeriodSnapshot.objects.get(period=world.period(6)).status == "severe"
    request = services.extension_request(
        acting_user=world.reporter, target=target, requested_due_date=dt.date(2026, 6, 30), reason="征地延误"
    )
    services.extension_decide(acting_user=world.office, request=request, approve=True)
    approved_report(world, world.item, world.period(7), value="3")
    status = selectors.item_statuses(world.plan, dt.date(2024, 7, 20))[world.item.pk]
    assert status.status == Status.SEVERE and status.held


def test_monthly_plan_changes_the_schedule_line(world: World) -> None:
    item = world.add_item(targets=1)
    approved_report(world, item, world.period(3), value="0")
    on = dt.date(2024, 4, 20)
    assert selectors.item_statuses(world.plan, on)[item.pk].status == Status.SEVERE  # linear: ~30 % expected
    services.target_schedule_set(
        acting_user=world.office,
        target=item.targets.get(),
        monthly=[0, 0, 0, 0, 0, 20, 40, 60, 80, 90, 95, 100],
    )
    status = selectors.item_statuses(world.plan, on)[item.pk]
    assert status.status == Status.NOT_STARTED and status.expected == 0.0
