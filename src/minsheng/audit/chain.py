"""The audit hash chain (审计哈希链): hₙ = SHA-256(hₙ₋₁ ‖ canonical(rowₙ)).

Pure functions, shared by the writer (`services.audit_record`), `audit-verify` and `audit-archive`, and by
the migration that chained the rows written before the chain existed. The canonical form must never change:
an old row is only verifiable with the form it was hashed with.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64

# Columns covered by the hash, in this order. `prev_hash` and `hash` themselves are not content.
CONTENT_FIELDS = (
    "id",
    "time",
    "actor_id",
    "actor_name",
    "role",
    "address",
    "request_id",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_repr",
    "plan_id",
    "before",
    "after",
    "message",
)


def _canonical_value(value: Any) -> Any:
    """Tag every scalar with its kind so "1" and 1 differ, and numbers compare by value.

    PostgreSQL's jsonb rewrites numbers (1e16 comes back as 10000000000000000), so a number is hashed by
    its normalised decimal value, whatever type it came back as.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return "n:" + format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, str):
        return "s:" + value
    if isinstance(value, datetime):
        return "t:" + value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    return "s:" + str(value)


def canonical(row: dict[str, Any]) -> bytes:
    """The bytes hashed for one row: its content fields as sorted, tagged JSON."""
    content = {name: _canonical_value(row.get(name)) for name in CONTENT_FIELDS}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link(prev_hash: str, row: dict[str, Any]) -> str:
    """The hash of `row` chained after `prev_hash`."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(row)).hexdigest()
