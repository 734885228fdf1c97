"""Django's PostgreSQL backend; inside `prepared_statements()` its cursors bind on the server and prepare.

Settings swap `django.db.backends.postgresql` for this (settings, `_postgresql_options`). Everything else is
Django's: the cursor is made as Django makes its own (time zone loader included) and handed to Django's
wrapper, so the health check, error translation and query logging apply as to any query.
"""

from __future__ import annotations

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


class DatabaseWrapper(django_base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def create_cursor(self, name: str | None = None) -> Any:
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
