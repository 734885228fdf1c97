"""Reporting settings and periods: the cycle, the deadline day, the periods of the plan year."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import ValidationFailed
from minsheng.plans.models import Plan
from minsheng.plans.policies import year_open_check
from minsheng.progress import policies
from minsheng.progress.choices import Cycle
from minsheng.progress.models import Period, ReportingSettings
from minsheng.progress.services.common import _jsonable, _require

if TYPE_CHECKING:
    from minsheng.accounts.models import User


def reporting_settings(plan: Plan) -> ReportingSettings:
    """The plan's settings, or unsaved defaults."""
    try:
        return plan.reporting_settings
    except ReportingSettings.DoesNotExist:
        return ReportingSettings(plan=plan)


_SETTING_FIELDS = ("cycle", "deadline_day", "lag_threshold", "severe_threshold", "approx_tolerance")


@transaction.atomic
def reporting_settings_update(*, acting_user: User | None, plan: Plan, **fields: Any) -> ReportingSettings:
    """Change the plan's cycle, deadline day or thresholds (office only)."""
    _require(policies.can_manage(acting_user, plan))
    year_open_check(plan)  # the thresholds judge the year's lights
    unknown = set(fields) - set(_SETTING_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown setting: %s.") % ", ".join(sorted(unknown)))
    current = reporting_settings(plan)
    before = {name: _jsonable(getattr(current, name)) for name in _SETTING_FIELDS} if current.pk else None
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["plan"])
    current.save()
    after = {name: _jsonable(getattr(current, name)) for name in _SETTING_FIELDS}
    audit_record(
        actor=acting_user,
        action=Action.UPDATE if before else Action.CREATE,
        obj=current,
        plan=plan,
        before=before,
        after=after,
    )
    return current


def period_bounds(year: int, cycle: str, deadline_day: int) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(start, end, deadline) of each period of `year`."""
    months = 1 if cycle == Cycle.MONTHLY else 3
    bounds = []
    for first in range(1, 13, months):
        last = first + months - 1
        last_day = calendar.monthrange(year, last)[1]
        end = dt.date(year, last, last_day)
        deadline = dt.date(year, last, min(deadline_day, last_day))
        bounds.append((dt.date(year, first, 1), end, deadline))
    return bounds


@transaction.atomic
def periods_generate(*, acting_user: User | None, plan: Plan) -> list[Period]:
    """Create the plan year's periods that do not exist yet; returns all periods of the plan.

    `acting_user=None` is the operator at the command line (`minsheng periods PLAN_ID`)."""
    _require(acting_user is None or policies.can_manage(acting_user, plan))
    conf = reporting_settings(plan)
    existing = {p.start: p for p in Period.objects.filter(plan=plan)}
    created = []
    for number, (start, end, deadline) in enumerate(
        period_bounds(plan.year, conf.cycle, conf.deadline_day), start=1
    ):
        if start in existing:
            continue
        if any(p.start <= start <= p.end for p in existing.values()):
            continue  # an earlier cycle's period already covers it
        period = Period.objects.create(plan=plan, number=number, start=start, end=end, deadline=deadline)
        existing[start] = period
        created.append(period)
    if created:
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            obj=plan,
            plan=plan,
            object_type="progress.period",
            object_id=",".join(str(p.pk) for p in created),
            after={"periods": [str(p.start) for p in created], "cycle": conf.cycle},
            message="periods_generate",
        )
    return sorted(existing.values(), key=lambda p: p.start)


def periods_on_publish(sender: Any, *, plan: Plan, acting_user: User | None, **kwargs: Any) -> None:
    """Receiver of `plans.signals.plan_published`: the plan's periods, in the publishing transaction."""
    periods_generate(acting_user=acting_user, plan=plan)


def current_period(plan: Plan, on: dt.date | None = None) -> Period | None:
    """The period containing `on` (today), else the last one before it, else the first."""
    on = on or timezone.localdate()
    periods = list(Period.objects.filter(plan=plan).order_by("start"))
    for period in periods:
        if period.start <= on <= period.end:
            return period
    before = [p for p in periods if p.end < on]
    if before:
        return before[-1]
    return periods[0] if periods else None
