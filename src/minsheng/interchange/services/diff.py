"""Pair a parsed list with the plan in the database and list the differences (the import's diff).

Projects pair by number and name, items by text (else by similarity), targets by quote and value,
milestones by subject, so rows that did not change keep their primary keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from minsheng.parsing import Item as ParsedItem
from minsheng.parsing import Milestone as ParsedMilestone
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Project as ParsedProject
from minsheng.parsing import Target as ParsedTarget
from minsheng.plans.choices import UnitRole
from minsheng.plans.models import Item, Milestone, Plan, Project, Target
from minsheng.plans.services import clean_unit_names

NewT = TypeVar("NewT")
OldT = TypeVar("OldT")


@dataclass
class Change:
    """One difference between the plan in the database and the list being imported."""

    action: str  # "added", "removed", "modified"
    kind: str  # "project", "item", "target", "milestone"
    where: str  # "project 3, item 2, target 1"
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "kind": self.kind,
            "where": self.where,
            "before": self.before,
            "after": self.after,
        }


# --- matching ---------------------------------------------------------------------------------


def pair_up(
    new: Sequence[NewT],
    old: Sequence[OldT],
    *,
    same: Callable[[NewT, OldT], bool],
    score: Callable[[NewT, OldT], float],
    threshold: float,
) -> tuple[list[tuple[NewT, OldT | None]], list[OldT]]:
    """Pair new entries with old ones: identical first, then the most similar above `threshold`.

    Returns (new entry, its old partner or None) in the order of `new`, and the old entries left over.
    """
    partner: dict[int, int] = {}
    used: set[int] = set()
    for ni, n in enumerate(new):
        # Prefer the identical old entry nearest in position, so duplicates pair in order.
        candidates = [oi for oi, o in enumerate(old) if oi not in used and same(n, o)]
        if candidates:
            oi = min(candidates, key=lambda c: abs(c - ni))
            partner[ni] = oi
            used.add(oi)
    scored = []
    for ni, n in enumerate(new):
        if ni in partner:
            continue
        for oi, o in enumerate(old):
            if oi in used:
                continue
            s = score(n, o)
            if s >= threshold:
                scored.append((-s, abs(ni - oi), ni, oi))
    for _neg, _dist, ni, oi in sorted(scored):
        if ni in partner or oi in used:
            continue
        partner[ni] = oi
        used.add(oi)
    pairs = [(n, old[partner[ni]] if ni in partner else None) for ni, n in enumerate(new)]
    leftover = [o for oi, o in enumerate(old) if oi not in used]
    return pairs, leftover


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _target_state(t: ParsedTarget | Target) -> dict[str, Any]:
    return {
        "quote": t.quote,
        "value": _num(t.value),
        "unit": t.unit,
        "op": t.op,
        "baseline": _num(t.baseline),
        "range_max": _num(t.range_max),
    }


def _target_score(n: ParsedTarget, o: Target) -> float:
    if n.quote == o.quote:
        return 1.0
    if _num(n.value) == _num(o.value) and n.unit == o.unit:
        return 0.9
    return _ratio(n.quote, o.quote)


def _milestone_state(m: ParsedMilestone | Milestone) -> dict[str, Any]:
    return {"quote": m.quote, "subject": m.subject, "state": m.state}


def _milestone_score(n: ParsedMilestone, o: Milestone) -> float:
    if n.subject == o.subject or n.quote == o.quote:
        return 1.0
    return _ratio(n.quote, o.quote)


def _item_units_written(item: Item) -> dict[str, list[str]]:
    lead = [iu.written_as for iu in item.item_units.all() if iu.role == UnitRole.LEAD]
    partner = [iu.written_as for iu in item.item_units.all() if iu.role == UnitRole.PARTNER]
    return {"lead_units": lead, "partner_units": partner}


def _parsed_units(item: ParsedItem) -> dict[str, list[str]]:
    return {
        "lead_units": clean_unit_names(item.lead_units),
        "partner_units": clean_unit_names(item.partner_units),
    }


def _item_state(text: str, extra: dict[str, Any], units: dict[str, list[str]]) -> dict[str, Any]:
    return {"text": text, "extra": extra, **units}


def _project_state(p: ParsedProject | Project) -> dict[str, Any]:
    return {
        "no": p.no,
        "name": p.name,
        "alias": p.alias or "",
        "category": p.category or "",
        "starred": bool(p.starred),
    }


def _num(value: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number a person would write (3500, 1.25)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value.normalize())


# --- the import plan: what to do with each row --------------------------------------------------


@dataclass
class _ItemWork:
    parsed: ParsedItem
    position: int
    existing: Item | None
    targets: list[tuple[ParsedTarget, Target | None]] = field(default_factory=list)
    removed_targets: list[Target] = field(default_factory=list)
    milestones: list[tuple[ParsedMilestone, Milestone | None]] = field(default_factory=list)
    removed_milestones: list[Milestone] = field(default_factory=list)


@dataclass
class _ProjectWork:
    parsed: ParsedProject
    position: int
    existing: Project | None
    items: list[_ItemWork] = field(default_factory=list)
    removed_items: list[Item] = field(default_factory=list)


@dataclass
class _Work:
    projects: list[_ProjectWork]
    removed_projects: list[Project]
    changes: list[Change]


def _pair_children(
    kind: str,
    new: Sequence[NewT],
    old: Sequence[OldT],
    *,
    state: Callable[[Any], dict[str, Any]],
    score: Callable[[NewT, OldT], float],
    where: str,
    changes: list[Change],
) -> tuple[list[tuple[NewT, OldT | None]], list[OldT]]:
    """Pair an item's targets or milestones and note what was added, modified or removed."""
    pairs, removed = pair_up(new, old, same=lambda n, o: state(n) == state(o), score=score, threshold=0.6)
    for pos, (n, o) in enumerate(pairs, start=1):
        if o is None:
            changes.append(Change("added", kind, f"{where}, {kind} {pos}", after=state(n)))
        elif state(n) != state(o):
            changes.append(Change("modified", kind, f"{where}, {kind} {pos}", state(o), state(n)))
    for o in removed:
        changes.append(Change("removed", kind, f"{where}, {kind} {o.position}", before=state(o)))  # type: ignore[attr-defined]
    return pairs, removed


def _diff(parsed: ParsedPlan, plan: Plan | None) -> _Work:
    """Pair the parsed list with the existing plan (prefetched) and list the changes."""
    old_projects = list(plan.projects.all()) if plan is not None else []
    project_pairs, removed_projects = pair_up(
        parsed.projects,
        old_projects,
        same=lambda n, o: n.no == o.no and n.name == o.name,
        score=lambda n, o: 1.0 if n.name == o.name else (0.6 if n.no == o.no else 0.0),
        threshold=0.5,
    )
    changes: list[Change] = []
    work = []
    for p_pos, (p_new, p_old) in enumerate(project_pairs, start=1):
        pw = _ProjectWork(parsed=p_new, position=p_pos, existing=p_old)
        where_p = f"project {p_new.no}"
        if p_old is None:
            changes.append(Change("added", "project", where_p, after=_project_state(p_new)))
        elif _project_state(p_new) != _project_state(p_old):
            changes.append(
                Change("modified", "project", where_p, _project_state(p_old), _project_state(p_new))
            )
        old_items = list(p_old.items.all()) if p_old is not None else []
        item_pairs, pw.removed_items = pair_up(
            p_new.items,
            old_items,
            same=lambda n, o: n.text == o.text,
            score=lambda n, o: _ratio(n.text, o.text),
            threshold=0.5,
        )
        for removed in pw.removed_items:
            changes.append(
                Change(
                    "removed",
                    "item",
                    f"{where_p}, item {removed.position}",
                    before=_item_state(removed.text, removed.extra, _item_units_written(removed)),
                )
            )
        for i_pos, (i_new, i_old) in enumerate(item_pairs, start=1):
            iw = _ItemWork(parsed=i_new, position=i_pos, existing=i_old)
            where_i = f"{where_p}, item {i_pos}"
            new_state = _item_state(i_new.text, dict(i_new.extra), _parsed_units(i_new))
            if i_old is None:
                changes.append(Change("added", "item", where_i, after=new_state))
            else:
                old_state = _item_state(i_old.text, i_old.extra, _item_units_written(i_old))
                if old_state != new_state:
                    changes.append(Change("modified", "item", where_i, old_state, new_state))
            iw.targets, iw.removed_targets = _pair_children(
                "target",
                i_new.targets,
                list(i_old.targets.all()) if i_old is not None else [],
                state=_target_state,
                score=_target_score,
                where=where_i,
                changes=changes if i_old is not None else [],
            )
            iw.milestones, iw.removed_milestones = _pair_children(
                "milestone",
                i_new.milestones,
                list(i_old.milestones.all()) if i_old is not None else [],
                state=_milestone_state,
                score=_milestone_score,
                where=where_i,
                changes=changes if i_old is not None else [],
            )
            pw.items.append(iw)
        work.append(pw)
    for p_old in removed_projects:
        changes.append(Change("removed", "project", f"project {p_old.no}", before=_project_state(p_old)))
    if plan is None:
        # A new plan: list only the projects, not every item under them.
        changes = [c for c in changes if c.kind == "project"]
    return _Work(projects=work, removed_projects=removed_projects, changes=changes)
