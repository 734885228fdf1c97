"""`/healthz` (健康检查) for the load balancer and monitoring: database reachable, migrations applied.

No sign-in and nothing about the data: only "ok"/"fail" per check, 200 when all pass, else 503.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database_ok() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _migrations_ok() -> bool:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """{"status": "ok", "checks": {"database": "ok", "migrations": "ok"}} with 200, else 503."""
    database = _database_ok()
    migrations = database and _migrations_ok()
    checks = {"database": "ok" if database else "fail", "migrations": "ok" if migrations else "fail"}
    healthy = database and migrations
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
