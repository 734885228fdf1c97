"""Reviewers' decisions on submitted reports: approve or return (退回), and the unit told of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.progress import policies
from minsheng.progress.choices import ReportStatus, RevisionAction
from minsheng.progress.models import ProgressReport
from minsheng.progress.services.common import (
    TransitionError,
    _check_period_open,
    _check_version,
    _item_for_write,
    _locked_report,
    _record,
    _require,
    _user_or_none,
    report_data,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def _decide(
    *,
    acting_user: User | None,
    report: ProgressReport,
    status: str,
    comment: str,
    expected_version: int | None,
) -> ProgressReport:
    report = _locked_report(report, with_parts=True)
    report.item = _item_for_write(report.item)
    plan = report.item.project.plan
    _require(
        policies.can_review(acting_user, plan),
        _("Only a reviewer of the plan's region may decide on reports."),
    )
    if not policies.can_approve(acting_user, report):
        raise NotAllowed(_("You cannot decide on your own unit's report."))
    if report.status == status:
        # The same decision again (a double click, a second reviewer): nothing to do, and no conflict.
        return report
    _check_version(report, expected_version)
    _check_period_open(report.period)
    if report.status != ReportStatus.SUBMITTED:
        raise TransitionError(
            _("Only a submitted report can be approved or returned; this one is %s.")
            % report.get_status_display()
        )
    before = report_data(report)
    report.status = status
    report.reviewed_at = timezone.now()
    report.reviewed_by = _user_or_none(acting_user)
    report.review_comment = comment.strip()
    report.version += 1
    report.save()
    action = RevisionAction.APPROVE if status == ReportStatus.APPROVED else RevisionAction.RETURN
    _record(
        report,
        acting_user=acting_user,
        action=action,
        before=before,
        comment=comment.strip(),
        after={**before, "review_comment": report.review_comment},
        bumped=True,
    )
    _notify_unit_of_decision(report)
    return report


def _notify_unit_of_decision(report: ProgressReport) -> None:
    """Tell the unit's reporters (and whoever submitted) that the reviewer approved or returned the report."""
    from django.urls import reverse

    from minsheng.accounts.choices import Role
    from minsheng.accounts.models import User
    from minsheng.notifications.choices import NotificationKind
    from minsheng.notifications.services import notify

    users = list(User.objects.filter(unit_id=report.unit_id, groups__name=Role.REPORTER).distinct())
    submitter = report.submitted_by
    if submitter is not None and all(u.pk != submitter.pk for u in users):
        users.append(submitter)
    if report.status == ReportStatus.APPROVED:
        text = _("Your report on %(item)s for %(period)s was approved.")
    else:
        text = _("Your report on %(item)s for %(period)s was returned: %(comment)s")
    notify(
        users=users,
        kind=NotificationKind.APPROVED
        if report.status == ReportStatus.APPROVED
        else NotificationKind.RETURNED,
        text=text % {"item": report.item, "period": report.period, "comment": report.review_comment},
        link=reverse("progress:report", args=[report.item_id, report.period_id]),
        key=f"report-{report.pk}-{report.status}-v{report.version}",
    )


@transaction.atomic
def report_approve(
    *,
    acting_user: User | None,
    report: ProgressReport,
    comment: str = "",
    expected_version: int | None = None,
) -> ProgressReport:
    """Submitted → approved: the values now count towards progress and reach the public."""
    return _decide(
        acting_user=acting_user,
        report=report,
        status=ReportStatus.APPROVED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def report_return(
    *, acting_user: User | None, report: ProgressReport, comment: str, expected_version: int | None = None
) -> ProgressReport:
    """Submitted → returned (退回) with the reviewer's reason; the unit edits and resubmits."""
    if not (comment or "").strip():
        raise ValidationFailed(_("Say why the report is returned."), field="comment")
    return _decide(
        acting_user=acting_user,
        report=report,
        status=ReportStatus.RETURNED,
        comment=comment,
        expected_version=expected_version,
    )
