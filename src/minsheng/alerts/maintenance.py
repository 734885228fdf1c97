"""Database hygiene after bulk changes (migrate, the daily tick, the demo): fresh planner statistics.

SQLite never gathers statistics by itself, so without `ANALYZE` a filter such as `status = 'approved' AND
item_id IN (…)` picks the status index and scans every approved report; `PRAGMA optimize` keeps them
current cheaply. PostgreSQL's autovacuum analyses on its own; an explicit `ANALYZE` after bulk loads helps.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def database_optimize(full: bool = False) -> None:
    """ANALYZE (full) or PRAGMA optimize (SQLite, cheap) on the default database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE" if full else "PRAGMA optimize")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate: the shared cache table (when the database cache is used), statistics, lights."""
    from django.core.management import call_command

    from minsheng.alerts.lights import lights_refresh
    from minsheng.plans.models import Plan

    if kwargs.get("using", "default") != "default":
        return
    call_command("createcachetable", verbosity=0)
    database_optimize(full=True)
    lights_refresh(Plan.objects.values_list("pk", flat=True))
