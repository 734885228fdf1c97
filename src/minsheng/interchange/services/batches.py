"""Upload batches (the import page): parse an uploaded file, keep it with its preview, commit it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from minsheng.audit.choices import Action
from minsheng.audit.services import audit_record
from minsheng.core.exceptions import Conflict, NotAllowed
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_import
from minsheng.interchange.services.commit import ImportResult, plan_import
from minsheng.interchange.services.export import plan_export_json
from minsheng.interchange.services.preview import (
    ImportFailed,
    ImportPreview,
    _resolve_year,
    default_title,
    plan_import_preview,
)
from minsheng.orgs.models import Region, Unit
from minsheng.orgs.selectors import region_ancestors
from minsheng.orgs.services import unit_alias_add
from minsheng.parsing import ParseError, parse_bytes
from minsheng.parsing import Plan as ParsedPlan
from minsheng.plans.models import Plan

if TYPE_CHECKING:
    from minsheng.accounts.models import User

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
        parsed=ParsedPlan.from_dict(batch.working),
        region=batch.region,
        year=batch.year,
        title=batch.title,
        resolutions=batch.resolutions,
        keep_hand_edits=not batch.parsed.get("from_plan"),
    )


@transaction.atomic
def import_batch_commit(
    *,
    acting_user: User | None,
    batch: ImportBatch,
    version: int | None = None,
    unit_choices: dict[str, str] | None = None,
    resolutions: dict[str, str] | None = None,
    reason: str = "",
) -> ImportResult:
    """Commit a previewed upload.

    `unit_choices` (from the page) maps each unknown unit name to an existing unit's id (recorded as an
    alias of it) or to "new" (a new unit is created on purpose); a name without a choice stops the
    import. `resolutions` choose, for each re-import conflict, the file's value ("file") or the hand
    edit ("hand"). `reason` is required when the plan is published and its targets or items change (an
    adjustment, 项目调整). Raises ImportFailed if it was committed already or cannot be imported, Conflict when
    `version` is given and the preview was corrected since it was read.
    """
    if batch.status == BatchStatus.COMMITTED:
        raise ImportFailed(_("This upload has been imported already."))
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            _("Someone else corrected this preview meanwhile; check their version before importing.")
        )
    if resolutions is not None:
        batch.resolutions = {k: v for k, v in resolutions.items() if v in ("file", "hand")}
    if unit_choices is not None:
        _apply_unit_choices(acting_user, batch, unit_choices)
    return plan_import(
        acting_user=acting_user,
        parsed=ParsedPlan.from_dict(batch.working),
        region=batch.region,
        year=batch.year,
        title=batch.title,
        source_name=batch.source_name,
        batch=batch,
        resolutions=batch.resolutions,
        keep_hand_edits=not batch.parsed.get("from_plan"),
        reason=reason,
    )


def _apply_unit_choices(acting_user: User | None, batch: ImportBatch, choices: dict[str, str]) -> None:
    """Units are chosen, not invented: each unknown name becomes an alias of a chosen unit, or is
    confirmed as a new unit."""
    preview = import_batch_preview(batch)
    missing = [u.written_as for u in preview.units_new if u.via == "new" and not choices.get(u.written_as)]
    if missing:
        raise ImportFailed(
            _("Choose an existing unit or confirm a new one for: %(names)s.") % {"names": "、".join(missing)}
        )
    allowed = {u.pk: u for u in Unit.objects.filter(region__in=region_ancestors(batch.region))}
    for match in preview.units_new:
        choice = choices.get(match.written_as, "new")
        if choice == "new":
            continue
        unit = allowed.get(int(choice)) if choice.isdigit() else None
        if unit is None:
            raise ImportFailed(_("%(name)s: choose one of the units offered.") % {"name": match.written_as})
        unit_alias_add(acting_user=acting_user, unit=unit, name=match.written_as)
    batch.unit_choices = dict(choices)


@transaction.atomic
def plan_correction_batch(*, acting_user: User | None, plan: Plan) -> ImportBatch:
    """Open a committed plan in the import preview, to correct its structure with the same steps as a
    fresh upload (switch a level's reading, merge, split, move). Committing applies the difference;
    unchanged rows keep their primary keys, so nothing recorded against them is lost."""
    if acting_user is not None and not can_import(acting_user, plan.region):
        raise NotAllowed(_("Only the supervision office may correct lists for this region."))
    current = {**plan_export_json(plan), "from_plan": plan.pk}
    batch = ImportBatch.objects.create(
        region=plan.region,
        year=plan.year,
        title=plan.title,
        source_name=plan.source_name or plan.title,
        parsed=current,
        preview={},
        status=BatchStatus.PREVIEWED,
        created_by=acting_user,
        plan=plan,
    )
    audit_record(
        actor=acting_user, action=Action.CREATE, obj=batch, plan=plan, message="plan opened for correction"
    )
    return batch
