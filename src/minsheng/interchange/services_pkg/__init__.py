"""Import a parsed list into a plan (preview, then commit in one transaction) and export it back.

Re-importing the same list changes nothing. Importing an edited list matches what it can (projects by
number and name, items by text, targets by quote and value) and applies the difference, so rows that did
not change keep their primary keys and progress recorded against them survives.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed, ValidationFailed
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_import
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import UnitMatch, UnitResolver, region_display_name
from minsheng.parsing import Item as ParsedItem
from minsheng.parsing import Milestone as ParsedMilestone
from minsheng.parsing import ParseError, parse_bytes
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Project as ParsedProject
from minsheng.parsing import Target as ParsedTarget
from minsheng.plans.choices import TargetOp, UnitRole
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target
from minsheng.plans.selectors import plan_detail
from minsheng.plans.services import clean_unit_names, units_for_names, year_end

if TYPE_CHECKING:
    from minsheng.accounts.models import User

NewT = TypeVar("NewT")
OldT = TypeVar("OldT")

# Positions and numbers are moved out of the way first so reordering never collides with a unique constraint.
_SHIFT = 1_000_000
_MAX_VALUE = Decimal(10) ** 16


class ImportFailed(ValidationFailed):
    """The list cannot be imported; `errors` says where and why. Nothing was changed."""

    def __init__(self, message: str, *, errors: list[str] | None = None) -> None:
        self.errors = errors or [message]
        super().__init__(message)


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


@dataclass
class ImportPreview:
    """What an import will do: counts, units to match or create, warnings, errors and changes."""

    region_id: int
    region_name: str
    year: int
    title: str
    existing_plan_id: int | None
    counts: dict[str, int]
    units: list[UnitMatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def units_new(self) -> list[UnitMatch]:
        return [u for u in self.units if u.unit_id is None]

    @property
    def units_matched(self) -> list[UnitMatch]:
        return [u for u in self.units if u.unit_id is not None]

    def changes_of(self, action: str, kind: str | None = None) -> list[Change]:
        return [c for c in self.changes if c.action == action and (kind is None or c.kind == kind)]

    @property
    def added(self) -> list[Change]:
        return self.changes_of("added")

    @property
    def removed(self) -> list[Change]:
        return self.changes_of("removed")

    @property
    def modified(self) -> list[Change]:
        return self.changes_of("modified")

    @property
    def is_new_plan(self) -> bool:
        return self.existing_plan_id is None

    @property
    def is_unchanged(self) -> bool:
        """True when the plan exists and the list brings nothing new."""
        return self.existing_plan_id is not None and not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {
            "region_id": self.region_id,
            "region_name": self.region_name,
            "year": self.year,
            "title": self.title,
            "existing_plan_id": self.existing_plan_id,
            "counts": dict(self.counts),
            "units": [u.to_dict() for u in self.units],
            "warnings": list(self.warnings),
            "errors": list(self.errors),
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass
class ImportResult:
    """The outcome of a committed import."""

    plan: Plan
    created: bool
    preview: ImportPreview
    batch: ImportBatch

    @property
    def changed(self) -> bool:
        return self.created or bool(self.preview.changes)


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


# --- validation -------------------------------------------------------------------------------


def _limit(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined,no-any-return]


def validate_parsed(parsed: ParsedPlan) -> list[str]:
    """Problems that stop an import, each saying where (project, item, target) and what."""
    errors: list[str] = []
    if not parsed.projects:
        errors.append("The list has no projects.")
    seen_no: set[int] = set()
    for p in parsed.projects:
        where_p = f"project {p.no}"
        if p.no in seen_no:
            errors.append(f"{where_p}: the number {p.no} is used twice.")
        seen_no.add(p.no)
        if p.no < 0:
            errors.append(f"{where_p}: the number cannot be negative.")
        if not p.name.strip():
            errors.append(f"{where_p}: the project has no name.")
        _check_len(errors, where_p, "name", p.name, _limit(Project, "name"))
        _check_len(errors, where_p, "alias", p.alias or "", _limit(Project, "alias"))
        _check_len(errors, where_p, "category", p.category or "", _limit(Project, "category"))
        for i_pos, item in enumerate(p.items, start=1):
            where_i = f"{where_p}, item {i_pos}" + (f" ({item.location})" if item.location else "")
            if not item.text.strip():
                errors.append(f"{where_i}: the item has no text.")
            for name in [*item.lead_units, *item.partner_units]:
                _check_len(errors, where_i, "unit", name, _limit(ItemUnit, "written_as"))
            try:
                json.dumps(item.extra)
            except (TypeError, ValueError):
                errors.append(f"{where_i}: extra columns cannot be stored.")
            for t_pos, t in enumerate(item.targets, start=1):
                where_t = f"{where_i}, target {t_pos} ({t.quote})"
                if t.op not in TargetOp.values:
                    errors.append(f"{where_t}: unknown comparison {t.op!r}.")
                for label, number in (
                    ("value", t.value),
                    ("baseline", t.baseline),
                    ("range_max", t.range_max),
                ):
                    if number is not None and (
                        not Decimal(number).is_finite() or abs(Decimal(number)) >= _MAX_VALUE
                    ):
                        errors.append(f"{where_t}: {label} {number} is out of range.")
                if t.range_max is not None and Decimal(t.range_max) < Decimal(t.value):
                    errors.append(f"{where_t}: the range ends below its start.")
                _check_len(errors, where_t, "unit", t.unit, _limit(Target, "unit"))
            for m_pos, m in enumerate(item.milestones, start=1):
                where_m = f"{where_i}, milestone {m_pos}"
                _check_len(errors, where_m, "subject", m.subject, _limit(Milestone, "subject"))
                _check_len(errors, where_m, "state", m.state, _limit(Milestone, "state"))
    return errors


def _check_len(errors: list[str], where: str, label: str, text: str, limit: int) -> None:
    if len(text) > limit:
        errors.append(f"{where}: {label} is longer than {limit} characters ({text[:30]}…).")


# --- preview ----------------------------------------------------------------------------------


def default_title(*, parsed: ParsedPlan, region: Region, year: int) -> str:
    """The list's own title, else '<year>年<region>民生实事项目清单'."""
    return (parsed.title or "").strip() or f"{year}年{region_display_name(region)}民生实事项目清单"


def _resolve_year(parsed: ParsedPlan, year: int | None) -> int:
    year = year or parsed.year
    if not year:
        raise ImportFailed("The list does not say its year; give the year.")
    if not 1949 <= int(year) <= 2200:
        raise ImportFailed(f"{year} is not a plausible plan year.")
    return int(year)


def _existing_plan(region: Region, year: int, title: str) -> Plan | None:
    pk = Plan.objects.filter(region=region, year=year, title=title).values_list("pk", flat=True).first()
    return plan_detail(pk) if pk is not None else None


def _unit_matches(parsed: ParsedPlan, resolver: UnitResolver) -> list[UnitMatch]:
    seen: dict[str, UnitMatch] = {}
    for p in parsed.projects:
        for item in p.items:
            for name in clean_unit_names([*item.lead_units, *item.partner_units]):
                if name not in seen:
                    seen[name] = resolver.resolve(name)
    return list(seen.values())


def _preview(
    parsed: ParsedPlan, region: Region, year: int, title: str
) -> tuple[ImportPreview, _Work, Plan | None, UnitResolver]:
    existing = _existing_plan(region, year, title)
    resolver = UnitResolver(region)
    work = _diff(parsed, existing)
    counts = {
        "projects": len(parsed.projects),
        "items": sum(len(p.items) for p in parsed.projects),
        "targets": sum(len(i.targets) for p in parsed.projects for i in p.items),
        "milestones": sum(len(i.milestones) for p in parsed.projects for i in p.items),
    }
    warnings = [f"{w.location}: {w.message}" if w.location else w.message for w in parsed.warnings]
    if parsed.truncated:
        warnings.append("The file was cut short while reading; check that every project is there.")
    if (
        parsed.region
        and region_display_name(region) not in parsed.region
        and region.name not in parsed.region
    ):
        warnings.append(f"The list names the region {parsed.region}, but it is imported into {region.name}.")
    if parsed.year and parsed.year != year:
        warnings.append(f"The list says {parsed.year}, but it is imported as {year}.")
    for p in parsed.projects:
        for i_pos, item in enumerate(p.items, start=1):
            if not clean_unit_names(item.lead_units):
                warnings.append(f"project {p.no}, item {i_pos}: no lead unit.")
    warnings.extend(_loss_warnings(work))
    preview = ImportPreview(
        region_id=region.pk,
        region_name=region.name,
        year=year,
        title=title,
        existing_plan_id=existing.pk if existing is not None else None,
        counts=counts,
        units=_unit_matches(parsed, resolver),
        warnings=warnings,
        errors=validate_parsed(parsed),
        changes=work.changes,
    )
    return preview, work, existing, resolver


def _recorded_against(objs: Sequence[Any]) -> dict[str, int]:
    """How many rows of other apps (progress reports, notices, …) point at these plan rows."""
    if not objs:
        return {}
    counts: dict[str, int] = {}
    for rel in type(objs[0])._meta.related_objects:
        related = rel.related_model
        if related._meta.app_label == Plan._meta.app_label:
            continue  # the plan's own parts go with it
        n = related._base_manager.filter(**{f"{rel.field.name}__in": list(objs)}).count()
        if n:
            counts[str(related._meta.verbose_name_plural)] = n
    return counts


def _loss_warnings(work: _Work) -> list[str]:
    """Warn when the edited list removes rows that progress or supervision has been recorded against."""
    removed: list[tuple[str, list[Any], list[Any]]] = []
    for project in work.removed_projects:
        items = list(project.items.all())
        removed.append((f"project {project.no}", items, [t for i in items for t in i.targets.all()]))
    for pw in work.projects:
        for item in pw.removed_items:
            removed.append(
                (f"project {pw.parsed.no}, item {item.position}", [item], list(item.targets.all()))
            )
        for iw in pw.items:
            if iw.removed_targets:
                removed.append((f"project {pw.parsed.no}, item {iw.position}", [], iw.removed_targets))
    warnings = []
    for where, items, targets in removed:
        counts = _recorded_against(items)
        for name, n in _recorded_against(targets).items():
            counts[name] = counts.get(name, 0) + n
        if counts:
            lost = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
            warnings.append(f"{where}: removing it also deletes what was recorded against it ({lost}).")
    return warnings


def plan_import_preview(
    *, parsed: ParsedPlan, region: Region, year: int | None, title: str | None = None
) -> ImportPreview:
    """What importing `parsed` into `region`/`year` would create, match and change. Writes nothing."""
    year = _resolve_year(parsed, year)
    title = (title or "").strip() or default_title(parsed=parsed, region=region, year=year)
    return _preview(parsed, region, year, title)[0]


# --- commit -----------------------------------------------------------------------------------


def plan_import(
    *,
    acting_user: User | None,
    parsed: ParsedPlan,
    region: Region,
    year: int | None,
    title: str | None = None,
    source_name: str,
    source_bytes: bytes | None = None,
    batch: ImportBatch | None = None,
) -> ImportResult:
    """Create or update the plan from `parsed` in one transaction; nothing changes if anything fails.

    Raises ImportFailed (with `errors`) for a list that cannot be imported and NotAllowed for a user
    who may not import into `region`.
    """
    if acting_user is not None and not can_import(acting_user, region):
        raise NotAllowed("Only the supervision office may import lists for this region.")
    stored: list[str] = []
    try:
        return _plan_import(
            acting_user=acting_user,
            parsed=parsed,
            region=region,
            year=year,
            title=title,
            source_name=source_name,
            source_bytes=source_bytes,
            batch=batch,
            stored=stored,
        )
    except BaseException:
        # The rows are rolled back; remove the files they would have pointed to.
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def _plan_import(
    *,
    acting_user: User | None,
    parsed: ParsedPlan,
    region: Region,
    year: int | None,
    title: str | None,
    source_name: str,
    source_bytes: bytes | None,
    batch: ImportBatch | None,
    stored: list[str],
) -> ImportResult:
    year = _resolve_year(parsed, year)
    title = (title or "").strip() or default_title(parsed=parsed, region=region, year=year)
    preview, work, plan, resolver = _preview(parsed, region, year, title)
    if preview.errors:
        raise ImportFailed(f"{source_name}: the list cannot be imported.", errors=preview.errors)
    created = plan is None
    changed = created or bool(preview.changes)
    if plan is None:
        plan = Plan.objects.create(region=region, year=year, title=title, source_name=source_name)
    if changed:
        if source_bytes is not None:
            plan.source_file.save(source_name, ContentFile(source_bytes), save=False)
            stored.append(plan.source_file.name)
        elif batch is not None and batch.source_file:
            # The upload already keeps the file; the plan points at the same one.
            plan.source_file.name = batch.source_file.name
        plan.source_name = source_name
        plan.save(update_fields=["source_file", "source_name", "updated_at"])
        _apply(acting_user=acting_user, plan=plan, work=work, resolver=resolver)
    plan.refresh_from_db()
    if batch is None:
        batch = ImportBatch(
            region=region, year=year, title=title, source_name=source_name, created_by=acting_user
        )
        if source_bytes is not None:
            batch.source_file.save(source_name, ContentFile(source_bytes), save=False)
            stored.append(batch.source_file.name)
    batch.parsed = parsed.to_dict()
    batch.preview = preview.to_dict()
    batch.status = BatchStatus.COMMITTED
    batch.plan = plan
    batch.committed_at = timezone.now()
    batch.save()
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        obj=plan,
        plan=plan,
        after={
            "source_name": source_name,
            "batch": batch.pk,
            "created": created,
            "counts": preview.counts,
            "added": len(preview.added),
            "removed": len(preview.removed),
            "modified": len(preview.modified),
            "units_created": [u.written_as for u in preview.units_new],
        },
        message="imported" if changed else "re-imported, no changes",
    )
    if not created:
        for change in preview.changes:
            audit_record(
                actor=acting_user,
                action={"added": Action.CREATE, "removed": Action.DELETE}.get(change.action, Action.UPDATE),
                plan=plan,
                object_type=f"plans.{change.kind}",
                object_repr=change.where,
                before=change.before,
                after=change.after,
                message=f"import: {change.action} {change.kind}",
            )
    return ImportResult(plan=plan, created=created, preview=preview, batch=batch)


def _apply(*, acting_user: User | None, plan: Plan, work: _Work, resolver: UnitResolver) -> None:
    """Write the differences `work` describes."""
    year_end_date = year_end(plan.year)
    unit_cache: dict[str, Any] = {}

    def units_for(names: list[str]) -> list[Any]:
        missing = [n for n in names if n not in unit_cache]
        for name, unit in zip(
            missing, units_for_names(acting_user=acting_user, resolver=resolver, names=missing), strict=True
        ):
            unit_cache[name] = unit
        return [unit_cache[n] for n in names]

    if work.removed_projects:
        Project.objects.filter(pk__in=[p.pk for p in work.removed_projects]).delete()
    # Move numbers and positions out of the way, then set the final ones.
    Project.objects.filter(plan=plan).update(no=F("no") + _SHIFT, position=F("position") + _SHIFT)
    for pw in work.projects:
        state = {
            "no": pw.parsed.no,
            "name": pw.parsed.name,
            "alias": pw.parsed.alias or "",
            "category": pw.parsed.category or "",
            "starred": bool(pw.parsed.starred),
            "position": pw.position,
        }
        if pw.existing is None:
            pw.existing = Project.objects.create(plan=plan, **state)
        else:
            Project.objects.filter(pk=pw.existing.pk).update(**state)
        _apply_items(pw, units_for, year_end_date)


def _apply_items(pw: _ProjectWork, units_for: Callable[[list[str]], list[Any]], due: Any) -> None:
    project = pw.existing
    assert project is not None
    if pw.removed_items:
        Item.objects.filter(pk__in=[i.pk for i in pw.removed_items]).delete()
    Item.objects.filter(project=project).update(position=F("position") + _SHIFT)
    new_items = []
    for iw in pw.items:
        if iw.existing is None:
            iw.existing = Item(
                project=project, position=iw.position, text=iw.parsed.text, extra=dict(iw.parsed.extra)
            )
            new_items.append(iw.existing)
        else:
            Item.objects.filter(pk=iw.existing.pk).update(
                position=iw.position, text=iw.parsed.text, extra=dict(iw.parsed.extra)
            )
    Item.objects.bulk_create(new_items)
    unit_rows: list[ItemUnit] = []
    target_rows: list[Target] = []
    milestone_rows: list[Milestone] = []
    for iw in pw.items:
        item = iw.existing
        assert item is not None
        is_new = item in new_items
        wanted = _parsed_units(iw.parsed)
        if is_new or _item_units_written(item) != wanted:
            if not is_new:
                ItemUnit.objects.filter(item=item).delete()
            for role, key in ((UnitRole.LEAD, "lead_units"), (UnitRole.PARTNER, "partner_units")):
                for pos, (name, unit) in enumerate(
                    zip(wanted[key], units_for(wanted[key]), strict=True), start=1
                ):
                    unit_rows.append(ItemUnit(item=item, unit=unit, role=role, position=pos, written_as=name))
        _apply_children(Target, item, iw.targets, iw.removed_targets, _target_fields, target_rows, due)
        _apply_children(
            Milestone, item, iw.milestones, iw.removed_milestones, _milestone_fields, milestone_rows, due
        )
    ItemUnit.objects.bulk_create(unit_rows)
    Target.objects.bulk_create(target_rows)
    Milestone.objects.bulk_create(milestone_rows)


def _target_fields(t: ParsedTarget) -> dict[str, Any]:
    return {
        "quote": t.quote,
        "value": Decimal(t.value),
        "unit": t.unit,
        "op": t.op,
        "baseline": _dec(t.baseline),
        "range_max": _dec(t.range_max),
    }


def _milestone_fields(m: ParsedMilestone) -> dict[str, Any]:
    return {"quote": m.quote, "subject": m.subject, "state": m.state}


def _apply_children(
    model: type[Target] | type[Milestone],
    item: Item,
    pairs: Sequence[tuple[Any, Any]],
    removed: Sequence[Any],
    fields: Callable[[Any], dict[str, Any]],
    rows: list[Any],
    due: Any,
) -> None:
    """Write an item's targets or milestones: delete removed, update matched in place, queue new."""
    if removed:
        model.objects.filter(pk__in=[r.pk for r in removed]).delete()
    if any(old is not None for _new, old in pairs):
        model.objects.filter(item=item).update(position=F("position") + _SHIFT)
    for pos, (new, old) in enumerate(pairs, start=1):
        state = {"position": pos, **fields(new)}
        if old is None:
            rows.append(model(item=item, due_date=due, **state))
        else:
            # The due date may have been corrected by the office; the list does not carry it.
            model.objects.filter(pk=old.pk).update(**state)


# --- upload batches (the import page) ---------------------------------------------------------


def parse_source(data: bytes, name: str) -> ParsedPlan:
    """Parse an uploaded list; Plan JSON (.json) is read as is. Raises ImportFailed with where and why."""
    stripped = data.lstrip()
    if name.lower().endswith(".json") or stripped[:1] == b"{":
        try:
            return ParsedPlan.from_dict(json.loads(data.decode("utf-8-sig")))
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise ImportFailed(f"{name}: not valid Plan JSON ({type(exc).__name__}: {exc}).") from exc
    try:
        return parse_bytes(data, name)
    except ParseError as exc:
        raise ImportFailed(str(exc)) from exc


@transaction.atomic
def import_batch_create(
    *,
    acting_user: User | None,
    source_bytes: bytes,
    source_name: str,
    region: Region,
    year: int | None = None,
    title: str | None = None,
) -> ImportBatch:
    """Parse an uploaded file and keep it with its preview, ready to commit. A file that cannot be
    read raises ImportFailed and stores nothing."""
    if acting_user is not None and not can_import(acting_user, region):
        raise NotAllowed("Only the supervision office may import lists for this region.")
    parsed = parse_source(source_bytes, source_name)
    year = _resolve_year(parsed, year)
    title = (title or "").strip() or default_title(parsed=parsed, region=region, year=year)
    preview = plan_import_preview(parsed=parsed, region=region, year=year, title=title)
    batch = ImportBatch(
        region=region,
        year=year,
        title=title,
        source_name=source_name,
        parsed=parsed.to_dict(),
        preview=preview.to_dict(),
        status=BatchStatus.PREVIEWED,
        created_by=acting_user,
    )
    batch.source_file.save(source_name, ContentFile(source_bytes), save=False)
    name = batch.source_file.name
    try:
        batch.save()
    except BaseException:
        default_storage.delete(name)
        raise
    return batch


def import_batch_preview(batch: ImportBatch) -> ImportPreview:
    """The batch's preview, computed afresh (the plan may have changed since the upload)."""
    return plan_import_preview(
        parsed=ParsedPlan.from_dict(batch.parsed), region=batch.region, year=batch.year, title=batch.title
    )


def import_batch_commit(*, acting_user: User | None, batch: ImportBatch) -> ImportResult:
    """Commit a previewed upload. Raises ImportFailed if it was committed already or cannot be imported."""
    if batch.status == BatchStatus.COMMITTED:
        raise ImportFailed("This upload has been imported already.")
    return plan_import(
        acting_user=acting_user,
        parsed=ParsedPlan.from_dict(batch.parsed),
        region=batch.region,
        year=batch.year,
        title=batch.title,
        source_name=batch.source_name,
        batch=batch,
    )


# --- export -----------------------------------------------------------------------------------


def plan_export_json(plan: Plan) -> dict[str, Any]:
    """The plan as Plan JSON (docs/plan-json.md): units as written, values as numbers.

    Due dates appear only where they differ from 31 December of the plan year.
    """
    plan = plan_detail(plan.pk)
    default_due = year_end(plan.year)
    projects = []
    for project in plan.projects.all():
        items = []
        for item in project.items.all():
            out: dict[str, Any] = {"text": item.text, **_item_units_written(item)}
            targets = []
            for t in item.targets.all():
                target = {"quote": t.quote, "value": _num(t.value), "unit": t.unit, "op": t.op}
                if t.baseline is not None:
                    target["baseline"] = _num(t.baseline)
                if t.range_max is not None:
                    target["range_max"] = _num(t.range_max)
                if t.due_date != default_due:
                    target["due_date"] = t.due_date.isoformat()
                targets.append(target)
            out["targets"] = targets
            milestones = []
            for m in item.milestones.all():
                milestone = {"quote": m.quote, "subject": m.subject, "state": m.state}
                if m.due_date != default_due:
                    milestone["due_date"] = m.due_date.isoformat()
                milestones.append(milestone)
            out["milestones"] = milestones
            for key, value in (item.extra or {}).items():
                out.setdefault(key, value)
            items.append(out)
        entry: dict[str, Any] = {"no": project.no, "name": project.name, "alias": project.alias or None}
        if project.category:
            entry["category"] = project.category
        if project.starred:
            entry["starred"] = True
        entry["items"] = items
        projects.append(entry)
    return {
        "region": region_display_name(plan.region),
        "year": plan.year,
        "title": plan.title,
        "projects": projects,
    }


@transaction.atomic
def plan_export(*, acting_user: User | None, plan: Plan, fmt: str = "json") -> dict[str, Any]:
    """Export a plan (Plan JSON), recording who took it."""
    if fmt != "json":
        raise ValidationFailed(f"Unknown export format {fmt!r}.", field="format")
    data = plan_export_json(plan)
    audit_record(actor=acting_user, action=Action.EXPORT, obj=plan, plan=plan, after={"format": fmt})
    return data
