"""Commit an import: apply the preview's differences to the plan in one transaction.

Re-importing the same list changes nothing. Importing an edited list applies the difference, so rows that
did not change keep their primary keys and progress recorded against them survives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import NotAllowed
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_import
from minsheng.interchange.services.diff import (
    Change,
    _dec,
    _item_units_written,
    _parsed_units,
    _ProjectWork,
    _Work,
)
from minsheng.interchange.services.edits import corrections_count
from minsheng.interchange.services.preview import (
    ImportFailed,
    ImportPreview,
    _preview,
    _resolve_year,
    default_title,
)
from minsheng.orgs.models import Region
from minsheng.orgs.selectors import UnitResolver
from minsheng.parsing import Milestone as ParsedMilestone
from minsheng.parsing import Plan as ParsedPlan
from minsheng.parsing import Target as ParsedTarget
from minsheng.plans.adjustments import adjustment_record
from minsheng.plans.choices import PlanStatus, UnitRole
from minsheng.plans.models import Item, ItemUnit, Milestone, Plan, Project, Target
from minsheng.plans.policies import year_open_check
from minsheng.plans.services import units_for_names, year_end
from minsheng.plans.signals import plan_imported

if TYPE_CHECKING:
    from minsheng.accounts.models import User

# Positions and numbers are moved out of the way first so reordering never collides with a unique constraint.
_SHIFT = 1_000_000


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
    resolutions: dict[str, str] | None = None,
    keep_hand_edits: bool = True,
    reason: str = "",
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
            resolutions=resolutions,
            keep_hand_edits=keep_hand_edits,
            reason=reason,
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
    resolutions: dict[str, str] | None = None,
    keep_hand_edits: bool = True,
    reason: str = "",
) -> ImportResult:
    year = _resolve_year(parsed, year)
    title = (title or "").strip() or default_title(parsed=parsed, region=region, year=year)
    preview, work, plan, resolver, final = _preview(parsed, region, year, title, resolutions, keep_hand_edits)
    if preview.errors:
        raise ImportFailed(
            _("%(name)s: the list cannot be imported.") % {"name": source_name}, errors=preview.errors
        )
    adjusted = _adjusting_changes(plan, preview)
    if adjusted and not reason.strip():
        raise ImportFailed(
            _(
                "The plan is published: say why its targets or items change (the adjustment is shown publicly)."
            )
        )
    created = plan is None
    changed = created or bool(preview.changes)
    if changed and plan is not None:
        year_open_check(plan)  # a closed year's list no longer changes (年度关账)
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
    if not batch.parsed:
        batch.parsed = parsed.to_dict()
    # What was committed (after the preview's corrections and the re-import merge): the base of the
    # next re-import's merge, and the measure of how much the office corrected.
    batch.edited = {**final.to_dict(), "not_targets": (batch.edited or {}).get("not_targets", [])}
    batch.corrections = corrections_count(batch.parsed, batch.edited)
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
    if adjusted:
        _record_adjustments(acting_user, plan, adjusted, reason.strip())
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
    if changed:
        plan_imported.send(sender=Plan, plan=plan, acting_user=acting_user, created=created)
    return ImportResult(plan=plan, created=created, preview=preview, batch=batch)


def _adjusting_changes(plan: Plan | None, preview: ImportPreview) -> list[Change]:
    """The changes that make a published plan's targets or items differ: adjustments (项目调整)."""
    if plan is None or plan.status != PlanStatus.PUBLISHED:
        return []
    return [c for c in preview.changes if c.kind in ("item", "target")]


_WHERE = re.compile(r"project (\d+), item (\d+)")


def _record_adjustments(acting_user: User | None, plan: Plan, changes: list[Change], reason: str) -> None:
    """One adjustment per changed item or target, on the item it now concerns (None when it is gone)."""
    items = {
        (i.project.no, i.position): i
        for i in Item.objects.filter(project__plan=plan).select_related("project")
    }
    for change in changes:
        found = _WHERE.match(change.where)
        item = items.get((int(found.group(1)), int(found.group(2)))) if found else None
        adjustment_record(
            acting_user=acting_user,
            plan=plan,
            kind=change.kind if change.action == "modified" else f"{change.kind}_{change.action}",
            reason=reason,
            item=None if change.action == "removed" and change.kind == "item" else item,
            before=change.before,
            after=change.after,
        )


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
