"""`/healthz`: no sign-in, JSON, 200 when the database answers and migrations are applied, else 503."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_unapplied_migration_gives_503(client):
    """Forget the newest applied migration of an app (rolled back with the test): the server is not ready."""
    from django.db.migrations.loader import MigrationLoader

    ((app, name),) = MigrationLoader(connection).graph.leaf_nodes("audit")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "ok", "migrations": "fail"}}


def test_post_is_refused_and_nothing_leaks(client):
    assert client.post("/healthz").status_code == 405
    body = client.get("/healthz").content.decode()
    assert "sqlite" not in body.lower() and "postgres" not in body.lower()
