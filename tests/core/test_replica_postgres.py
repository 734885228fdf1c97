"""The replica router against two real PostgreSQL databases on the local server: a primary, migrated and
seeded, and a "replica" copied from it (CREATE DATABASE … TEMPLATE) and then changed, so every read shows
which database answered. Verified: while a portal or dashboard GET is marked, the programme's data is
read from `replica`; accounts and sessions, every write, and every other request use `default`.
Streaming replication itself (WAL shipping, lag) is PostgreSQL's and is not exercised here.

Skipped when no PostgreSQL answers at MINSHENG_PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ADMIN_URL = os.environ.get("MINSHENG_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SRC = Path(__file__).resolve().parents[2] / "src"


def _admin() -> object:
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}")


def _url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _run(script: str, env: dict[str, str], tmp_path: Path) -> dict:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    full.update(
        env, DJANGO_SETTINGS_MODULE="minsheng.settings", MINSHENG_HOME=str(tmp_path), PYTHONPATH=str(SRC)
    )
    full.update(MINSHENG_RATE_LIMIT="0", CONN_MAX_AGE="0", ALLOWED_HOSTS="testserver")
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
from minsheng.orgs.models import Region
from minsheng.plans.models import Plan
region = Region.objects.create(name="金坛区", code="320413", level="district")
plan = Plan.objects.create(region=region, year=2024, title="primary title", status="published")
print(json.dumps({"plan": plan.pk}))
"""

CHECK = """
import json
from django.db import connections
from django.test import Client
from minsheng.core import replica
from minsheng.plans.models import Plan
from minsheng.accounts.models import User
PLAN = %(plan)d
found = {"databases": sorted(connections.settings)}
found["unmarked"] = Plan.objects.get(pk=PLAN).title
token = replica._reading.set(True)
try:
    found["marked"] = Plan.objects.get(pk=PLAN).title
    found["users_on"] = User.objects.all().db
    plan = Plan.objects.get(pk=PLAN)
    plan.title = "written while marked"
    plan.save()
    found["marked_after_write"] = Plan.objects.get(pk=PLAN).title
finally:
    replica._reading.reset(token)
found["primary_after_write"] = Plan.objects.get(pk=PLAN).title
found["replica_after_write"] = Plan.objects.using("replica").get(pk=PLAN).title
page = Client().get("/public/plans/%%d/" %% PLAN)
found["portal_status"] = page.status_code
found["portal_shows"] = [t for t in ("replica title", "written while marked") if t in page.content.decode()]
print(json.dumps(found))
"""


def test_reads_of_marked_requests_go_to_the_replica_and_writes_to_the_primary(tmp_path: Path) -> None:
    admin = _admin()
    suffix = uuid.uuid4().hex[:8]
    primary, copy = f"minsheng_primary_{suffix}", f"minsheng_replica_{suffix}"
    try:
        admin.execute(f"CREATE DATABASE {primary}")  # type: ignore[attr-defined]
        seeded = _run(SEED, {"DATABASE_URL": _url(primary)}, tmp_path)
        admin.execute(f"CREATE DATABASE {copy} TEMPLATE {primary}")  # type: ignore[attr-defined]
        import psycopg

        with psycopg.connect(_url(copy), autocommit=True) as conn:
            conn.execute("UPDATE plans_plan SET title = 'replica title'")
        found = _run(
            CHECK % {"plan": seeded["plan"]},
            {"DATABASE_URL": _url(primary), "DATABASE_REPLICA_URL": _url(copy)},
            tmp_path,
        )
    finally:
        for name in (copy, primary):
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[attr-defined]
        admin.close()  # type: ignore[attr-defined]
    assert found["databases"] == ["default", "replica"]
    assert found["unmarked"] == "primary title"  # no request marked: the primary
    assert found["marked"] == "replica title"  # a portal/dashboard read: the replica
    assert found["users_on"] == "default"  # accounts never leave the primary
    assert found["primary_after_write"] == "written while marked"  # writes go to the primary
    assert found["replica_after_write"] == "replica title"  # … and never to the replica
    assert found["marked_after_write"] == "replica title"
    assert found["portal_status"] == 200
    assert found["portal_shows"] == ["replica title"]  # the public plan page read the replica
