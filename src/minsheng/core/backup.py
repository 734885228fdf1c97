"""Backup and restore (备份与恢复) of the database and the uploaded files, with a checksum manifest.

`backup(directory)` writes `database.sqlite3` (SQLite's online backup API: consistent while the site runs,
never a file copy of a live WAL database) or `database.dump` (`pg_dump -Fc`), a copy of MEDIA_ROOT under
`media/`, and `manifest.json` with the SHA-256 of every file and the row count of every table.
`restore(directory)` checks every checksum first and refuses on any mismatch, then replaces the database
and the media files. Timestamps survive to the microsecond (unlike dumpdata/loaddata).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from minsheng.core.exceptions import ValidationFailed

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


@dataclass(frozen=True)
class BackupResult:
    directory: Path
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(params: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """libpq arguments and environment for pg_dump/pg_restore from Django's connection settings."""
    args = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows per table of every installed model (what the manifest records and a drill compares)."""
    return {
        model._meta.db_table: model._base_manager.using(using).count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def backup(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write a backup into `directory` (created; it must not hold files already)."""
    if directory.exists() and any(directory.iterdir()):
        raise ValidationFailed(f"{directory} is not empty; give a new directory for each backup")
    directory.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(directory / SQLITE_FILE)
        try:
            connection.connection.backup(target)
            if target.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise ValidationFailed("the SQLite copy fails PRAGMA quick_check")
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_env(connection.settings_dict)
        dump = directory / PG_FILE
        subprocess.run(["pg_dump", "--format=custom", "--file", str(dump), *args], env=env, check=True)
        subprocess.run(["pg_restore", "--list", str(dump)], env=env, check=True, stdout=subprocess.DEVNULL)
    else:  # pragma: no cover - the project supports these two
        raise ValidationFailed(f"no backup method for {connection.vendor}")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, directory / MEDIA_DIR, copy_function=shutil.copy2)
    files = {
        str(path.relative_to(directory)): _sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }
    manifest = {
        "created": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "files": files,
        "tables": table_counts(using),
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    size = sum((directory / name).stat().st_size for name in files)
    return BackupResult(directory, len(files), size)


def verify(directory: Path) -> dict[str, Any]:
    """The manifest, once every file it lists has its checksum and no file was added; else ValidationFailed."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ValidationFailed(f"{manifest_path} is missing: not a backup directory")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = dict(manifest["files"])
    except (ValueError, KeyError, TypeError):
        raise ValidationFailed(f"{manifest_path} is damaged: not the manifest of a backup") from None
    problems = []
    for name, digest in files.items():
        path = directory / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != digest:
            problems.append(f"{name}: checksum differs")
    present = {
        str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file() and p.name != MANIFEST
    }
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(files))]
    if problems:
        raise ValidationFailed("backup verification failed: " + "; ".join(problems))
    return manifest


def restore(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Verify the backup, then replace the database and MEDIA_ROOT with it. Returns the manifest."""
    manifest = verify(directory)
    connection = connections[using]
    if manifest["vendor"] != connection.vendor:
        raise ValidationFailed(f"this is a {manifest['vendor']} backup; the database is {connection.vendor}")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        source = sqlite3.connect(directory / SQLITE_FILE)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # pg_restore drops and recreates the tables
        args, env = _pg_env(connection.settings_dict)
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(directory / PG_FILE),
            ],
            env=env,
            check=True,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    if (directory / MEDIA_DIR).exists():
        shutil.copytree(directory / MEDIA_DIR, media, copy_function=shutil.copy2)
    return manifest
