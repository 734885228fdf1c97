"""Status lights computed from approved values: pure functions, no database.

Interface (used by `alerts.selectors`, the dashboard and the API):

- `Status` — not_started 未开始, on_track 正常, lagging 滞后, severe 严重滞后, done 已完成, terminated 终止,
  unmeasured 无量化指标 (an item with neither a numeric target nor a milestone: no percentage to show).
- `Rules(lag_threshold=10, severe_threshold=25, approx_tolerance=5)` — per-plan thresholds (points, %).
- `expected_share(on=, start=, due=, monthly=None) -> float` — 序时进度: the share (0–1) a target should
  have reached on a day; linear from `start` (1 January) to `due`, or the office's monthly plan
  (twelve cumulative percentages at month ends, interpolated within a month).
- `target_completion(target, rules) -> (completion 0–1, done)` — respects `op` (`>=`/`=` done when reached
  ≥ value, `~` within the tolerance, `<=` a bound kept).
- `item_status(targets=, milestones=, on=, rules=, report_overdue=, previous=, outcome=) -> ItemStatus`
  — worst of the parts; severe when the report is overdue; a lagging or severe item only improves once its
  completion catches up with the schedule bar it missed (per target/milestone, `previous.parts`), not
  because the bar moved down (an extension, a new monthly plan). `remember(item_status)` builds the
  `Previous` of a frozen light.
- `status_colour(status)` — one colour per state everywhere (dashboard, portal, bulletin, API): done blue,
  on track green, lagging yellow, severe red; not started, terminated and unmeasured grey.
- `shares(lights)` — the mean completion and 序时 of a group, the one computation every headline uses
  (terminated and unmeasured items left out).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """A light. Values are stable: they are stored in snapshots and returned by the API."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    LAGGING = "lagging"
    SEVERE = "severe"
    DONE = "done"
    TERMINATED = "terminated"
    UNMEASURED = "unmeasured"


# Higher is worse; `worst` picks the maximum.
SEVERITY = {
    Status.TERMINATED: -1,
    Status.UNMEASURED: -1,
    Status.DONE: 0,
    Status.NOT_STARTED: 1,
    Status.ON_TRACK: 2,
    Status.LAGGING: 3,
    Status.SEVERE: 4,
}

COLOURS = {
    Status.NOT_STARTED: "grey",
    Status.ON_TRACK: "green",
    Status.LAGGING: "yellow",
    Status.SEVERE: "red",
    Status.DONE: "blue",
    Status.TERMINATED: "grey",
    Status.UNMEASURED: "grey",
}

# States left out of a group's mean completion and 序时: nothing to measure, or no longer pursued.
UNCOUNTED = frozenset({Status.TERMINATED, Status.UNMEASURED})


@dataclass(frozen=True)
class Rules:
    """Per-plan thresholds: points behind schedule for yellow and red, tolerance (%) for `~` targets."""

    lag_threshold: Decimal = Decimal("10")
    severe_threshold: Decimal = Decimal("25")
    approx_tolerance: Decimal = Decimal("5")
    # Share of a milestone counted as reached while it is under way.
    in_progress_share: float = 0.5


@dataclass(frozen=True)
class TargetInput:
    """What the status needs to know about one target and its latest approved value."""

    key: int
    op: str
    value: Decimal
    due: date
    start: date
    reached: Decimal | None = None
    baseline: Decimal | None = None
    monthly: Sequence[float] | None = None


@dataclass(frozen=True)
class MilestoneInput:
    """A milestone and its latest approved state (not_started / in_progress / done, or None)."""

    key: int
    due: date
    start: date
    state: str | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class PartStatus:
    """The light of one target or milestone."""

    key: int
    status: Status
    completion: float
    expected: float
    reached: Decimal | None = None
    reference_expected: float | None = None  # the bar a held part must catch up with
    held: bool = False
    achieved: float | None = None  # reached ÷ promised, not capped: above 1 is over-achievement (超额完成)

    @property
    def done(self) -> bool:
        return self.status == Status.DONE

    @property
    def bar(self) -> float:
        return self.expected if self.reference_expected is None else self.reference_expected


@dataclass(frozen=True)
class Previous:
    """Lights at the last closed period: per part (`"t<id>"`, `"m<id>"`) the status and the schedule bar
    it was judged against."""

    status: Status
    reference_expected: float
    parts: Mapping[str, tuple[Status, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemStatus:
    """An item's light with the numbers behind it (0–1 shares)."""

    status: Status
    completion: float
    expected: float
    reference_expected: float
    targets: tuple[PartStatus, ...] = ()
    milestones: tuple[PartStatus, ...] = ()
    report_overdue: bool = False
    accepted: bool = False
    outcome: str | None = None
    held: bool = False  # kept lagging/severe by hysteresis
    reasons: tuple[str, ...] = field(default=())

    @property
    def targets_done(self) -> int:
        return sum(1 for part in self.targets if part.done)

    @property
    def milestones_done(self) -> int:
        return sum(1 for part in self.milestones if part.done)

    @property
    def gap_points(self) -> float:
        return round((self.reference_expected - self.completion) * 100, 2)

    @property
    def measurable(self) -> bool:
        """False for an item with neither a target nor a milestone: pages say 无量化指标, not 0 %."""
        return bool(self.targets or self.milestones)

    @property
    def exceeded(self) -> bool:
        """Some target reached more than promised (completion stays capped at 100 %)."""
        return any(p.achieved is not None and p.achieved > 1 for p in self.targets)

    @property
    def colour(self) -> str:
        return status_colour(self.status)


def status_colour(status: Status | str, accepted: bool = False) -> str:
    """The light's colour: one per state, the same on every page and document.

    `accepted` is kept for callers that pass it; an accepted ending is told by its word (验收), not a colour.
    """
    return COLOURS[Status(status)]


def shares(lights: Iterable[tuple[Status | str, float, float]]) -> tuple[float, float]:
    """(mean completion, mean 序时) of (status, completion, expected) triples, without the uncounted states.

    Every headline (dashboard, portal, bulletin, API) uses this, so a headline 序时 equals its items'.
    """
    counted = [(c, e) for s, c, e in lights if Status(s) not in UNCOUNTED]
    if not counted:
        return 0.0, 0.0
    return sum(c for c, _ in counted) / len(counted), sum(e for _, e in counted) / len(counted)


def worst(statuses: Sequence[Status]) -> Status:
    """The worst of several lights (done when there are none)."""
    return max(statuses, key=lambda s: SEVERITY[s], default=Status.DONE)


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def expected_share(*, on: date, start: date, due: date, monthly: Sequence[float] | None = None) -> float:
    """序时进度 on `on`: the share (0–1) of the target that should be reached by then."""
    if monthly:
        if on < start:
            return 0.0
        if on.year > start.year:
            return _clamp(float(monthly[-1]) / 100)
        month = on.month
        before = float(monthly[month - 2]) if month > 1 else 0.0
        at_end = float(monthly[min(month, len(monthly)) - 1])
        days = calendar.monthrange(on.year, month)[1]
        return _clamp((before + (at_end - before) * on.day / days) / 100)
    if on >= due:
        return 1.0
    if on <= start:
        return 0.0
    return _clamp((on - start).days / (due - start).days)


def target_completion(target: TargetInput, rules: Rules) -> tuple[float, bool]:
    """(completion 0–1, done) of a target from its reached value."""
    reached = target.reached
    if reached is None:
        return 0.0, False
    value = target.value
    if target.op == "<=":
        within = reached <= value
        return (1.0 if within or reached <= 0 else float(value / reached)), within
    if target.baseline is not None and value != target.baseline:
        completion = float((reached - target.baseline) / (value - target.baseline))
    elif value == 0:
        completion = 1.0
    else:
        completion = float(reached / value)
    floor = value * (1 - rules.approx_tolerance / 100) if target.op == "~" else value
    done = reached >= floor
    return (1.0 if done else _clamp(completion)), done


def target_achieved(target: TargetInput) -> float | None:
    """Reached ÷ promised, uncapped (None before a value is reported or for a `<=` bound)."""
    if target.reached is None or target.op == "<=":
        return None
    if target.baseline is not None and target.value != target.baseline:
        return float((target.reached - target.baseline) / (target.value - target.baseline))
    return float(target.reached / target.value) if target.value else None


def classify(completion: float, expected: float, rules: Rules) -> Status:
    """On track, lagging or severe by the points between completion and the schedule."""
    gap = (expected - completion) * 100
    if gap > float(rules.severe_threshold):
        return Status.SEVERE
    if gap > float(rules.lag_threshold):
        return Status.LAGGING
    return Status.ON_TRACK


def target_status(target: TargetInput, *, on: date, rules: Rules) -> PartStatus:
    """The light of one target on a day."""
    expected = expected_share(on=on, start=target.start, due=target.due, monthly=target.monthly)
    completion, done = target_completion(target, rules)
    if target.op == "<=":
        # A bound: kept is on track (done at the due date), broken is severe.
        if target.reached is None:
            status = Status.NOT_STARTED if on < target.due else Status.SEVERE
        elif not done:
            status = Status.SEVERE
        else:
            status = Status.DONE if on >= target.due else Status.ON_TRACK
        return PartStatus(target.key, status, completion, expected, target.reached)
    if done:
        status = Status.DONE
    else:
        status = classify(completion, expected, rules)
        if status == Status.ON_TRACK and completion <= 0:
            status = Status.NOT_STARTED
    return PartStatus(
        target.key, status, completion, expected, target.reached, achieved=target_achieved(target)
    )


def milestone_status(milestone: MilestoneInput, *, on: date, rules: Rules) -> PartStatus:
    """The light of one milestone: done; overdue is severe; under way is on track; not started by schedule."""
    expected = expected_share(on=on, start=milestone.start, due=milestone.due)
    if milestone.state == "done":
        return PartStatus(milestone.key, Status.DONE, 1.0, expected)
    if on > milestone.due:
        completion = rules.in_progress_share if milestone.state == "in_progress" else 0.0
        return PartStatus(milestone.key, Status.SEVERE, completion, expected)
    if milestone.state == "in_progress":
        return PartStatus(milestone.key, Status.ON_TRACK, rules.in_progress_share, expected)
    status = classify(0.0, expected, rules)
    return PartStatus(
        milestone.key, Status.NOT_STARTED if status == Status.ON_TRACK else status, 0.0, expected
    )


def _parts_status(parts: Sequence[PartStatus]) -> Status:
    statuses = [part.status for part in parts]
    if not statuses:
        return Status.NOT_STARTED
    if all(s == Status.DONE for s in statuses):
        return Status.DONE
    if all(s == Status.NOT_STARTED for s in statuses):
        return Status.NOT_STARTED
    bad = worst(statuses)
    return bad if SEVERITY[bad] > SEVERITY[Status.ON_TRACK] else Status.ON_TRACK


def item_status(
    *,
    targets: Sequence[TargetInput] = (),
    milestones: Sequence[MilestoneInput] = (),
    on: date,
    rules: Rules | None = None,
    report_overdue: bool = False,
    has_approved_report: bool = False,
    previous: Previous | None = None,
    outcome: str | None = None,
) -> ItemStatus:
    """An item's light on `on`: the worst of its targets and milestones, then overdue and hysteresis.

    `outcome` is the item's ending (done, adjusted, terminated) when the office has recorded one.
    """
    rules = rules or Rules()
    remembered = previous.parts if previous is not None else {}
    target_parts = tuple(
        hold(target_status(t, on=on, rules=rules), remembered.get(f"t{t.key}"), rules) for t in targets
    )
    milestone_parts = tuple(
        hold(milestone_status(m, on=on, rules=rules), remembered.get(f"m{m.key}"), rules) for m in milestones
    )
    parts = target_parts + milestone_parts
    completion = sum(p.completion for p in parts) / len(parts) if parts else 0.0
    expected = sum(p.expected for p in parts) / len(parts) if parts else 0.0
    reference = sum(p.bar for p in parts) / len(parts) if parts else 0.0
    common: dict[str, Any] = {"targets": target_parts, "milestones": milestone_parts, "outcome": outcome}

    if outcome == "terminated":
        return ItemStatus(Status.TERMINATED, completion, expected, expected, **common)
    if outcome in ("done", "adjusted"):
        return ItemStatus(Status.DONE, 1.0, expected, expected, accepted=True, **common)

    reasons: list[str] = []
    # Nothing measurable: a state of its own (无量化指标), never a 0 % light; `has_approved_report` no
    # longer turns it green, only a missing report still turns it red below.
    status = _parts_status(parts) if parts else Status.UNMEASURED
    held = any(p.held for p in parts) and status in (Status.LAGGING, Status.SEVERE)
    if status != Status.DONE and report_overdue:
        status = Status.SEVERE
        reasons.append("report_overdue")
    elif status in (Status.LAGGING, Status.SEVERE):
        reasons.append("not_caught_up" if held else "behind_schedule")
    return ItemStatus(
        status,
        completion,
        expected,
        reference,
        report_overdue=report_overdue,
        held=held,
        reasons=tuple(reasons),
        **common,
    )


def hold(part: PartStatus, previous: tuple[Status, float] | None, rules: Rules) -> PartStatus:
    """Hysteresis: a part that was lagging or red improves only once it reaches the bar it missed.

    The bar is the larger of today's schedule and the one it was judged against when it fell behind, so
    a schedule that moves down (an extension, a new monthly plan) does not turn it green by itself.
    """
    if previous is None or part.status == Status.DONE:
        return part
    was, bar = Status(previous[0]), float(previous[1])
    if SEVERITY[was] <= SEVERITY[Status.ON_TRACK]:
        return part
    reference = max(part.expected, bar)
    kept = classify(part.completion, reference, rules)
    if SEVERITY[kept] > SEVERITY[was]:
        kept = was
    if SEVERITY[kept] > SEVERITY[part.status]:
        return replace(part, status=kept, reference_expected=reference, held=True)
    if SEVERITY[part.status] > SEVERITY[Status.ON_TRACK]:
        return replace(part, reference_expected=reference)
    return part


def remember(status: ItemStatus) -> Previous:
    """What the next period needs from a frozen light: its status and each part's status and bar."""
    parts = {f"t{p.key}": (p.status, p.bar) for p in status.targets}
    parts.update({f"m{p.key}": (p.status, p.bar) for p in status.milestones})
    return Previous(status.status, status.reference_expected, parts)
