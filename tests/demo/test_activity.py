"""demo.activity.seed_activity: months of reports in every state, closed periods, one notice; idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from factories import UserFactory
from minsheng.alerts.selectors import item_statuses
from minsheng.demo.activity import seed_activity, share_reached
from minsheng.progress.models import PartnerContribution, Period, ProgressReport, ReportRevision
from minsheng.supervision.models import SupervisionNotice
from progress.factories import World, build_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 10)  # May's deadline (25 May) has passed, June's has not


@pytest.fixture
def world(district: Any, settings: Any) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world(district)
    for _ in range(9):
        world.add_item(targets=1, milestones=1)
    return world


def test_months_of_reports_in_every_state(world: World) -> None:
    result = seed_activity(world.plan, today=TODAY)
    reports = ProgressReport.objects.filter(item__project__plan=world.plan)
    months = sorted({r.period.number for r in reports.select_related("period")})
    assert months == [2, 3, 4, 5]  # the last four months whose deadline has passed
    assert result.closed_periods == ["2024-02", "2024-03"]
    closed = Period.objects.filter(plan=world.plan, closed_at__isnull=False).values_list("number", flat=True)
    assert sorted(closed) == [2, 3]
    may = Counter(reports.filter(period=world.period(5)).values_list("status", flat=True))
    assert may["draft"] >= 1 and may["submitted"] >= 1 and may["approved"] >= 1
    assert sum(may.values()) == 9  # the severely lagging item missed May
    assert set(reports.exclude(period=world.period(5)).values_list("status", flat=True)) == {"approved"}
    # One report was returned once and resubmitted: its history shows it.
    assert ReportRevision.objects.filter(action="return").count() == 1
    assert PartnerContribution.objects.filter(report__period=world.period(3)).exists()
    # History is dated in its month.
    february = reports.get(item=world.item, period=world.period(2))
    assert february.submitted_at.date() < dt.date(2024, 2, 25)

    lights = Counter(str(s.status) for s in item_statuses(world.plan, on=TODAY).values())
    assert lights["on_track"] >= 3
    assert lights["lagging"] + lights["severe"] >= 2

    notice = SupervisionNotice.objects.get()
    assert notice.status == "replied" and notice.replies.count() == 1
    assert str(item_statuses(world.plan, on=TODAY)[notice.item_id].status) in ("lagging", "severe")


def test_a_second_run_adds_nothing_and_a_later_one_the_new_month(world: World) -> None:
    seed_activity(world.plan, today=TODAY)
    counts = (
        ProgressReport.objects.count(),
        ReportRevision.objects.count(),
        SupervisionNotice.objects.count(),
    )
    again = seed_activity(world.plan, today=TODAY)
    assert (again.reports, again.notices, again.closed_periods) == (0, 0, [])
    assert (
        ProgressReport.objects.count(),
        ReportRevision.objects.count(),
        SupervisionNotice.objects.count(),
    ) == counts
    later = seed_activity(world.plan, today=dt.date(2024, 7, 10))
    assert later.reports >= 9
    assert ProgressReport.objects.filter(period=world.period(6)).count() >= 9


def test_nothing_without_a_reviewer(district: Any) -> None:
    world = build_world(district)
    world.reviewer.groups.clear()
    assert seed_activity(world.plan, today=TODAY).reports == 0
    UserFactory(username="reviewer2", role="reviewer", region=district)
    assert seed_activity(world.plan, today=TODAY).reports > 0


def test_profiles_reach_the_target_at_different_speeds() -> None:
    assert share_reached("on_schedule", 12) == 1.0
    assert share_reached("ahead", 9) == 1.0
    assert share_reached("lagging", 12) < 1.0
    assert share_reached("severe", 6) < share_reached("lagging", 6) < share_reached("on_schedule", 6)


def test_counted_targets_get_whole_numbers_and_some_reports_have_approved_photos(world: World) -> None:
    from minsheng.demo.activity import reached_value
    from minsheng.progress.models import Evidence, TargetValue

    seed_activity(world.plan, today=TODAY)
    counted = TargetValue.objects.filter(report__item__project__plan=world.plan)
    assert counted.exists()
    assert all(v.value == v.value.to_integral() for v in counted)  # targets of 10, 20 公里… are whole
    target = world.item.targets.get()
    target.value = Decimal("2")
    assert reached_value(target, 0.46) == Decimal("1")  # never "0.92 所"
    assert reached_value(target, 0.2) == Decimal("0")
    target.value = Decimal("12.5")
    assert reached_value(target, 0.5) == Decimal("6.25")
    photos = Evidence.objects.filter(report__item__project__plan=world.plan, report__status="approved")
    assert photos.exists() and all(p.is_image and p.public_copy for p in photos)
