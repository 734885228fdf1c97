"""Write audit rows. Services call `audit_record` inside their own transaction (never via signals).

Every row is chained to the one before (audit.chain): the writer locks the single chain-head row, so
concurrent writers queue and the chain has one order on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils import timezone

from minsheng.audit import chain
from minsheng.audit.checks import MINIMUM_RETENTION_DAYS
from minsheng.audit.choices import Action, Outcome
from minsheng.audit.middleware import current_client_address, current_request_id
from minsheng.audit.models import AuditAnchor, AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from minsheng.accounts.models import User
    from minsheng.plans.models import Plan

SYSTEM_ACTOR = "system"
HEAD_PK = 1
PURGE_SETTING = "minsheng.audit_purge"


def locked_head() -> AuditChainHead:
    """The chain head, locked until the caller's transaction ends (created on first use)."""
    try:
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.get_or_create(pk=HEAD_PK)
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


# No savepoint: a failed audit row fails the caller's whole transaction anyway (two fewer round trips
# per write).
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: User | None,
    action: Action | str,
    obj: models.Model | None = None,
    plan: Plan | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    address: str | None = None,
) -> AuditEvent:
    """Write one audit row: who (`actor`, None for the system), did what to which object, before → after.

    The client address comes from the request (`address` overrides it); the role is the actor's.
    """
    return audit_record_many(
        [
            AuditEntry(
                actor=actor,
                action=action,
                obj=obj,
                plan=plan,
                before=before,
                after=after,
                message=message,
                object_type=object_type,
                object_id=object_id,
                object_repr=object_repr,
                outcome=outcome,
                address=address,
            )
        ]
    )[0]


@dataclass
class AuditEntry:
    """One audit row to write (the arguments of `audit_record`)."""

    actor: User | None
    action: Action | str
    obj: models.Model | None = None
    plan: Plan | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    message: str = ""
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    outcome: Outcome | str = Outcome.SUCCESS
    address: str | None = None


@transaction.atomic(savepoint=False)
def audit_record_many(entries: list[AuditEntry]) -> list[AuditEvent]:
    """Write several audit rows in order, in two queries whatever their number (the head locked, one
    INSERT, whose trigger moves the head: migration 0003): a service that does two things at once (save
    and submit) records both without paying for the chain twice."""
    head = locked_head()
    events = []
    last_id, last_hash = head.last_id, head.last_hash
    for entry in entries:
        obj, actor = entry.obj, entry.actor
        event = AuditEvent(
            # Ids are taken from the locked head, so they are gap-free in chain order.
            id=last_id + 1,
            actor=actor if actor is not None and actor.pk else None,
            actor_name=actor.get_username() if actor is not None else SYSTEM_ACTOR,
            role=str(getattr(actor, "role", "") or "")[:30],
            address=(current_client_address.get() if entry.address is None else entry.address)[:45],
            request_id=current_request_id.get(),
            action=entry.action,
            outcome=entry.outcome,
            object_type=entry.object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=entry.object_id or (str(obj.pk) if obj is not None else ""),
            object_repr=(entry.object_repr or (str(obj) if obj is not None else ""))[:255],
            plan=entry.plan,
            before=entry.before,
            after=entry.after,
            message=entry.message,
            prev_hash=last_hash,
        )
        # The trigger forbids UPDATE, so the hash is computed before the INSERT.
        event.hash = chain.link(event.prev_hash, event.chain_row())
        last_id, last_hash = event.id, event.hash
        events.append(event)
    if len(events) == 1:
        events[0].save(force_insert=True)
    else:
        AuditEvent.objects.bulk_create(events)
    head.last_id, head.last_hash = last_id, last_hash  # as the INSERT's trigger stored it
    return events


@contextmanager
def purge_permitted(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let the append-only triggers allow DELETE/TRUNCATE on the audit table inside this block.

    The one sanctioned path for `audit-archive` (and for emptying a whole database, as tests do).
    SQLite asks a function registered on Django's connections; PostgreSQL reads a setting, local to the
    transaction when there is one.
    """
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        local = connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'on', %s)", [PURGE_SETTING, local])
        try:
            yield
        finally:
            # Inside a transaction the setting ends with it (and an aborted transaction refuses queries).
            if not local:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'off', false)", [PURGE_SETTING])
    else:
        connection.minsheng_audit_purge = True  # type: ignore[attr-defined]
        try:
            yield
        finally:
            connection.minsheng_audit_purge = False  # type: ignore[attr-defined]


def archive_row(event: AuditEvent) -> dict[str, Any]:
    """One archived row: the hashed content plus both hashes (a line of the JSONL archive)."""
    row = event.chain_row()
    row["time"] = event.time.astimezone(UTC).isoformat(timespec="microseconds")
    row["prev_hash"], row["hash"] = event.prev_hash, event.hash
    return row


@transaction.atomic
def archive_events(
    *, acting_user: User | None, older_than_days: int, directory: Path, now: datetime | None = None
) -> AuditAnchor | None:
    """Move audit rows older than `older_than_days` to a gzip JSONL file, then delete them.

    Only a prefix of the chain is archived (every row before the first recent one), so the rows kept still
    form a chain from the new anchor (the last archived hash). The file and a manifest with its SHA-256
    are written and flushed to disk before any row is deleted. Returns the anchor, or None if nothing is
    old enough.
    """
    if older_than_days < MINIMUM_RETENTION_DAYS:
        raise ValueError(f"audit rows must be kept at least {MINIMUM_RETENTION_DAYS} days")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    locked_head()  # writers wait: the prefix cannot grow while it is archived
    first_recent = (
        AuditEvent.objects.filter(time__gte=cutoff).order_by("id").values_list("id", flat=True).first()
    )
    old = AuditEvent.objects.order_by("id")
    if first_recent is not None:
        old = old.filter(id__lt=first_recent)
    bounds = old.aggregate(first=models.Min("id"), last=models.Max("id"), rows=models.Count("id"))
    if not bounds["rows"]:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    name = f"audit-{bounds['first']:012d}-{bounds['last']:012d}.jsonl.gz"
    part = directory / (name + ".part")
    last_hash = first_prev = ""
    with gzip.open(part, "wt", encoding="utf-8") as out:
        for event in old.iterator(chunk_size=2000):
            first_prev = first_prev or event.prev_hash
            out.write(
                json.dumps(archive_row(event), ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)
            )
            out.write("\n")
            last_hash = event.hash
    digest = sha256_file(part)
    _durable_rename(part, directory / name)
    manifest = {
        "file": name,
        "sha256": digest,
        "rows": bounds["rows"],
        "first_id": bounds["first"],
        "last_id": bounds["last"],
        "first_prev_hash": first_prev,
        "last_hash": last_hash,
        "created": timezone.now().isoformat(),
    }
    manifest_part = directory / (name + ".manifest.json.part")
    manifest_part.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _durable_rename(manifest_part, directory / (name + ".manifest.json"))
    anchor = AuditAnchor.objects.create(
        through_id=bounds["last"], last_hash=last_hash, rows=bounds["rows"], file_name=name, sha256=digest
    )
    with purge_permitted():
        old._raw_delete(old.db)
    audit_record(
        actor=acting_user,
        action=Action.ARCHIVE,
        obj=anchor,
        after={"rows": bounds["rows"], "through_id": bounds["last"], "sha256": digest},
        message=f"archived audit rows {bounds['first']}–{bounds['last']} to {name}",
    )
    return anchor


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _durable_rename(part: Path, final: Path) -> None:
    with part.open("rb") as handle:
        os.fsync(handle.fileno())
    part.replace(final)
