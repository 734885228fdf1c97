"""Django's PostgreSQL backend; inside `prepared_statements()` its cursors bind on the server and prepare,
and a connection that served a request a moment ago is not health-checked again (`HEALTHY_SECONDS`).

Settings swap `django.db.backends.postgresql` for this (settings, `_postgresql_options`). Everything else is
Django's: the cursor is made as Django makes its own (time zone loader included) and handed to Django's
wrapper, so the health check, error translation and query logging apply as to any query.
"""

from __future__ import annotations

import time
from typing import Any

from django.db.backends.postgresql import base as django_base
from django.db.backends.postgresql.operations import DatabaseOperations as DjangoOperations

from minsheng.core.prepared import statements_prepared

base: Any = django_base  # the names below are missing from django-stubs

if base.is_psycopg3:

    class PreparedCursor(base.ServerBindingCursor):  # type: ignore[misc]
        """A cursor binding on the server that prepares each query it runs (once per connection)."""

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            # A statement without parameters is left to psycopg's count (prepared at the threshold's
            # run): a savepoint's name is new each time, and preparing it would push out statements
            # that are used again.
            return super().execute(query, params, prepare=True if params is not None else None, **kwargs)


class DatabaseOperations(DjangoOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str | None:  # type: ignore[override]
        """A prepared statement runs by name and psycopg keeps no text of it: log the query with its values
        as Django's client-side binding would have sent it."""
        if base.is_psycopg3 and isinstance(cursor, PreparedCursor):
            try:
                return self.compose_sql(sql, params)  # type: ignore[no-any-return]
            except base.Database.errors.DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


# Django checks a persistent connection (CONN_HEALTH_CHECKS) with a round trip at the start of every
# request: one in twenty of a month-end write's, one in two of a staff page's served from the cache. A
# connection that ended a request without an error less than this long ago is taken as healthy; a
# database restarted within that second fails one request, which closes the connection for the next.
HEALTHY_SECONDS = 1.0


class DatabaseWrapper(django_base.DatabaseWrapper):
    ops_class = DatabaseOperations
    _served_at: float | None = None  # when a request that used the connection last ended without an error
    _used = False  # a cursor was made since Django last called close_if_unusable_or_obsolete

    def close_if_unusable_or_obsolete(self) -> None:
        # Django calls this as a request starts and as it ends: a request served by this connection has
        # made a cursor in between.
        served = self._used and self.connection is not None and not self.errors_occurred
        self._used = False
        if self.errors_occurred:
            self._served_at = None  # the next request checks again
        super().close_if_unusable_or_obsolete()
        if served and self.connection is not None:
            self._served_at = time.monotonic()

    def close_if_health_check_failed(self) -> None:
        this: Any = self  # health_check_done and health_check_enabled are missing from django-stubs
        if (
            self.connection is not None
            and this.health_check_enabled
            and not this.health_check_done
            and self._served_at is not None
            and time.monotonic() - self._served_at < HEALTHY_SECONDS
        ):
            this.health_check_done = True
            return
        super().close_if_health_check_failed()

    def create_cursor(self, name: str | None = None) -> Any:
        self._used = True
        if (
            name is None
            and base.is_psycopg3
            and statements_prepared()
            and self.settings_dict["OPTIONS"].get("prepare_threshold") is not None
        ):
            cursor = PreparedCursor(self.connection)
            loader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, base.Format.TEXT)
            if self.timezone != loader.timezone:
                base.register_tzloader(self.timezone, cursor)
            return cursor
        return super().create_cursor(name)
