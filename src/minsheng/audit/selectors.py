"""Read audit rows."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from minsheng.audit import chain
from minsheng.audit.models import AuditAnchor, AuditChainHead, AuditEvent


def events_about(objects: Iterable[models.Model]) -> QuerySet[AuditEvent]:
    """Audit rows about any of `objects` (matched by model label and primary key), newest first."""
    ids: dict[str, list[str]] = {}
    for obj in objects:
        ids.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    about = Q(pk__in=[])
    for object_type, object_ids in ids.items():
        about |= Q(object_type=object_type, object_id__in=object_ids)
    return AuditEvent.objects.filter(about).order_by("-time", "-pk")


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: rows checked and the problems (empty when the chain is intact)."""

    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(*, limit_problems: int = 20) -> ChainReport:
    """Walk the audit rows in id order and recompute every hash.

    One altered byte changes a row's hash; one deleted row leaves a gap in the ids and breaks the link of
    the next row; deleting the newest rows no longer matches the chain head; deleting the oldest rows no
    longer matches the last archive anchor.
    """
    problems: list[str] = []
    anchor = AuditAnchor.objects.order_by("-through_id").first()
    prev_hash = anchor.last_hash if anchor else chain.GENESIS
    prev_id = anchor.through_id if anchor else 0
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        if event.id != prev_id + 1:
            problems.append(
                _("rows %(first)s–%(last)s are missing") % {"first": prev_id + 1, "last": event.id - 1}
            )
        if event.prev_hash != prev_hash:
            problems.append(_("row %(id)s does not link to the row before it") % {"id": event.id})
        if chain.link(event.prev_hash, event.chain_row()) != event.hash:
            problems.append(
                _("row %(id)s was altered (its hash does not match its content)") % {"id": event.id}
            )
        prev_hash, prev_id = event.hash, event.id
        if len(problems) >= limit_problems:
            return ChainReport(checked, problems)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_id, head.last_hash) != (prev_id, prev_hash):
        problems.append(
            _("the chain ends at row %(id)s but the head says row %(head)s: newest rows were removed")
            % {"id": prev_id, "head": head.last_id}
        )
    return ChainReport(checked, problems)


def verify_archive(manifest_path: Path) -> list[str]:
    """Check one archive against its manifest: the file's SHA-256, then the chain inside it."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    archive = manifest_path.parent / manifest["file"]
    if not archive.exists():
        return [_("archive file %(file)s is missing") % {"file": manifest["file"]}]
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != manifest["sha256"]:
        return [_("SHA-256 of %(file)s does not match its manifest") % {"file": manifest["file"]}]
    problems: list[str] = []
    prev_hash, rows = manifest["first_prev_hash"], 0
    with gzip.open(archive, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            rows += 1
            row["time"] = datetime.fromisoformat(row["time"])
            if row["prev_hash"] != prev_hash or chain.link(prev_hash, row) != row["hash"]:
                problems.append(_("archived row %(id)s does not match its hash") % {"id": row["id"]})
            prev_hash = row["hash"]
    if rows != manifest["rows"] or prev_hash != manifest["last_hash"]:
        problems.append(_("the archive does not end where its manifest says"))
    return problems
