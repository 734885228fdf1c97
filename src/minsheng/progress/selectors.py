"""Read progress data for the pages: the reporter's inbox, the review queue, overdue reports, timelines.

Every function runs a fixed number of queries whatever the number of items.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, Max, Prefetch, Q, QuerySet, Sum, Value, When, Window
from django.utils import timezone

from minsheng.accounts.choices import Role
from minsheng.accounts.policies import has_role
from minsheng.core.prepared import prepared_statements
from minsheng.orgs.choices import UnitKind
from minsheng.orgs.selectors import user_region_ids
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, ItemUnit, Plan
from minsheng.progress import policies, providers
from minsheng.progress.choices import ExtensionStatus, ReportStatus
from minsheng.progress.models import (
    Evidence,
    ExtensionRequest,
    MilestoneState,
    Period,
    ProgressReport,
    ReportRevision,
    TargetValue,
)
from minsheng.progress.services import value_warnings


def reporter_plans(user: Any) -> QuerySet[Plan]:
    """Published plans where the user's unit leads or assists an item (directly or via a group word)."""
    if user.unit_id is None:
        return Plan.objects.none()
    units = _unit_filter(user, "item_units__")
    return (
        Plan.objects.filter(
            status=PlanStatus.PUBLISHED, pk__in=Item.objects.filter(units).values("project__plan")
        )
        .select_related("region")
        .order_by("-year", "title")
    )


def _unit_filter(user: Any, prefix: str = "") -> Q:
    """Item units naming the user's unit, or a group word standing for it (a town under 各镇（街道）)."""
    q = Q(**{f"{prefix}unit_id": user.unit_id})
    if user.unit.kind == UnitKind.TOWN:
        q |= Q(**{f"{prefix}unit__kind": UnitKind.GROUP, f"{prefix}unit__region_id": user.unit.region_id})
    return q


def _items(plan: Plan) -> QuerySet[Item]:
    return (
        Item.objects.filter(project__plan=plan)
        .select_related("project__plan__region")
        .prefetch_related(
            Prefetch(
                "item_units", queryset=ItemUnit.objects.select_related("unit").order_by("role", "position")
            ),
            "targets",
            "milestones",
        )
        .order_by("project__position", "project__no", "position")
    )


@dataclass
class InboxRow:
    """One item in the reporter's inbox."""

    item: Item
    role: str  # lead or partner
    report: ProgressReport | None
    light: Any  # the item's light (progress.providers), None before any
    due_soon: list[Any] = field(default_factory=list)  # targets and milestones due within 60 days

    @property
    def to_do(self) -> bool:
        if self.role == UnitRole.PARTNER:
            return self.report is None or not any(c for c in self.report.contributions.all())
        return self.report is None or self.report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def inbox(user: Any, plan: Plan, period: Period, on: dt.date | None = None) -> list[InboxRow]:
    """ "My items this period": items the user's unit leads (to report) or assists (to contribute).
    Lights are today's stored ones unless `on` asks for another day."""
    as_of, on = on, on or timezone.localdate()
    if user.unit_id is None:
        return []
    mine = set(
        ItemUnit.objects.filter(_unit_filter(user), item__project__plan=plan).values_list("item_id", "role")
    )
    roles: dict[int, str] = {}
    for item_id, role in mine:
        if roles.get(item_id) != UnitRole.LEAD:
            roles[item_id] = role
    items = list(_items(plan).filter(pk__in=list(roles)))
    reports = {
        r.item_id: r
        for r in ProgressReport.objects.filter(period=period, item_id__in=list(roles)).prefetch_related(
            "contributions"
        )
    }
    lights = (
        providers.item_lights([plan], item_ids=list(roles))
        if as_of is None
        else providers.item_statuses(plan, as_of, item_ids=list(roles))
    )
    horizon = on + dt.timedelta(days=60)
    rows = []
    for item in items:
        parts: list[Any] = [*item.targets.all(), *item.milestones.all()]
        rows.append(
            InboxRow(
                item=item,
                role=roles[item.pk],
                report=reports.get(item.pk),
                light=lights.get(item.pk),
                due_soon=[p for p in parts if on <= p.due_date <= horizon],
            )
        )
    rows.sort(key=lambda r: (r.role != UnitRole.LEAD, not r.to_do))
    return rows


def inbox_mark(user: Any) -> str:
    """A value that changes whenever a report of an item the user's unit leads or assists is created or
    changed (every change of a report renews its version, and draft saves or contributions do not renew
    the change stamp): one query."""
    if user.unit_id is None:
        return ""
    with prepared_statements():  # asked on every request of the inbox: planned once per connection
        found = ProgressReport.objects.filter(
            item_id__in=ItemUnit.objects.filter(_unit_filter(user)).values("item_id")
        ).aggregate(n=Count("pk"), versions=Sum("version"), last=Max("pk"))
    return f"{found['n']}.{found['versions']}.{found['last']}"


def _scope_filter(user: Any, prefix: str) -> Q:
    if user.region_id is None:
        return Q()
    return Q(**{f"{prefix}region_id__in": user_region_ids(user)})


def reports_visible(user: Any) -> QuerySet[ProgressReport]:
    """Reports whose existence `user` may see, as progress.policies decides for single reports.

    Office and reviewers: their region's plans. Leaders: the region's published plans (status of every
    report). Deputies: approved reports only. Reporters: items their unit leads or assists, directly or
    through a group word covering their town.
    """
    qs = ProgressReport.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    in_region = _scope_filter(user, "item__project__plan__")
    published = Q(item__project__plan__status=PlanStatus.PUBLISHED)
    if has_role(user, Role.OFFICE) or has_role(user, Role.REVIEWER):
        return qs.filter(in_region)
    allowed = Q(pk__in=[])
    if has_role(user, Role.LEADER):
        allowed |= in_region & published
    elif has_role(user, Role.DEPUTY):
        allowed |= in_region & published & Q(status=ReportStatus.APPROVED)
    if has_role(user, Role.REPORTER) and user.unit_id is not None:
        own_items = ItemUnit.objects.filter(_unit_filter(user)).values("item_id")
        allowed |= published & Q(item_id__in=own_items)
    return qs.filter(allowed)


@dataclass
class QueueRow:
    """A submitted report with what changed since the last approved one."""

    report: ProgressReport
    changes: list[tuple[str, Decimal | None, Decimal]]  # (target quote, last approved, now)
    waiting_days: int
    warnings: list[str] = field(default_factory=list)  # values the reporter had to confirm


def _report_contents() -> tuple[Prefetch, Prefetch, str]:
    """What a report page shows of each report: values by target position, milestone states, partners."""
    return (
        Prefetch(
            "target_values",
            queryset=TargetValue.objects.select_related("target").order_by("target__position"),
        ),
        Prefetch("milestone_states", queryset=MilestoneState.objects.select_related("milestone")),
        "contributions__unit",
    )


def _queue_reports(user: Any) -> QuerySet[ProgressReport]:
    """Submitted reports the user may decide on (none for other roles); the region's descendants come
    with the signed-in user (`orgs.selectors.user_region_ids`)."""
    if not (has_role(user, Role.REVIEWER) or has_role(user, Role.OFFICE)):
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).filter(
        _scope_filter(user, "period__plan__")
    )


def review_queue(
    user: Any, plan: Plan | None = None, *, report_ids: list[int] | None = None
) -> list[QueueRow]:
    """Submitted reports the user may decide on, oldest submission first (only `report_ids` when given:
    the cards a queue page renders)."""
    reports = (
        _queue_reports(user)
        .select_related("item__project__plan__region", "period", "unit", "submitted_by")
        .prefetch_related(
            *_report_contents(),
            "evidence",
        )
        .order_by("submitted_at", "pk")
    )
    if plan is not None:
        reports = reports.filter(period__plan=plan)
    if report_ids is not None:
        reports = reports.filter(pk__in=report_ids)
    submitted = list(reports)
    item_ids = [r.item_id for r in submitted]
    earlier: dict[int, list[tuple[dt.date, int, Decimal]]] = {}
    for row in (
        TargetValue.objects.filter(report__item_id__in=item_ids, report__status=ReportStatus.APPROVED)
        .order_by("-report__period__start")
        .values("report__item_id", "report__period__start", "target_id", "value")
    ):
        earlier.setdefault(row["report__item_id"], []).append(
            (row["report__period__start"], row["target_id"], row["value"])
        )
    now = timezone.now()
    rows = []
    for report in submitted:
        before: dict[int, Decimal] = {}
        for start, target_id, value in earlier.get(report.item_id, []):
            if start < report.period.start:
                before.setdefault(target_id, value)
        changes = [(v.target.quote, before.get(v.target_id), v.value) for v in report.target_values.all()]
        warnings = value_warnings(
            [v.target for v in report.target_values.all()],
            {v.target_id: v.value for v in report.target_values.all()},
            before,
        )
        rows.append(
            QueueRow(
                report=report,
                changes=changes,
                waiting_days=waiting_days(report.submitted_at, now),
                warnings=warnings,
            )
        )
    return rows


def waiting_days(submitted_at: dt.datetime | None, now: dt.datetime) -> int:
    """Whole days a report has waited for review since it was submitted."""
    return (now - submitted_at).days if submitted_at else 0


def queue_by_plan(rows: list[QueueRow]) -> list[tuple[Plan, list[QueueRow]]]:
    """The queue's rows grouped by plan (newest year first), each group keeping its oldest-first order."""
    groups: dict[int, tuple[Plan, list[QueueRow]]] = {}
    for row in rows:
        plan = row.report.item.project.plan
        groups.setdefault(plan.pk, (plan, []))[1].append(row)
    return sorted(groups.values(), key=lambda g: (-g[0].year, g[0].title))


@dataclass(frozen=True)
class QueueHead:
    """What places a waiting report on a queue page: read for the page at once (the page is kept under
    the queue's mark, `queue_mark`, not under these)."""

    report_id: int
    version: int
    plan_id: int
    item_id: int
    period_id: int
    submitted_at: dt.datetime | None


@dataclass
class QueueGroup:
    """One plan's part of a queue page: the plan's id, its waiting reports in all, those on this page.
    The plan itself is read only to render the page (`queue_plans`)."""

    plan_id: int
    total: int
    heads: list[QueueHead]
    plan: Plan | None = None


_QUEUE_ORDER = ("-period__plan__year", "period__plan__title", "period__plan_id", "submitted_at", "pk")


def queue_page(user: Any, number: int, per_page: int) -> tuple[list[QueueGroup], int, int]:
    """Page `number` (from 1, clamped to the last) of the user's queue in the order `queue_by_plan` shows
    it (plans newest year first, then by title; each plan's reports oldest first), with each plan's total,
    the page shown and the page count. One query whatever the queue's length: the page's reports (ids,
    versions and places, no contents) with the queue's total and each plan's (window counts); a second
    only for a page past the end."""
    waiting = _queue_reports(user).annotate(
        queue_total=Window(Count("pk")), plan_total=Window(Count("pk"), partition_by=[F("period__plan_id")])
    )
    fields = ("pk", "version", "period__plan_id", "item_id", "period_id", "submitted_at")
    number = max(1, number)
    while True:
        rows = list(
            waiting.order_by(*_QUEUE_ORDER).values_list(*fields, "queue_total", "plan_total")[
                (number - 1) * per_page : number * per_page
            ]
        )
        if rows or number == 1:
            break
        last = max(1, -(-_queue_reports(user).count() // per_page))  # asked past the end: the last page
        number = min(number, last) if last < number else 1
    pages = max(1, -(-rows[0][len(fields)] // per_page)) if rows else 1  # the queue's total
    groups: list[QueueGroup] = []
    for *head, _queue_total, plan_total in rows:
        found = QueueHead(*head)
        if not groups or groups[-1].plan_id != found.plan_id:
            groups.append(QueueGroup(plan_id=found.plan_id, total=plan_total, heads=[]))
        groups[-1].heads.append(found)
    return groups, number, pages


def queue_mark(user: Any) -> tuple[int, int, int, str]:
    """What changes whenever the user's queue does: the number of waiting reports, the sums of their ids and
    versions and their newest change time (a submission, a decision, a touch renew one of them). One
    aggregate query, cheaper than reading the page itself (`progress.views.review`)."""
    with prepared_statements():  # asked on every request of the queue: planned once per connection
        found = _queue_reports(user).aggregate(
            n=Count("pk"), ids=Sum("pk"), versions=Sum("version"), last=Max("updated_at")
        )
    last = found["last"].isoformat() if found["last"] else ""
    return found["n"], found["ids"] or 0, found["versions"] or 0, last


def queue_plans(groups: list[QueueGroup]) -> None:
    """Give each group its plan (with the region), to render the page: one query."""
    plans = Plan.objects.select_related("region").in_bulk({g.plan_id for g in groups})
    for group in groups:
        group.plan = plans[group.plan_id]


@dataclass
class OverdueRow:
    item: Item
    lead_units: list[Any]
    report: ProgressReport | None
    days_late: int


def overdue(plan: Plan, on: dt.date | None = None) -> tuple[Period | None, list[OverdueRow]]:
    """Items without a submitted or approved report for the last period whose deadline has passed."""
    on = on or timezone.localdate()
    period = Period.objects.filter(plan=plan, deadline__lt=on).order_by("-deadline").first()
    if period is None:
        return None, []
    reports = {r.item_id: r for r in ProgressReport.objects.filter(period=period, item__project__plan=plan)}
    ended = set(Item.objects.filter(project__plan=plan, outcome__isnull=False).values_list("pk", flat=True))
    rows = []
    for item in _items(plan):
        report = reports.get(item.pk)
        if item.pk in ended or (report and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)):
            continue
        leads = [iu.unit for iu in item.item_units.all() if iu.role == UnitRole.LEAD]
        rows.append(
            OverdueRow(item=item, lead_units=leads, report=report, days_late=(on - period.deadline).days)
        )
    return period, rows


@dataclass
class Timeline:
    item: Item
    reports: list[ProgressReport]
    extensions: list[ExtensionRequest]
    show_content: dict[int, bool]


def item_timeline(user: Any, item: Item) -> Timeline:
    """Every report of the item the user may see (newest first), with values, photos and history."""
    reports = (
        ProgressReport.objects.filter(item=item)
        .select_related("period", "unit", "submitted_by", "reviewed_by")
        .prefetch_related(
            *_report_contents(),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")),
            Prefetch("revisions", queryset=ReportRevision.objects.order_by("pk")),
        )
        .order_by("-period__start")
    )
    unapproved = policies.can_see_unapproved(user, item)
    leader = has_role(user, Role.LEADER)
    visible = [r for r in reports if unapproved or leader or r.status == ReportStatus.APPROVED]
    show = {r.pk: unapproved or r.status == ReportStatus.APPROVED for r in visible}
    extensions = list(
        ExtensionRequest.objects.filter(target__item=item)
        .select_related("target", "unit")
        .order_by("-requested_at")
    )
    return Timeline(item=item, reports=visible, extensions=extensions, show_content=show)


def extension_requests(user: Any, plan: Plan) -> QuerySet[ExtensionRequest]:
    """Requests of the plan the user may see: all for the office and reviewers, their unit's for reporters."""
    qs = (
        ExtensionRequest.objects.filter(target__item__project__plan=plan)
        .select_related("target__item__project", "unit", "requested_by", "decided_by")
        .annotate(waiting=Case(When(status=ExtensionStatus.PENDING, then=Value(0)), default=Value(1)))
        .order_by("waiting", "-requested_at")
    )
    if policies.is_reviewer(user, plan):
        return qs
    if user.unit_id is not None:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def pending_extension_count(plan: Plan) -> int:
    return ExtensionRequest.objects.filter(
        target__item__project__plan=plan, status=ExtensionStatus.PENDING
    ).count()
