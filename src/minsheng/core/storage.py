"""Where uploaded files live: local files under `MEDIA_ROOT` (the default), or an S3-compatible object
store (MinIO, 阿里云 OSS, 腾讯云 COS, Amazon S3…) through django-storages when `MINSHENG_S3_BUCKET` is set.

Settings read from the environment (docs/scaling.md):

- `MINSHENG_S3_BUCKET` — the bucket (required to switch to S3).
- `MINSHENG_S3_ENDPOINT_URL` — the store's address, e.g. `https://minio.example.gov.cn:9000` (empty:
  Amazon's).
- `MINSHENG_S3_ACCESS_KEY`, `MINSHENG_S3_SECRET_KEY` — credentials (empty: boto3's own chain, e.g. an
  instance role).
- `MINSHENG_S3_REGION` (default empty), `MINSHENG_S3_PREFIX` (a folder inside the bucket, default
  `media`), `MINSHENG_S3_ADDRESSING_STYLE` (`path` for MinIO and most self-hosted stores, `virtual`).

Objects are private: every download goes through the application (evidence originals are for the office
and reviewers only) or a signed URL that expires; an upload never overwrites another file of the same
name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storage(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The `STORAGES["default"]` entry for an S3-compatible store, or None when no bucket is configured."""
    bucket = environ.get("MINSHENG_S3_BUCKET", "").strip()
    if not bucket:
        return None
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": environ.get("MINSHENG_S3_PREFIX", "media").strip("/"),
        "default_acl": "private",
        "querystring_auth": True,  # links to objects are signed and expire
        "querystring_expire": 300,
        "file_overwrite": False,
        "addressing_style": environ.get("MINSHENG_S3_ADDRESSING_STYLE", "path") or None,
        "signature_version": "s3v4",
    }
    for option, name in (
        ("endpoint_url", "MINSHENG_S3_ENDPOINT_URL"),
        ("access_key", "MINSHENG_S3_ACCESS_KEY"),
        ("secret_key", "MINSHENG_S3_SECRET_KEY"),
        ("region_name", "MINSHENG_S3_REGION"),
    ):
        value = environ.get(name, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
