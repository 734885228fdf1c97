"""Settings: production passes `check --deploy`, needs SECRET_KEY; SQLite runs in WAL with IMMEDIATE."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _minsheng(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own process only.
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-m", "minsheng", *args],
        env={**base, "MINSHENG_HOME": str(cwd), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = _minsheng(
        ["check", "--deploy", "--fail-level", "WARNING", "--settings=minsheng.settings.production"],
        {"SECRET_KEY": "k" * 10 + os.urandom(32).hex(), "ALLOWED_HOSTS": "minsheng.example.gov.cn"},
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_settings_require_secret_key_and_hosts(tmp_path, missing):
    env = {"SECRET_KEY": os.urandom(32).hex(), "ALLOWED_HOSTS": "minsheng.example.gov.cn"}
    del env[missing]
    result = _minsheng(["check", "--settings=minsheng.settings.production"], env, tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from minsheng.settings import stored_secret_key

    path = tmp_path / "var" / "secret_key"
    first = stored_secret_key(path)
    assert len(first) >= 50 and path.read_text() == first
    assert stored_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_database_defaults():
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
        assert "synchronous=FULL" in db["OPTIONS"]["init_command"]
    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_sqlite_file_database_opens_in_wal_mode(tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite only")
    wrapper = DatabaseWrapper({**db, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal-check")
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
    finally:
        wrapper.close()


@pytest.mark.parametrize(
    "redis_url, engine",
    [("", "django.contrib.sessions.backends.db"), ("redis://127.0.0.1:6379/13", "cached_db")],
)
def test_sessions_are_read_from_redis_when_there_is_one(tmp_path, redis_url, engine):
    """With REDIS_URL every signed-in request reads its session from Redis (the database keeps them all)."""
    code = "from django.conf import settings; print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    result = _minsheng(["shell", "-c", code], {"REDIS_URL": redis_url}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert engine in result.stdout
    assert ("RedisCache" in result.stdout) == bool(redis_url)


@pytest.mark.parametrize("prepared, threshold", [("", "5"), ("0", "None")])
def test_postgresql_prepares_the_user_query_unless_told_not_to(tmp_path, prepared, threshold):
    """On PostgreSQL psycopg may prepare statements (core.prepared: the signed-in user's query) unless
    MINSHENG_DB_PREPARED=0, for a pooler that cannot keep them; SQLite's options are left alone."""
    code = (
        "from django.conf import settings; db = settings.DATABASES['default']; "
        "print(db['ENGINE'], db['OPTIONS'].get('prepare_threshold'))"
    )
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    if prepared:
        env["MINSHENG_DB_PREPARED"] = prepared
    result = _minsheng(["shell", "-c", code], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["minsheng.core.postgresql", threshold]
    sqlite = _minsheng(["shell", "-c", code], {"DATABASE_URL": ""}, tmp_path)
    assert sqlite.returncode == 0, sqlite.stderr
    assert sqlite.stdout.split()[-2:] == ["django.db.backends.sqlite3", "None"]
