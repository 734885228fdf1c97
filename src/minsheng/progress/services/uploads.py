"""Evidence: photos and documents attached to a report, and the copies the task worker makes of them."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from minsheng.core.exceptions import ServiceError, ValidationFailed
from minsheng.core.prepared import prepared_statements
from minsheng.progress import policies
from minsheng.progress.choices import EvidenceState, RevisionAction
from minsheng.progress.models import Evidence, ProgressReport
from minsheng.progress.services.common import (
    EDITABLE,
    TransitionError,
    _check_period_open,
    _item_for_write,
    _locked_report,
    _record,
    _require,
    _user_or_none,
    report_data,
    reports_touch,
)

if TYPE_CHECKING:
    from minsheng.accounts.models import User


@prepared_statements()
@transaction.atomic
def evidence_add(
    *, acting_user: User | None, report: ProgressReport, upload: Any, caption: str = ""
) -> Evidence:
    """Attach a photo or document to a report; a refused or failed upload leaves no row and no file."""
    from django.core.files.base import ContentFile

    from minsheng.progress import evidence as files

    report = _locked_report(report)
    item = _item_for_write(report.item)
    allowed = policies.can_report(acting_user, item) or policies.can_contribute(acting_user, item)
    _require(allowed, _("Only the item's units may add evidence."))
    if report.status not in EDITABLE:
        raise TransitionError(_("Evidence can only be added while the report is a draft or returned."))
    _check_period_open(report.period)
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:255]
    data = files.read_upload(upload, name)
    # Idempotent: the same file sent again (a replayed or doubled post) is the row already there. The
    # report row is locked above, so concurrent copies queue here and find the first one.
    digest = hashlib.sha256(data).hexdigest()
    existing = report.evidence.filter(sha256=digest).first()
    if existing is not None:
        if existing.state == EvidenceState.FAILED:
            # The same photo again is how a person retries copies that could not be made.
            existing.state, existing.error = EvidenceState.PROCESSING, ""
            existing.save(update_fields=["state", "error"])
            reports_touch([report.pk])  # no new version: the card's "failed" becomes "being prepared"
            _enqueue_copies(existing)
            existing.refresh_from_db()
        return existing
    held = report.evidence.aggregate(files=Count("id"), bytes=Sum("size"))
    if held["files"] >= files.max_files_per_report():
        raise ValidationFailed(
            _("A report holds at most %d files; remove one first.") % files.max_files_per_report(),
            field="file",
        )
    if (held["bytes"] or 0) + len(data) > files.max_bytes_per_report():
        raise ValidationFailed(
            _("A report holds at most %s of files; “%s” does not fit.")
            % (files.human_size(files.max_bytes_per_report()), name),
            field="file",
        )
    # Photos: checked now, their clean copy and thumbnail made by the task runner (progress.tasks).
    processed = files.process(data, name, derive=False)
    before = report_data(report)
    evidence = Evidence(
        report=report,
        original_name=name,
        caption=(caption or "").strip()[:255],
        content_type=processed.kind.content_type,
        size=len(data),
        sha256=processed.sha256,
        uploaded_by=_user_or_none(acting_user),
        state=EvidenceState.PROCESSING if processed.kind.image else EvidenceState.READY,
    )
    try:
        evidence.original.save("f" + processed.kind.extension, ContentFile(data), save=False)
        if processed.public_copy is not None:
            ext = files.public_kind(processed.kind).extension
            evidence.public_copy.save("f" + ext, ContentFile(processed.public_copy), save=False)
        if processed.thumbnail is not None:
            evidence.thumbnail.save("f.jpg", ContentFile(processed.thumbnail), save=False)
        evidence.save()
        _record(report, acting_user=acting_user, action=RevisionAction.EVIDENCE, before=before)
        if evidence.state == EvidenceState.PROCESSING:
            _enqueue_copies(evidence)
            evidence.refresh_from_db()  # the immediate backend has made the copies already
    except BaseException:
        for field in (evidence.original, evidence.public_copy, evidence.thumbnail):
            if field.name:
                field.storage.delete(field.name)
        raise
    return evidence


def _enqueue_copies(evidence: Evidence) -> None:
    """Queue the photo's copies in the current transaction: the immediate backend (tests, demo) makes
    them now; the database backend's row commits with the upload, so a worker never sees a photo that
    was rolled back."""
    from minsheng.progress.tasks import evidence_copies

    evidence_copies.enqueue(evidence.pk)


def evidence_copies_make(*, evidence_id: int) -> Evidence | None:
    """Make a photo's clean copy and thumbnail (the task's work). Nothing is half-saved: the files are
    written, then the row is updated in one transaction; on any failure the files written are removed
    and the row records the error (state failed) for the page to show. Either way the report is touched
    in that transaction (`reports_touch`): its version stays, its queue card changes."""
    from django.core.files.base import ContentFile

    from minsheng.progress import evidence as files

    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None or evidence.state != EvidenceState.PROCESSING:
        return evidence  # deleted meanwhile, or done by an earlier run
    written: list[Any] = []
    try:
        with evidence.original.open("rb") as handle:
            data = handle.read()
        kind, public_copy, thumbnail = files.derive_copies(data, evidence.original_name)
        evidence.public_copy.save(
            "f" + files.public_kind(kind).extension, ContentFile(public_copy), save=False
        )
        written.append(evidence.public_copy)
        evidence.thumbnail.save("f.jpg", ContentFile(thumbnail), save=False)
        written.append(evidence.thumbnail)
        with transaction.atomic():
            # The report's row first, as evidence_add locks it: the same order, no deadlock.
            reports_touch([evidence.report_id])
            evidence.state, evidence.error = EvidenceState.READY, ""
            evidence.save(update_fields=["public_copy", "thumbnail", "state", "error"])
    except Exception as exc:  # recorded for the page; the worker stays up
        for field in written:
            if field.name:
                field.storage.delete(field.name)
        message = exc.message if isinstance(exc, ServiceError) else f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            reports_touch([evidence.report_id])
            Evidence.objects.filter(pk=evidence_id).update(
                state=EvidenceState.FAILED, error=str(message)[:1000], public_copy="", thumbnail=""
            )
        evidence.refresh_from_db()
    return evidence
