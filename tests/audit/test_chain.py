"""The audit trail is append-only and hash-chained: the database refuses UPDATE/DELETE, `audit-verify`
finds one altered byte or one missing row, `audit-archive` moves old rows to a checksummed file."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from factories import RegionFactory, UserFactory
from minsheng.audit import chain
from minsheng.audit.checks import check_audit_retention
from minsheng.audit.middleware import RequestIdMiddleware
from minsheng.audit.models import AuditAnchor, AuditChainHead, AuditEvent
from minsheng.audit.selectors import verify_archive, verify_chain
from minsheng.audit.services import archive_events, audit_record

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    region = RegionFactory(name="金坛区")
    return [
        audit_record(actor=None, action="update", obj=region, before={"n": i, "f": 1e16}, after={"n": i + 1})
        for i in range(n)
    ]


def _drop_triggers() -> None:
    """What an intruder with a database shell would do first (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")


def _verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("audit-verify")


def test_each_row_links_to_the_one_before():
    first, second, third = _events(3)
    assert first.prev_hash == chain.GENESIS
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert [e.id for e in (first, second, third)] == [first.id, first.id + 1, first.id + 2]
    stored = AuditEvent.objects.get(pk=second.pk)
    assert chain.link(stored.prev_hash, stored.chain_row()) == stored.hash
    report = verify_chain()
    assert report.ok and report.checked == 3


def test_the_database_moves_the_head_with_the_rows_it_inserts_and_never_back():
    """The INSERT's trigger moves the head (migration 0003): a service writes its rows in two queries, a
    row inserted by any other path moves the head too, and rows inserted out of order leave it at the
    newest."""
    _events(1)
    region = RegionFactory(name="溧阳市")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        event = audit_record(actor=None, action="update", obj=region, after={"n": 1})
    assert [q["sql"].split()[0] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))] == [
        "SELECT",  # the head, locked
        "INSERT",
    ]
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (event.id, event.hash)
    rows = [AuditEvent(id=event.id + n, action="update", hash=f"{n:064d}") for n in (2, 1)]
    AuditEvent.objects.bulk_create(rows)
    head.refresh_from_db()
    assert (head.last_id, head.last_hash) == (event.id + 2, f"{2:064d}")


def test_audit_verify_command_reports_an_intact_chain(capsys):
    _events(2)
    call_command("audit-verify")
    assert "2 rows checked" in capsys.readouterr().out


@pytest.mark.parametrize("sql", ["UPDATE audit_auditevent SET message = 'x'", "DELETE FROM audit_auditevent"])
def test_database_refuses_update_and_delete(sql):
    _events(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert not AuditEvent.objects.filter(message="x").exists()


def test_orm_delete_is_refused_too():
    _events(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate():
    _events(1)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else the insert's deferred checks block TRUNCATE
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE audit_auditevent")


def test_verify_finds_one_altered_byte():
    events = _events(3)
    _drop_triggers()
    with connection.cursor() as cursor:
        # One byte: "金" → "全" in the middle row's object name.
        cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["全坛区", events[1].id])
    _verify_fails(f"row {events[1].id} was altered")


def test_verify_finds_an_altered_json_value():
    events = _events(2)
    _drop_triggers()
    AuditEvent.objects.filter(pk=events[0].pk).update(after={"n": 999})
    _verify_fails(f"row {events[0].id} was altered")


def test_verify_finds_one_deleted_row():
    events = _events(3)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    _verify_fails(f"rows {events[1].id}–{events[1].id} are missing")


def test_verify_finds_the_newest_row_deleted():
    events = _events(3)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id])
    _verify_fails("newest rows were removed")


def test_verify_finds_a_forged_row_even_with_a_matching_hash_of_its_own():
    """Rewriting a row and its hash breaks the link of the row after it."""
    events = _events(3)
    _drop_triggers()
    row = AuditEvent.objects.get(pk=events[1].pk)
    row.message = "forged"
    forged_hash = chain.link(row.prev_hash, row.chain_row())
    AuditEvent.objects.filter(pk=row.pk).update(message="forged", hash=forged_hash)
    _verify_fails(f"row {events[2].id} does not link")


def test_request_address_and_role_are_recorded_and_forwarded_for_is_ignored():
    user = UserFactory(username="office9")

    def view(request):
        audit_record(actor=user, action="update", object_type="x", object_id="1")
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    RequestIdMiddleware(view)(request)
    event = AuditEvent.objects.get()
    # The role is the account's own (accounts.User.role), recorded as it was at the time.
    assert (event.address, event.role, event.outcome) == ("10.0.0.7", getattr(user, "role", ""), "success")
    assert verify_chain().ok


def _archive_at_cutoff(events: list[AuditEvent], tmp_path: Path) -> AuditAnchor | None:
    """Archive with the clock set so that the last event is exactly 180 days old."""
    return archive_events(
        acting_user=None, older_than_days=180, directory=tmp_path, now=events[-1].time + timedelta(days=180)
    )


def _spaced_events(n: int) -> list[AuditEvent]:
    events = []
    for event in _events(n):
        events.append(event)
        time.sleep(0.002)
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def test_archive_moves_old_rows_to_a_checksummed_file_and_keeps_the_chain(tmp_path):
    events = _spaced_events(4)
    anchor = _archive_at_cutoff(events, tmp_path)
    assert anchor is not None and (anchor.rows, anchor.through_id) == (3, events[2].id)
    assert anchor.last_hash == events[2].hash
    remaining = list(AuditEvent.objects.order_by("id"))
    assert remaining[0].pk == events[3].pk and remaining[-1].action == "archive"
    archive = tmp_path / anchor.file_name
    with gzip.open(archive, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    assert [row["id"] for row in lines] == [e.id for e in events[:3]]
    manifest = tmp_path / (anchor.file_name + ".manifest.json")
    assert json.loads(manifest.read_text())["sha256"] == anchor.sha256
    assert verify_archive(manifest) == []
    assert verify_chain().ok
    call_command("audit-verify", archives=tmp_path)


def test_nothing_recent_is_archived(tmp_path):
    _events(2)
    assert archive_events(acting_user=None, older_than_days=180, directory=tmp_path) is None
    assert AuditEvent.objects.count() == 2


def test_one_changed_byte_in_an_archive_is_found(tmp_path):
    anchor = _archive_at_cutoff(_spaced_events(3), tmp_path)
    assert anchor is not None
    archive = tmp_path / anchor.file_name
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 1
    archive.write_bytes(bytes(data))
    assert verify_archive(tmp_path / (anchor.file_name + ".manifest.json")) == [
        f"SHA-256 of {anchor.file_name} does not match its manifest"
    ]
    with pytest.raises(CommandError, match="does not match its manifest"):
        call_command("audit-verify", archives=tmp_path)


def test_deleting_the_oldest_rows_outside_archive_is_found(tmp_path):
    events = _spaced_events(4)
    _archive_at_cutoff(events, tmp_path)
    _drop_triggers()
    AuditEvent.objects.filter(pk=events[3].pk).delete()
    _verify_fails("missing|does not link")


def test_retention_below_180_days_is_refused(settings, tmp_path):
    settings.MINSHENG_AUDIT_RETENTION_DAYS = 90
    assert [e.id for e in check_audit_retention(None)] == ["minsheng.audit.E001"]
    settings.MINSHENG_AUDIT_RETENTION_DAYS = 365
    assert check_audit_retention(None) == []
    with pytest.raises(CommandError, match="at least 180 days"):
        call_command("audit-archive", days=30, dir=tmp_path)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_make_one_unbroken_chain():
    """Eight threads, each writing audit rows in its own transactions: one chain, no gaps, no forks."""
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database is shared-cache; IMMEDIATE transactions serialise writers"
        )
    region = RegionFactory(name="金坛区")
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="update", obj=region, after={"writer": n, "i": i})
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 80
    report = verify_chain()
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_make_one_unbroken_chain_on_sqlite(tmp_path):
    """Four processes writing audit rows at once into one SQLite file (WAL, IMMEDIATE transactions)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL has the thread test above")
    database = tmp_path / "chain.sqlite3"
    copy = sqlite3.connect(database)
    connection.ensure_connection()
    connection.connection.backup(copy)  # the migrated, empty test database, triggers included
    copy.close()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MINSHENG_HOME": str(tmp_path),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
    }
    minsheng = str(Path(sys.executable).with_name("minsheng"))
    code = (
        "from minsheng.audit.services import audit_record\n"
        "for i in range(15):\n"
        "    audit_record(actor=None, action='update', object_type='x', object_id=str(i))\n"
    )
    writers = [subprocess.Popen([minsheng, "shell", "-c", code], env=env) for _ in range(4)]
    assert [writer.wait(timeout=600) for writer in writers] == [0, 0, 0, 0]
    verify = subprocess.run([minsheng, "audit-verify"], env=env, capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0, verify.stderr
    assert "60 rows checked" in verify.stdout


@pytest.mark.django_db(transaction=True)
def test_a_whole_database_flush_still_works():
    """Test teardown (and an operator's `flush`) empty the audit table through the sanctioned path."""
    _events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert audit_record(actor=None, action="update", object_type="x").prev_hash == chain.GENESIS


def _break_audit_inserts() -> None:
    """Make every audit insert fail, as a full disk or a broken table would (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION audit_down() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit down'; END $$"
                " LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_down()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER audit_down BEFORE INSERT ON audit_auditevent BEGIN SELECT RAISE(ABORT, 'audit down'); END"
            )


def test_a_failing_audit_insert_leaves_no_business_change(world):
    """Fail closed: the service's change and its audit row are one transaction."""
    from minsheng.plans.services import item_units_set

    before = sorted(world.item.item_units.values_list("role", "written_as"))
    _break_audit_inserts()
    with pytest.raises(DatabaseError, match="audit down"), transaction.atomic():
        item_units_set(acting_user=world.office, item=world.item, role="lead", names=["区教育局"])
    assert sorted(world.item.item_units.values_list("role", "written_as")) == before
