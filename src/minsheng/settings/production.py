"""Production settings: base settings plus HTTPS-only cookies and headers.

`SECRET_KEY` and `ALLOWED_HOSTS` must come from the environment. Behind a TLS-terminating proxy set
`SECURE_PROXY_SSL_HEADER_NAME=HTTP_X_FORWARDED_PROTO` so Django knows the request was HTTPS.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from minsheng.core.storage import s3_storage
from minsheng.settings import *  # noqa: F403
from minsheng.settings import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable for production settings.")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) for production settings.")

# Accounts: a second factor for privileged roles; Django admin only on the management host(s).
MINSHENG_TOTP_REQUIRED = env_bool("MINSHENG_TOTP_REQUIRED", True)
MINSHENG_ADMIN_HOSTS = env_list("MINSHENG_ADMIN_HOSTS", [])
MINSHENG_PRODUCTION = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if os.environ.get("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER_NAME"], "https")

STORAGES = {
    # An S3-compatible store when MINSHENG_S3_BUCKET is set (core/storage.py), else local files.
    "default": s3_storage(os.environ) or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Heavy work (photo copies, bulletins, the daily round) goes to the database queue and `minsheng db_worker`
# unless TASKS_BACKEND=immediate (docs/scaling.md, "Background work").
if os.environ.get("TASKS_BACKEND", "database") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
