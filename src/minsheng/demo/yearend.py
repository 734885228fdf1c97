"""Demo year end: Jintan's 2024 year read as of the district people's congress meeting, closed, and its
unfinished items carried into the 2025 draft plan (the vote's, when it made one; else a new draft).

Idempotent: a date set stays, a closed year stays closed, carried items are not carried again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.demo.activity import _backdate, _staff
from minsheng.plans.models import Plan
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ProgressReport
from minsheng.progress.services import report_approve
from minsheng.yearend.selectors import year_over
from minsheng.yearend.services import carry_over, year_close, year_end_date_set

# 金坛区 people's congress meets in January: its year-end reading date for 2024.
READING_DAY = dt.date(2025, 1, 20)


@dataclass
class YearEndDemo:
    closed: bool
    carried: int
    next_plan: Plan | None


def _decide_waiting(plan: Plan) -> None:
    """Before closing, the reviewer decides the reports still in the queue (a year with reports waiting
    for review does not close), dated in their month like the rest of the seeded history."""
    reviewer = _staff(plan, Role.REVIEWER)
    waiting = ProgressReport.objects.filter(item__project__plan=plan, status=ReportStatus.SUBMITTED)
    for report in waiting.select_related("period").order_by("period__start", "pk"):
        if reviewer is not None:
            _backdate(report_approve(acting_user=reviewer, report=report, comment="同意。"), report.period)


def seed_year_end(plan: Plan, *, today: dt.date | None = None) -> YearEndDemo:
    """Set the reading date, close the year and carry over (each step only once)."""
    today = today or timezone.localdate()
    office = _staff(plan, Role.OFFICE)
    plan.refresh_from_db()
    if office is None or not year_over(plan, today):
        return YearEndDemo(closed=plan.year_closed_at is not None, carried=0, next_plan=None)
    if plan.year_closed_at is None:
        _decide_waiting(plan)
        if plan.year_end_on is None and READING_DAY.year == plan.year + 1 and today >= READING_DAY:
            year_end_date_set(acting_user=office, plan=plan, on=READING_DAY)
        year_close(acting_user=office, plan=plan, today=today)
    result = carry_over(acting_user=office, plan=plan)
    return YearEndDemo(closed=True, carried=len(result.carried), next_plan=result.plan)
