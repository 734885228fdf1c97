"""Reminders (催报) to reporters of units whose reports are due soon or overdue.

Run daily by `minsheng remind`. Idempotent: one reminder per (user, period, kind), so a second run on
the same day, or the next day, adds nothing for the same period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from minsheng.accounts.choices import Role
from minsheng.accounts.models import User
from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.notifications.choices import NotificationKind
from minsheng.notifications.services import notify
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.models import Unit
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import ItemUnit
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import ItemOutcome, Period, ProgressReport
from minsheng.progress.policies import unit_stands_for

DEFAULT_DAYS_BEFORE = 3


@dataclass
class ReminderRun:
    """What one run sent: notifications per kind, and the periods looked at."""

    on: dt.date
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    periods: list[Period] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def periods_to_remind(on: dt.date, days_before: int) -> list[tuple[Period, NotificationKind]]:
    """Open periods of published plans due within `days_before` days (kind due), and each plan's latest
    period whose deadline has passed (kind overdue, as alerts counts a report overdue)."""
    periods = Period.objects.filter(
        plan__status=PlanStatus.PUBLISHED, closed_at__isnull=True, start__lte=on
    ).select_related("plan")
    due = periods.filter(deadline__gte=on, deadline__lte=on + dt.timedelta(days=days_before))
    latest: dict[int, Period] = {}
    for period in periods.filter(deadline__lt=on).order_by("deadline", "pk"):
        latest[period.plan_id] = period
    return [(p, NotificationKind.DUE) for p in due.order_by("deadline", "pk")] + [
        (p, NotificationKind.OVERDUE) for p in sorted(latest.values(), key=lambda p: (p.deadline, p.pk))
    ]


def missing_items_by_unit(period: Period) -> dict[int, list[int]]:
    """Lead unit id → ids of its items with no submitted or approved report for `period` (ended items excluded)."""
    sent = ProgressReport.objects.filter(
        period=period, status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED)
    ).values("item_id")
    ended = ItemOutcome.objects.filter(ended_on__lte=period.end).values("item_id")
    leads = (
        ItemUnit.objects.filter(item__project__plan_id=period.plan_id, role=UnitRole.LEAD)
        .exclude(item_id__in=sent)
        .exclude(item_id__in=ended)
        .values_list("unit_id", "item_id")
    )
    missing: dict[int, list[int]] = defaultdict(list)
    for unit_id, item_id in leads:
        missing[unit_id].append(item_id)
    return missing


def reporters_by_unit(unit_ids: list[int]) -> dict[int, list[User]]:
    """Active reporters answering for each unit: its own, and for a group word the towns it stands for."""
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    group_regions = {u.region_id for u in units.values() if u.kind == UnitKind.GROUP}
    users = (
        User.objects.filter(groups__name=Role.REPORTER, is_active=True)
        .filter(Q(unit_id__in=unit_ids) | Q(unit__kind=UnitKind.TOWN, unit__region_id__in=group_regions))
        .select_related("unit")
        .distinct()
    )
    by_unit: dict[int, list[User]] = defaultdict(list)
    for user in users:
        for unit in units.values():
            if user.unit is not None and unit_stands_for(unit, user.unit):
                by_unit[unit.pk].append(user)
    return by_unit


def _text(kind: str, period: Period, count: int) -> str:
    values = {
        "count": count,
        "period": str(period),
        "deadline": period.deadline.isoformat(),
        "plan": period.plan.title,
    }
    if kind == NotificationKind.DUE:
        return _("%(count)s report(s) for %(period)s of “%(plan)s” are due by %(deadline)s.") % values
    return _("%(count)s report(s) for %(period)s of “%(plan)s” are overdue (deadline %(deadline)s).") % values


@transaction.atomic
def reminders_send(*, on: dt.date, days_before: int = DEFAULT_DAYS_BEFORE) -> ReminderRun:
    """Remind each reporter once per period and kind, in-app and by e-mail; one audit row per run."""
    run = ReminderRun(on=on)
    for period, kind in periods_to_remind(on, days_before):
        missing = missing_items_by_unit(period)
        if not missing:
            continue
        run.periods.append(period)
        reporters = reporters_by_unit(list(missing))
        counts: dict[int, tuple[User, int]] = {}
        for unit_id, item_ids in missing.items():
            for user in reporters.get(unit_id, []):
                previous = counts.get(user.pk, (user, 0))[1]
                counts[user.pk] = (user, previous + len(item_ids))
        # The reporter's inbox for that plan and period, where the reports are written.
        link = reverse("progress:inbox") + f"?plan={period.plan_id}&period={period.pk}"
        for user, count in counts.values():
            created = notify(
                users=[user],
                kind=kind,
                text=_text(kind, period, count),
                link=link,
                key=f"remind:{period.pk}:{kind}",
            )
            run.sent[kind] += len(created)
    if run.total:
        audit_record(
            actor=None,
            action=Action.CREATE,
            object_type="notifications.reminder",
            object_repr=f"reminders {on.isoformat()}",
            after={"on": on.isoformat(), "sent": dict(run.sent), "periods": [p.pk for p in run.periods]},
            message="reminders sent",
        )
    return run
