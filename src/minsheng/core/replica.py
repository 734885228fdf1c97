"""Reads of the portal and the dashboards from a PostgreSQL streaming replica (`DATABASE_REPLICA_URL`).

`ReplicaMiddleware` marks GET/HEAD requests to the public portal and the dashboard; while a request is
marked, `ReplicaRouter` sends reads of the programme's data (plans, progress, lights, regions and units,
notices, bulletins) to the `replica` database. Everything else — every write, sessions, accounts, audit,
the cache table, any request that is not a read of those pages — stays on `default`, so a person always
reads what they have just written. Without `DATABASE_REPLICA_URL` nothing is routed.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
READ_APPS = frozenset({"plans", "progress", "alerts", "orgs", "supervision", "bulletins"})
READ_PREFIXES = ("/public/", "/dashboard/")
_reading: ContextVar[bool] = ContextVar("minsheng_replica_reading", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def routes_to_replica(request: HttpRequest) -> bool:
    """A read of the portal (`/`, `/public/…`) or the dashboard."""
    return request.method in ("GET", "HEAD") and (
        request.path == "/" or request.path.startswith(READ_PREFIXES)
    )


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading.set(replica_configured() and routes_to_replica(request))
        try:
            return self.get_response(request)
        finally:
            _reading.reset(token)


class ReplicaRouter:
    """Reads of the programme's data during a marked request go to the replica; nothing else does."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading.get() and model._meta.app_label in READ_APPS:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of default

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
