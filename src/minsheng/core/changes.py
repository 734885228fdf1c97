"""One stamp for "what lights, lists and reports show last changed", kept in the shared cache.

`changes_version()` reads it (set on first use); `changes_bump()` renews it. The public pages' cache
(`portal.cache`) and the dashboard's figures (`dashboard.selectors.dashboard`) key on it, so whatever
renews the portal renews them too: publish, approval, return, period close, edits, endings, the daily tick.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "portal:version"
# Set on the connection by a bump inside a transaction, cleared by any read of the stamp: a second bump
# in the same transaction with no read in between would change nothing anyone can see.
UNREAD_MARK = "_minsheng_bump_unread"


# The stamp as this process last read it, and when (monotonic): `changes_version_recent`.
_recent: dict[str, float] = {}
_recent_lock = threading.Lock()


def _remember(stamp: float) -> float:
    with _recent_lock:
        _recent["stamp"], _recent["at"] = stamp, time.monotonic()
    return stamp


def changes_version_recent(max_age: float) -> float | None:
    """The stamp as this process read it at most `max_age` seconds ago, if nothing was bumped here since
    (else None: read it). For pages anyone may be shown a second late (the anonymous portal)."""
    with _recent_lock:
        stamp, at = _recent.get("stamp"), _recent.get("at", 0.0)
    if stamp is None or time.monotonic() - at > max_age:
        return None
    setattr(transaction.get_connection(), UNREAD_MARK, False)
    return stamp


def changes_recent_forget() -> None:
    """Forget the stamp read last (a bump here, and the tests between two cases)."""
    with _recent_lock:
        _recent.clear()


def changes_version() -> float:
    """When what pages show last changed (a Unix time)."""
    setattr(transaction.get_connection(), UNREAD_MARK, False)
    stamp = cache.get(VERSION_KEY)
    if stamp is None:
        cache.add(VERSION_KEY, time.time(), None)
        stamp = cache.get(VERSION_KEY, time.time())
    return _remember(float(stamp))


def stamped_get(key: str) -> tuple[float, Any]:
    """The change stamp and the entry stored under `key` by `stamped_set` at that stamp (else None), in
    one cache read: pages kept until the next change cost one query on the database cache, not two."""
    found = cache.get_many([VERSION_KEY, key])
    stamp = found.get(VERSION_KEY)
    if stamp is None:
        stamp = changes_version()  # sets it, and remembers it
    else:
        setattr(transaction.get_connection(), UNREAD_MARK, False)
        _remember(float(stamp))
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return float(stamp), entry[1]
    return float(stamp), None


def stamped_set(key: str, stamp: float, value: Any, timeout: int | None) -> None:
    """Keep `value` under `key` for readers of change stamp `stamp` (`stamped_get`). A reader holding an
    older stamp may overwrite a newer entry: the next reader then renders again, nobody sees old data."""
    cache.set(key, (stamp, value), timeout)


def changes_bump() -> None:
    """Everything derived from lights and lists is out of date."""
    cache.set(VERSION_KEY, time.time(), None)
    changes_recent_forget()


def _cache_in_transaction() -> bool:
    """Is the shared cache the database cache on the connection that writes the data? Then the bump is
    part of the writer's transaction: readers see the new stamp exactly when they see the new data, and
    the bump after commit would change nothing (five queries saved per write)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import router

    backend = caches["default"]
    return (
        isinstance(backend, DatabaseCache)
        and router.db_for_write(backend.cache_model_class) == transaction.get_connection().alias
    )


def changes_bump_on_commit() -> None:
    """A change inside a transaction: out of date now (pages re-render) and again once it commits (what
    was rendered from the old data in between is not kept); one after-commit bump per transaction,
    unless the cache commits with the data (`_cache_in_transaction`)."""
    conn = transaction.get_connection()
    pending = conn.in_atomic_block and any(
        getattr(entry[1], "changes_bump", False) and not getattr(entry[1], "done", False)
        for entry in conn.run_on_commit
    )
    if pending and getattr(conn, UNREAD_MARK, False):
        return  # bumped already in this transaction and nobody read the stamp since
    changes_bump()
    setattr(conn, UNREAD_MARK, True)
    if pending:
        return

    transactional = _cache_in_transaction()

    def bump() -> None:
        bump.done = True  # type: ignore[attr-defined]
        if not transactional:
            changes_bump()

    bump.changes_bump = True  # type: ignore[attr-defined]
    transaction.on_commit(bump, robust=True)
