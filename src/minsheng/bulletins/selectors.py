"""What a progress bulletin (进展通报) reports for one period, in a fixed number of queries.

A closed period is read from its month-end snapshots (what was true then); an open one is computed now
from approved values as of the period's end.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from minsheng.alerts.selectors import item_statuses
from minsheng.alerts.status import Status, shares
from minsheng.core.exceptions import ValidationFailed
from minsheng.orgs.selectors import region_display_name
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import ItemUnit, Plan
from minsheng.plans.selectors import plan_detail
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import Period, PeriodSnapshot, ProgressReport

PERIOD_RE = re.compile(r"^(\d{4})-(\d{1,2})$")


def period_for(plan: Plan, text: str) -> Period:
    """The plan's period holding month `YYYY-MM` (a quarter holds three months)."""
    match = PERIOD_RE.match(text.strip())
    if not match:
        raise ValidationFailed(f"--period {text!r}: expected YYYY-MM, e.g. {plan.year}-06.", field="period")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValidationFailed(f"--period {text!r}: month must be 01–12.", field="period")
    day = dt.date(year, month, 1)
    period = Period.objects.filter(plan=plan, start__lte=day, end__gte=day).first()
    if period is None:
        raise ValidationFailed(
            f"Plan #{plan.pk} has no reporting period covering {text}; periods are generated for {plan.year}.",
            field="period",
        )
    return period


@dataclass
class TargetLine:
    quote: str
    value: Decimal
    unit: str
    op: str
    reached: Decimal | None


@dataclass
class ItemLine:
    pk: int
    position: int
    text: str
    lead_units: list[str]
    partner_units: list[str]
    status: str
    completion: float
    expected: float
    report_overdue: bool
    targets: list[TargetLine]
    problems: str = ""


@dataclass
class ProjectSection:
    no: int
    name: str
    items: list[ItemLine]


@dataclass
class UnitRank:
    name: str
    items: int
    on_time: int
    late: int
    missing: int
    completion: float


@dataclass
class BulletinData:
    plan: Plan
    region: str
    period: Period
    on: dt.date
    from_snapshots: bool
    counts: dict[str, int]
    completion: float
    expected: float
    projects: list[ProjectSection]
    late_units: list[UnitRank] = field(default_factory=list)
    ranking: list[UnitRank] = field(default_factory=list)

    @property
    def items(self) -> list[ItemLine]:
        return [i for p in self.projects for i in p.items]

    @property
    def behind(self) -> list[ItemLine]:
        return [i for i in self.items if i.status in (Status.LAGGING, Status.SEVERE)]


def _decimal(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def bulletin_data(plan: Plan, period: Period) -> BulletinData:
    """Everything the bulletin for `period` says."""
    detailed = plan_detail(plan.pk)
    period = Period.objects.get(pk=period.pk)  # closed_at as stored now, not as the caller last saw it
    on = period.end
    snapshots = {s.item_id: s for s in PeriodSnapshot.objects.filter(period=period)}
    from_snapshots = period.closed_at is not None and bool(snapshots)
    live = {} if from_snapshots else item_statuses(detailed, on)
    reports = {
        r.item_id: r
        for r in ProgressReport.objects.filter(period=period).only(
            "item_id", "status", "submitted_at", "problems", "unit_id"
        )
    }

    projects: list[ProjectSection] = []
    for project in detailed.projects.all():
        lines = []
        for item in project.items.all():
            units = list(item.item_units.all())
            targets = list(item.targets.all())
            if from_snapshots and item.pk in snapshots:
                snap = snapshots[item.pk]
                values = snap.values.get("targets", {})
                status, completion, expected = snap.status, float(snap.completion), float(snap.expected)
                overdue = bool(snap.values.get("report_overdue"))
                reached = {t.pk: _decimal(values.get(str(t.pk), {}).get("reached")) for t in targets}
            elif item.pk in live:
                st = live[item.pk]
                status, completion, expected, overdue = (
                    str(st.status),
                    st.completion,
                    st.expected,
                    st.report_overdue,
                )
                reached = {p.key: p.reached for p in st.targets}
            else:
                continue
            report = reports.get(item.pk)
            lines.append(
                ItemLine(
                    pk=item.pk,
                    position=item.position,
                    text=item.text,
                    lead_units=[u.written_as for u in units if u.role == UnitRole.LEAD],
                    partner_units=[u.written_as for u in units if u.role == UnitRole.PARTNER],
                    status=status,
                    completion=completion,
                    expected=expected,
                    report_overdue=overdue,
                    targets=[TargetLine(t.quote, t.value, t.unit, t.op, reached.get(t.pk)) for t in targets],
                    problems=report.problems.strip()
                    if report is not None and report.status == ReportStatus.APPROVED
                    else "",
                )
            )
        projects.append(ProjectSection(no=project.no, name=project.name, items=lines))

    items = [i for p in projects for i in p.items]
    counts = {str(s): 0 for s in Status}
    for line in items:
        counts[line.status] = counts.get(line.status, 0) + 1
    # One computation for the headline and the items (alerts.status.shares): terminated and unmeasured
    # items are left out of both means, so the headline 序时 is the items' 序时.
    completion, expected = shares((i.status, i.completion, i.expected) for i in items)
    ranking = _ranking(plan, period, items, reports)
    return BulletinData(
        plan=detailed,
        region=region_display_name(detailed.region),
        period=period,
        on=on,
        from_snapshots=from_snapshots,
        counts=counts,
        completion=completion,
        expected=expected,
        projects=projects,
        late_units=[u for u in ranking if u.late or u.missing],
        ranking=ranking,
    )


def _ranking(
    plan: Plan, period: Period, items: list[ItemLine], reports: dict[int, ProgressReport]
) -> list[UnitRank]:
    """Lead units by reporting on time this period, then by the mean completion of their items."""
    leads: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for unit_id, name, item_id in ItemUnit.objects.filter(
        Q(item__project__plan=plan), role=UnitRole.LEAD
    ).values_list("unit_id", "unit__name", "item_id"):
        leads[unit_id].append(item_id)
        names[unit_id] = name
    by_item = {i.pk: i for i in items}
    ranks = []
    for unit_id, item_ids in leads.items():
        on_time = late = missing = 0
        for item_id in item_ids:
            report = reports.get(item_id)
            sent = report.submitted_at if report is not None else None
            if sent is None:
                missing += 1
            elif timezone.localtime(sent).date() <= period.deadline:
                on_time += 1
            else:
                late += 1
        completion, _expected = shares(
            (by_item[i].status, by_item[i].completion, by_item[i].expected) for i in item_ids if i in by_item
        )
        ranks.append(UnitRank(names[unit_id], len(item_ids), on_time, late, missing, completion))
    ranks.sort(key=lambda u: (-(u.on_time / u.items if u.items else 0), -u.completion, u.name))
    return ranks
