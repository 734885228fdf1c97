"""Prepared statements for the few queries every request makes (`prepared_statements`).

Django binds parameters in the client and never prepares a statement, so PostgreSQL plans every query
afresh; for the queries each signed-in request makes (the user's, a page's live mark) planning cost more
than running them. Queries run inside `prepared_statements()` are bound on the server and prepared once per
connection by the PostgreSQL backend of `minsheng.core.postgresql` (when the database's OPTIONS give
psycopg a `prepare_threshold`: settings, MINSHENG_DB_PREPARED). Elsewhere, and on SQLite (whose driver
keeps compiled statements by itself), it changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_PREPARED: ContextVar[bool] = ContextVar("minsheng_prepared_statements", default=False)


@contextmanager
def prepared_statements() -> Iterator[None]:
    """Cursors opened inside prepare their statements (PostgreSQL). Only for queries of a fixed shape run
    on every request: each shape takes a slot of the connection's prepared statements (psycopg keeps 100)."""
    token = _PREPARED.set(True)
    try:
        yield
    finally:
        _PREPARED.reset(token)


def statements_prepared() -> bool:
    """Whether the code running now asked for prepared statements."""
    return _PREPARED.get()
