"""Lights of items, projects, units and the plan, from approved values only.

Interface (a fixed number of queries whatever the number of items):

- `item_statuses(plan, on=None, item_ids=None) -> dict[item_id, ItemStatus]` (see `alerts.status`):
  `.status`, `.colour`, `.completion`, `.expected`, `.targets` (PartStatus with `.reached`), `.milestones`,
  `.report_overdue`, `.accepted`, `.outcome`.
- `project_statuses(plan, on=None) -> dict[project_id, Rollup]`, `unit_statuses(plan, on=None) ->
  dict[unit_id, Rollup]` (lead units), `plan_status(plan, on=None) -> Rollup`; `rollup(statuses)`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from minsheng.alerts.status import (
    SEVERITY,
    UNCOUNTED,
    ItemStatus,
    MilestoneInput,
    Previous,
    Rules,
    Status,
    TargetInput,
    item_status,
    shares,
    status_colour,
)
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Target
from minsheng.progress.choices import ReportStatus
from minsheng.progress.models import (
    ItemOutcome,
    MilestoneState,
    Period,
    PeriodSnapshot,
    ProgressReport,
    ReportingSettings,
    TargetSchedule,
    TargetValue,
)


def plan_rules(plan: Plan) -> Rules:
    """The plan's thresholds (defaults when it has no settings)."""
    conf = ReportingSettings.objects.filter(plan=plan).first() or ReportingSettings(plan=plan)
    return Rules(
        lag_threshold=Decimal(conf.lag_threshold),
        severe_threshold=Decimal(conf.severe_threshold),
        approx_tolerance=Decimal(conf.approx_tolerance),
    )


def light_day(plan: Plan, today: dt.date | None = None) -> dt.date:
    """The day a plan's lights are shown for: today, or 31 December for a past year (its final result).

    Every page, document and the API use it, so a past year's item shows one light everywhere.
    """
    today = today or timezone.localdate()
    return min(today, dt.date(plan.year, 12, 31))


def year_end_reading(plan: Plan, on: dt.date) -> dt.date | None:
    """年终认定: the last day whose endings and approvals count for the year's final result.

    Only for the final result (`on` at 31 December): the office's year-end date (`Plan.year_end_on`, set
    by `minsheng.yearend`); None while it has none, when everything recorded so far counts.
    """
    if on < dt.date(plan.year, 12, 31):
        return None
    return plan.year_end_on


# Providers of a closed year's recorded final results (最终结果更正): `(plan, item_ids, rules) -> {item_id:
# ItemStatus}`, registered by `minsheng.yearend` (above alerts) from its AppConfig.ready.
FinalResultsProvider = Callable[[Plan, list[int], Rules], dict[int, ItemStatus]]
_FINAL_RESULTS: list[FinalResultsProvider] = []


def final_results_register(provider: FinalResultsProvider) -> None:
    """Let a closed year's corrected final result replace the computed light of its items."""
    if provider not in _FINAL_RESULTS:
        _FINAL_RESULTS.append(provider)


def _latest_by(rows: Iterable[Any], key: str) -> dict[int, Any]:
    """First row per `key` of rows ordered newest first."""
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row[key], row)
    return latest


def item_statuses(
    plan: Plan, on: dt.date | None = None, item_ids: Iterable[int] | None = None
) -> dict[int, ItemStatus]:
    """Each item's light on `on` (default `light_day`), from the reports approved for periods begun by then."""
    on = on or light_day(plan)
    rules = plan_rules(plan)
    start = dt.date(plan.year, 1, 1)
    items = Item.objects.filter(project__plan=plan)
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    ids = list(items.values_list("pk", flat=True))
    if not ids:
        return {}
    targets = list(Target.objects.filter(item_id__in=ids).order_by("item_id", "position"))
    milestones = list(Milestone.objects.filter(item_id__in=ids).order_by("item_id", "position"))
    schedules = dict(
        TargetSchedule.objects.filter(target__item_id__in=ids).values_list("target_id", "monthly")
    )
    approved = {
        "report__status": ReportStatus.APPROVED,
        "report__period__start__lte": on,
        "report__item_id__in": ids,
    }
    reading = year_end_reading(plan, on)
    if reading is not None:
        # An approval after the year-end reading date does not count for the year's final result.
        after = timezone.make_aware(dt.datetime.combine(reading + dt.timedelta(days=1), dt.time.min))
        approved["report__reviewed_at__lt"] = after
    values = _latest_by(
        TargetValue.objects.filter(**approved)
        .order_by("target_id", "-report__period__start")
        .values("target_id", "value"),
        "target_id",
    )
    states = _latest_by(
        MilestoneState.objects.filter(**approved)
        .order_by("milestone_id", "-report__period__start")
        .values("milestone_id", "state", "done_on"),
        "milestone_id",
    )
    endings = ItemOutcome.objects.filter(item_id__in=ids)
    if on < dt.date(plan.year, 12, 31):
        endings = endings.filter(ended_on__lte=on)
    elif reading is not None:
        endings = endings.filter(ended_on__lte=reading)
    # else: the year's final result without a reading date counts an ending recorded later, as the
    # timeline does.
    outcomes = dict(endings.values_list("item_id", "kind"))
    overdue = _overdue_item_ids(plan, on, ids)
    previous = _previous(plan, on, ids)

    target_inputs: dict[int, list[TargetInput]] = defaultdict(list)
    for t in targets:
        reached = values.get(t.pk, {}).get("value")
        target_inputs[t.item_id].append(
            TargetInput(
                key=t.pk,
                op=t.op,
                value=t.value,
                due=t.due_date,
                start=start,
                reached=reached,
                baseline=t.baseline,
                monthly=schedules.get(t.pk),
            )
        )
    milestone_inputs: dict[int, list[MilestoneInput]] = defaultdict(list)
    for m in milestones:
        state = states.get(m.pk, {})
        milestone_inputs[m.item_id].append(
            MilestoneInput(
                key=m.pk, due=m.due_date, start=start, state=state.get("state"), done_on=state.get("done_on")
            )
        )
    statuses = {
        item_id: item_status(
            targets=target_inputs[item_id],
            milestones=milestone_inputs[item_id],
            on=on,
            rules=rules,
            report_overdue=item_id in overdue,
            previous=previous.get(item_id),
            outcome=outcomes.get(item_id),
        )
        for item_id in ids
    }
    if plan.year_closed_at is not None and reading is not None:
        # A closed year's final result: a recorded correction wins over what the reports say.
        for provider in _FINAL_RESULTS:
            statuses.update(provider(plan, ids, rules))
    return statuses


def _overdue_item_ids(plan: Plan, on: dt.date, ids: list[int]) -> set[int]:
    """Items without a submitted or approved report for the last period whose deadline has passed."""
    period = Period.objects.filter(plan=plan, deadline__lt=on).order_by("-deadline").first()
    if period is None:
        return set()
    sent = set(
        ProgressReport.objects.filter(
            period=period, item_id__in=ids, status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED)
        ).values_list("item_id", flat=True)
    )
    return set(ids) - sent


def _previous(plan: Plan, on: dt.date, ids: list[int]) -> dict[int, Previous]:
    """Lights frozen at the last closed period that ended before `on`."""
    period = Period.objects.filter(plan=plan, closed_at__isnull=False, end__lt=on).order_by("-end").first()
    if period is None:
        return {}
    previous = {}
    for snap in PeriodSnapshot.objects.filter(period=period, item_id__in=ids):
        parts: dict[str, tuple[Status, float]] = {}
        for prefix, group in (("t", "targets"), ("m", "milestones")):
            for key, part in (snap.values or {}).get(group, {}).items():
                bar = part.get("reference", part.get("expected", 0.0))
                parts[f"{prefix}{key}"] = (Status(part["status"]), float(bar))
        previous[snap.item_id] = Previous(Status(snap.status), float(snap.reference_expected), parts)
    return previous


@dataclass(frozen=True)
class Rollup:
    """Lights of a group of items: counts per status, mean completion, the group's light."""

    status: Status
    total: int
    completion: float
    expected: float
    counts: dict[str, int] = field(default_factory=dict)
    item_ids: tuple[int, ...] = ()

    @property
    def colour(self) -> str:
        return status_colour(self.status)

    @property
    def measurable(self) -> bool:
        """Some item of the group has a target or a milestone (else pages say 无量化指标)."""
        return self.counts.get(str(Status.UNMEASURED), 0) < self.total


def rollup(statuses: dict[int, ItemStatus]) -> Rollup:
    """Combine item lights: any red makes red, any yellow yellow; done when all done; terminated and
    unmeasured items don't count towards the light or the shares (`alerts.status.shares`)."""
    live = {k: s for k, s in statuses.items() if s.status not in UNCOUNTED}
    counts = Counter(str(s.status) for s in statuses.values())
    kinds = {s.status for s in live.values()}
    if not live:
        if not statuses:
            status = Status.NOT_STARTED
        elif any(s.status == Status.UNMEASURED for s in statuses.values()):
            status = Status.UNMEASURED
        else:
            status = Status.DONE
    elif kinds == {Status.DONE}:
        status = Status.DONE
    elif kinds == {Status.NOT_STARTED}:
        status = Status.NOT_STARTED
    else:
        bad = max(kinds, key=lambda s: SEVERITY[s])
        status = bad if SEVERITY[bad] > SEVERITY[Status.ON_TRACK] else Status.ON_TRACK
    completion, expected = shares((s.status, s.completion, s.expected) for s in statuses.values())
    return Rollup(
        status=status,
        total=len(statuses),
        completion=completion,
        expected=expected,
        counts=dict(counts),
        item_ids=tuple(statuses),
    )


def _group(statuses: dict[int, ItemStatus], keys: Iterable[tuple[int, int]]) -> dict[int, Rollup]:
    groups: dict[int, dict[int, ItemStatus]] = defaultdict(dict)
    for group_id, item_id in keys:
        if item_id in statuses:
            groups[group_id][item_id] = statuses[item_id]
    return {group_id: rollup(members) for group_id, members in groups.items()}


def project_statuses(plan: Plan, on: dt.date | None = None) -> dict[int, Rollup]:
    statuses = item_statuses(plan, on)
    keys = Item.objects.filter(project__plan=plan).values_list("project_id", "pk")
    return _group(statuses, keys)


def unit_statuses(plan: Plan, on: dt.date | None = None) -> dict[int, Rollup]:
    """Per lead unit (as listed; a group word counts as one unit)."""
    statuses = item_statuses(plan, on)
    keys = ItemUnit.objects.filter(item__project__plan=plan, role=UnitRole.LEAD).values_list(
        "unit_id", "item_id"
    )
    return _group(statuses, keys)


def plan_status(plan: Plan, on: dt.date | None = None) -> Rollup:
    return rollup(item_statuses(plan, on))
