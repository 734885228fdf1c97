"""Reporter and reviewer safeguards: unusual values are confirmed and flagged, decisions are idempotent,
the queue is grouped by plan, and the notifications say what happened."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from factories import PASSWORD, ItemFactory, ItemUnitFactory, PlanFactory, ProjectFactory, TargetFactory
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.models import Notification
from minsheng.progress import services
from minsheng.progress.choices import ReportStatus, RevisionAction
from minsheng.progress.models import ProgressReport
from progress.factories import World, approved_report, filled_report

pytestmark = pytest.mark.django_db


def as_user(client: Any, user: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _post_report(client: Any, world: World, month: int, value: str, **extra: Any) -> Any:
    target = world.item.targets.get()
    milestone = world.item.milestones.get()
    report = ProgressReport.objects.filter(item=world.item, period=world.period(month)).first()
    data = {
        "version": report.version if report else "",
        f"t-{target.pk}": value,
        f"m-{milestone.pk}": "in_progress",
        "progress": "完成管网改造",
        "action": "submit",
        **extra,
    }
    return client.post(reverse("progress:report", args=[world.item.pk, world.period(month).pk]), data)


def test_a_value_beyond_the_target_asks_the_reporter_to_confirm(client: Any, world: World) -> None:
    as_user(client, world.reporter)
    response = _post_report(client, world, 3, "45")  # the target is 20 公里
    assert response.status_code == 400
    page = response.content.decode()
    assert "45 is beyond the target of 20" in page and 'name="confirm"' in page
    report = ProgressReport.objects.get(item=world.item, period=world.period(3))
    assert report.status == ReportStatus.DRAFT  # kept as a draft, not submitted
    response = _post_report(client, world, 3, "45", confirm="1")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    submit = report.revisions.filter(action=RevisionAction.SUBMIT).get()
    assert "Confirmed by the reporter" in submit.comment and "45" in submit.comment
    client.logout()
    queue = as_user(client, world.reviewer).get(reverse("progress:queue")).content.decode()
    assert "Values the reporter confirmed as unusual" in queue and "45 is beyond the target of 20" in queue


def test_a_value_below_last_months_cumulative_is_flagged(client: Any, world: World) -> None:
    approved_report(world, world.item, world.period(2), value="8")
    report = filled_report(world, world.item, world.period(3), value="5")
    with pytest.raises(services.NeedsConfirmation) as caught:
        services.report_submit(acting_user=world.reporter, report=report)
    assert "5 is below the 8 already approved" in caught.value.warnings[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    services.report_submit(acting_user=world.reporter, report=report, confirmed=True)
    submit = report.revisions.filter(action=RevisionAction.SUBMIT).get()
    assert caught.value.warnings[0] in submit.comment  # what the reviewer is shown as confirmed


def test_ordinary_values_need_no_confirmation(world: World) -> None:
    approved_report(world, world.item, world.period(2), value="8")
    report = filled_report(world, world.item, world.period(3), value="12")
    submitted = services.report_submit(acting_user=world.reporter, report=report)  # no confirmation asked
    assert submitted.status == ReportStatus.SUBMITTED
    assert "Confirmed by the reporter" not in submitted.revisions.get(action=RevisionAction.SUBMIT).comment


def test_a_double_click_on_approve_is_a_no_op_without_a_false_conflict(client: Any, world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    report.refresh_from_db()
    as_user(client, world.reviewer)
    url = reverse("progress:decide", args=[report.pk])
    first = client.post(url, {"action": "approve", "version": report.version}, follow=True).content.decode()
    second = client.post(url, {"action": "approve", "version": report.version}, follow=True).content.decode()
    assert "Approved:" in first
    assert "Already approved" in second and "Someone else changed" not in second
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.revisions.filter(action=RevisionAction.APPROVE).count() == 1
    # Returning an approved report is refused with a reason, and changes nothing.
    third = client.post(
        url, {"action": "return", "comment": "再看看", "version": report.version}, follow=True
    )
    assert "Only a submitted report" in third.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_second_return_is_a_no_op_too(world: World) -> None:
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_return(acting_user=world.reviewer, report=report, comment="补照片")
    again = services.report_return(
        acting_user=world.reviewer, report=report, comment="补照片", expected_version=1
    )
    assert again.status == ReportStatus.RETURNED
    assert report.revisions.filter(action=RevisionAction.RETURN).count() == 1


def test_the_queue_is_grouped_by_plan_and_the_buttons_differ(client: Any, world: World) -> None:
    other = PlanFactory(region=world.plan.region, year=2025, status="published", title="2025年民生实事项目")
    item = ItemFactory(project=ProjectFactory(plan=other, no=1))
    ItemUnitFactory(item=item, unit=world.lead, role="lead", position=1)
    TargetFactory(item=item, position=1)
    periods = services.periods_generate(acting_user=world.office, plan=other)
    for it, period in ((world.item, world.period(3)), (item, periods[2])):
        services.report_submit(acting_user=world.reporter, report=filled_report(world, it, period, value="1"))
    page = as_user(client, world.reviewer).get(reverse("progress:queue")).content.decode()
    first, second = page.index(other.title), page.index(world.plan.title)
    assert first < second  # newest plan first, each plan named once as a heading
    assert page.count('class="queue-plan"') == 2
    assert 'class="decision-approve"' in page and 'class="decision-return"' in page


def test_the_report_status_shows_no_version_number(client: Any, world: World) -> None:
    filled_report(world, world.item, world.period(3))
    page = as_user(client, world.reporter).get(
        reverse("progress:report", args=[world.item.pk, world.period(3).pk])
    )
    assert " v1" not in page.content.decode() and " v2" not in page.content.decode()


def test_decisions_notify_with_their_own_kind(world: World) -> None:
    approved_report(world, world.item, world.period(2))
    report = filled_report(world, world.item, world.period(3))
    services.report_submit(acting_user=world.reporter, report=report)
    services.report_return(acting_user=world.reviewer, report=report, comment="补照片")
    kinds = set(Notification.objects.filter(user=world.reporter).values_list("kind", flat=True))
    assert {NotificationKind.APPROVED, NotificationKind.RETURNED} <= kinds
    assert NotificationKind.OTHER not in kinds
