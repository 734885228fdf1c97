"""Backup → wipe → restore → compare: row counts, a hash per table, every media file, exact timestamps;
a backup with one changed byte is refused before anything is touched (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from minsheng.audit.models import AuditEvent
from minsheng.audit.selectors import verify_chain
from minsheng.audit.services import audit_record
from minsheng.core.backup import MANIFEST, table_counts
from progress.factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def _table_hashes() -> dict[str, str]:
    """Every row of every table, in primary-key order, hashed (datetimes keep their microseconds)."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows = list(model._base_manager.order_by("pk").values_list())
            out[model._meta.db_table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return out


def _media() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def populated(district: Any) -> dict[str, Any]:
    build_world(district)
    event = audit_record(actor=None, action="update", object_type="x", object_id="1", message="drill")
    assert (
        event.time.microsecond or audit_record(actor=None, action="update", object_type="x").time.microsecond
    )
    photos = Path(settings.MEDIA_ROOT) / "evidence" / "2024"
    photos.mkdir(parents=True)
    (photos / "a.jpg").write_bytes(b"\xff\xd8" + bytes(range(256)) * 40)
    (photos / "说明.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n")
    return {"counts": table_counts(), "hashes": _table_hashes(), "media": _media(), "event": event}


def _wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(Path(settings.MEDIA_ROOT).rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def test_backup_wipe_restore_compares_equal(populated, tmp_path):
    target = tmp_path / "backup-2026-12-06"
    call_command("backup", str(target))
    manifest = json.loads((target / MANIFEST).read_text())
    assert manifest["tables"] == populated["counts"]
    assert {"media/evidence/2024/a.jpg", "media/evidence/2024/说明.pdf"} <= set(manifest["files"])
    _wipe()
    assert AuditEvent.objects.count() == 0 and _media() == {}
    call_command("restore", str(target))
    assert table_counts() == populated["counts"]
    assert _table_hashes() == populated["hashes"]
    assert _media() == populated["media"]
    restored = AuditEvent.objects.get(pk=populated["event"].pk)
    assert restored.time == populated["event"].time  # to the microsecond
    assert verify_chain().ok


def test_one_changed_byte_is_refused_before_anything_changes(populated, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target))
    database = next(p for p in target.iterdir() if p.name.startswith("database."))
    for victim in (database, target / "media" / "evidence" / "2024" / "a.jpg"):
        original = victim.read_bytes()
        data = bytearray(original)
        data[len(data) // 2] ^= 0x01
        victim.write_bytes(bytes(data))
        audit_record(actor=None, action="update", object_type="after-backup")
        before = table_counts()
        with pytest.raises(CommandError, match="checksum differs"):
            call_command("restore", str(target))
        assert table_counts() == before
        victim.write_bytes(original)


def test_a_file_slipped_into_the_backup_is_refused(populated, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target))
    (target / "media" / "extra.html").write_text("<script>")
    with pytest.raises(CommandError, match="not in the manifest"):
        call_command("restore", str(target))


def test_backup_refuses_a_directory_with_files(populated, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "old"))


def test_a_damaged_manifest_is_a_clear_error(populated, tmp_path):
    target = tmp_path / "backup"
    call_command("backup", str(target))
    with (target / MANIFEST).open("a") as manifest:
        manifest.write("x")
    with pytest.raises(CommandError, match=r"manifest\.json is damaged"):
        call_command("restore", str(target))
