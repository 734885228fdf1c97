"""The application against a live PostgreSQL streaming replica (`scripts/pg_replica.sh create`): what is
written on the primary reaches the replica, and the portal's and the dashboard's reads are served by it.

Runs when `DATABASE_REPLICA_URL` names a server in recovery (a standby) streaming from the server at
MINSHENG_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres), e.g.
`DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/postgres`; skipped with the reason otherwise.
A scratch database is created on the primary (it streams to the replica too) and dropped at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ADMIN_URL = os.environ.get("MINSHENG_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
SRC = Path(__file__).resolve().parents[2] / "src"
TESTS = Path(__file__).resolve().parents[1]


def _server(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def _connect(url: str) -> Any:
    psycopg = pytest.importorskip("psycopg")
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


@pytest.fixture
def servers() -> Iterator[tuple[Any, Any]]:
    """(primary, replica) admin connections, or skip saying why."""
    psycopg = pytest.importorskip("psycopg")
    if not REPLICA_URL:
        pytest.skip("DATABASE_REPLICA_URL is not set (scripts/pg_replica.sh create makes a local replica)")
    try:
        replica = _connect(_server(REPLICA_URL, "postgres"))
    except psycopg.OperationalError as error:
        pytest.skip(f"no replica answers at DATABASE_REPLICA_URL: {error}")
    if not replica.execute("select pg_is_in_recovery()").fetchone()[0]:
        replica.close()
        pytest.skip("DATABASE_REPLICA_URL is not a standby (pg_is_in_recovery() is false)")
    try:
        primary = _connect(ADMIN_URL)
    except psycopg.OperationalError as error:
        replica.close()
        pytest.skip(f"no primary answers at {ADMIN_URL}: {error}")
    yield primary, replica
    primary.close()
    replica.close()


def _wait(probe: Any, seconds: float = 30.0) -> float:
    """Seconds until `probe()` is true (fails after `seconds`)."""
    started = time.monotonic()
    while not probe():
        assert time.monotonic() - started < seconds, "the replica did not catch up"
        time.sleep(0.05)
    return time.monotonic() - started


def _run(script: str, env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    full.update(
        env,
        DJANGO_SETTINGS_MODULE="minsheng.settings",
        MINSHENG_HOME=str(tmp_path),
        PYTHONPATH=os.pathsep.join([str(SRC), str(TESTS)]),
        MINSHENG_RATE_LIMIT="0",
        CONN_MAX_AGE="0",
        ALLOWED_HOSTS="testserver",
    )
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env=full,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


SEED = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from factories import UserFactory
from minsheng.orgs.models import Region
from minsheng.plans.models import Plan
region = Region.objects.create(name="金坛区", code="320413", level="district")
plan = Plan.objects.create(region=region, year=2024, title="streamed title", status="published")
UserFactory(username="leader", role="leader", region=region)
print(json.dumps({"plan": plan.pk}))
"""

CHECK = """
import json
from django.db import connections
from django.test import Client
from factories import PASSWORD
PLAN = %(plan)d
found = {"databases": sorted(connections.settings)}

def served(path, client):
    counts = {}
    for alias in ("default", "replica"):
        connections[alias].force_debug_cursor = True
        connections[alias].queries_log.clear()
    response = client.get(path)
    for alias in ("default", "replica"):
        counts[alias] = [q["sql"] for q in connections[alias].queries_log]
    return response, counts

page, counts = served("/public/plans/%%d/" %% PLAN, Client())
found["portal"] = [page.status_code, "written later" in page.content.decode()]
found["portal_replica_plans"] = sum('"plans_plan"' in sql for sql in counts["replica"])
found["portal_default_plans"] = sum('"plans_plan"' in sql for sql in counts["default"])
leader = Client()
assert leader.login(username="leader", password=PASSWORD)
page, counts = served("/dashboard/", leader)
found["dashboard"] = page.status_code
found["dashboard_replica_plans"] = sum('"plans_plan"' in sql for sql in counts["replica"])
found["dashboard_default_plans"] = sum('"plans_plan"' in sql for sql in counts["default"])
found["dashboard_default_users"] = sum('"accounts_user"' in sql for sql in counts["default"])
try:
    from minsheng.plans.models import Plan
    Plan.objects.using("replica").filter(pk=PLAN).update(title="x")
    found["replica_write"] = "accepted"
except Exception as error:
    found["replica_write"] = type(error).__name__ + ": " + str(error).splitlines()[0]
print(json.dumps(found))
"""


def test_writes_reach_the_replica_and_portal_and_dashboard_read_from_it(
    servers: tuple[Any, Any], tmp_path: Path
) -> None:
    primary, replica = servers
    name = f"minsheng_stream_{uuid.uuid4().hex[:8]}"
    try:
        primary.execute(f"CREATE DATABASE {name}")
        created = _wait(
            lambda: replica.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        )
        seeded = _run(SEED, {"DATABASE_URL": _server(ADMIN_URL, name)}, tmp_path)
        copy = _connect(_server(REPLICA_URL, name))
        try:
            sql = "select title from plans_plan where id = %s"
            seen = _wait(lambda: copy.execute(sql, [seeded["plan"]]).fetchone() == ("streamed title",))
            # A later write on the primary reaches the replica too.
            with _connect(_server(ADMIN_URL, name)) as conn:
                conn.execute("update plans_plan set title = 'written later' where id = %s", [seeded["plan"]])
            later = _wait(lambda: copy.execute(sql, [seeded["plan"]]).fetchone() == ("written later",))
            found = _run(
                CHECK % {"plan": seeded["plan"]},
                {
                    "DATABASE_URL": _server(ADMIN_URL, name),
                    "DATABASE_REPLICA_URL": _server(REPLICA_URL, name),
                },
                tmp_path,
            )
        finally:
            copy.close()
    finally:
        primary.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    print(f"replica caught up: database {created:.2f} s, seed {seen:.2f} s, update {later:.2f} s")
    assert found["databases"] == ["default", "replica"]
    assert found["portal"] == [200, True]
    assert found["portal_replica_plans"] >= 1 and found["portal_default_plans"] == 0
    assert found["dashboard"] == 200
    assert found["dashboard_replica_plans"] >= 1 and found["dashboard_default_plans"] == 0
    assert found["dashboard_default_users"] >= 1  # the signed-in user is read from the primary
    assert "read-only transaction" in found["replica_write"]  # a real standby, not a copy
