"""What PostgreSQL keeps prepared for the test's connection (`pg_prepared_statements`), for the tests of
`core.prepared` and of the paths that run inside it."""

from __future__ import annotations

from django.db import connection


def prepared_statements_now(containing: str = "") -> list[str]:
    """The text of every statement prepared on this connection (those containing `containing`)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{containing}%"]
        )
        return [row[0] for row in cursor.fetchall()]
