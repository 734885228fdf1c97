"""Media on an S3-compatible store when MINSHENG_S3_* is set, local files otherwise (no network: the
storage chosen and its options are checked, nothing is sent)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from minsheng.core.storage import S3_BACKEND, s3_storage

MINIO = {
    "MINSHENG_S3_BUCKET": "minsheng-media",
    "MINSHENG_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "MINSHENG_S3_ACCESS_KEY": "minsheng",
    "MINSHENG_S3_SECRET_KEY": "not-a-real-secret",
    "MINSHENG_S3_REGION": "cn-east-1",
}


def test_no_bucket_keeps_local_files() -> None:
    assert s3_storage({}) is None
    assert s3_storage({"MINSHENG_S3_ENDPOINT_URL": "http://127.0.0.1:9000"}) is None


def test_a_bucket_chooses_private_signed_s3_storage() -> None:
    entry = s3_storage(MINIO)
    assert entry is not None
    assert entry["BACKEND"] == S3_BACKEND
    options = entry["OPTIONS"]
    assert options["bucket_name"] == "minsheng-media"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["location"] == "media"
    assert options["addressing_style"] == "path"


def test_the_storage_class_accepts_the_options_without_connecting() -> None:
    from storages.backends.s3 import S3Storage

    entry = s3_storage(MINIO)
    assert entry is not None
    storage = S3Storage(**entry["OPTIONS"])
    assert storage.bucket_name == "minsheng-media"
    assert storage.endpoint_url == "http://127.0.0.1:9000"
    assert storage.region_name == "cn-east-1"
    assert storage.location == "media"
    assert storage.default_acl == "private"


def _settings_storages(extra: dict[str, str]) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINSHENG_S3_")}
    env.update(extra, DJANGO_SETTINGS_MODULE="minsheng.settings")
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'default': settings.STORAGES['default']}))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_settings_read_the_environment() -> None:
    local = _settings_storages({})
    assert local["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = _settings_storages(MINIO)
    assert s3["default"]["BACKEND"] == S3_BACKEND
    assert s3["default"]["OPTIONS"]["bucket_name"] == "minsheng-media"


def test_production_settings_keep_the_s3_choice_and_queue_heavy_work() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINSHENG_S3_") and k != "TASKS_BACKEND"}
    env.update(
        MINIO,
        DJANGO_SETTINGS_MODULE="minsheng.settings.production",
        SECRET_KEY="production-settings-test-0123456789abcdef-0123456789",
        ALLOWED_HOSTS="minsheng.example.gov.cn",
        PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"),
    )
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'storage': settings.STORAGES['default']['BACKEND'], "
        "'tasks': settings.TASKS['default']['BACKEND']}))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found == {"storage": S3_BACKEND, "tasks": "django_tasks_db.DatabaseBackend"}
