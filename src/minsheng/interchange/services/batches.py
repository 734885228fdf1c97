"""Upload batches (the import page): parse an uploaded file, keep it with its preview, commit it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from minsheng.core.exceptions import NotAllowed
from minsheng.interchange.choices import BatchStatus
from minsheng.interchange.models import ImportBatch
from minsheng.interchange.policies import can_import
from minsheng.interchange.services.commit import ImportResult, plan_import
from minsheng.interchange.services.preview import (
    ImportFailed,
    ImportPreview,
    _resolve_year,
    default_title,
    plan_import_preview,
)
from minsheng.orgs.models import Region
from minsheng.parsing import ParseError, parse_bytes
from minsheng.parsing import Plan as ParsedPlan

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
