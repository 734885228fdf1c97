"""`selectors.reports_visible` (the list the API serves) agrees with the single-report policies."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from minsheng.progress import policies, services
from minsheng.progress.api.views import content_checker
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from minsheng.progress.selectors import reports_visible
from progress.factories import World, approved_report, filled_report


def _reports(world: World) -> list[ProgressReport]:
    draft = filled_report(world, world.item, world.period(3))
    submitted = filled_report(world, world.item, world.period(2))
    services.report_submit(acting_user=world.reporter, report=submitted)
    approved = approved_report(world, world.item, world.period(1))
    return [draft, submitted, approved]


def _users(world: World) -> list[Any]:
    return [
        world.reporter,
        world.partner_reporter,
        world.other_reporter,
        world.reviewer,
        world.office,
        world.leader,
        world.deputy,
    ]


def test_the_list_holds_every_report_whose_content_the_policy_shows(world: World) -> None:
    reports = _reports(world)
    for user in _users(world):
        listed = set(reports_visible(user).values_list("pk", flat=True))
        readable = content_checker(user)
        for report in reports:
            if policies.can_view_report(user, report):
                assert report.pk in listed, (user.username, report.status)
            if report.pk in listed:
                assert readable(report) == policies.can_view_report(user, report), (
                    user.username,
                    report.status,
                )


def test_who_sees_which_report_in_the_list(world: World) -> None:
    reports = _reports(world)
    seen = {
        user.username: sorted(
            str(r.status) for r in reports_visible(user).filter(pk__in=[r.pk for r in reports])
        )
        for user in _users(world)
    }
    every = sorted([ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED])
    assert seen == {
        "zhujian": every,
        "shuili": every,
        "jiaoyu": [],
        "reviewer": every,
        "office": every,
        "leader": every,
        "deputy": [ReportStatus.APPROVED],
    }
    assert not reports_visible(AnonymousUser()).exists()
