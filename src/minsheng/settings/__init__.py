"""Base settings, read from the environment.

`DATABASE_URL` (default: SQLite in WAL mode at `$MINSHENG_HOME/var/minsheng.sqlite3`), `SECRET_KEY`
(else generated once and kept in `var/secret_key`), `DEBUG` (off unless set), `ALLOWED_HOSTS`
(comma-separated). Production adds `minsheng.settings.production` on top.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from minsheng.core.storage import s3_storage

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HOME = Path(os.environ.get("MINSHENG_HOME") or Path.cwd()).resolve()
VAR_DIR = HOME / "var"


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable (1, true, yes, on count as yes)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    """Read a comma-separated environment variable."""
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def stored_secret_key(path: Path) -> str:
    """The key kept in `path`, created on first use so sessions survive restarts of the demo."""
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: when two processes start together, the first one's key wins.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or stored_secret_key(VAR_DIR / "secret_key")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "minsheng.core",
    "minsheng.audit",
    "minsheng.orgs",
    "minsheng.accounts",
    "minsheng.plans",
    "minsheng.interchange",
    "minsheng.progress",
    "minsheng.alerts",
    "minsheng.funds",
    "minsheng.supervision",
    "minsheng.notifications",
    "minsheng.bulletins",
    "minsheng.sites",
    "minsheng.portal",
    "minsheng.dashboard",
    "minsheng.yearend",
    "minsheng.participation.inspections",
    "minsheng.participation.ratings",
    "minsheng.participation.feedback",
    "minsheng.participation.assessment",
    "minsheng.participation.solicitation",
    "minsheng.participation.voting",
    "minsheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minsheng.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "minsheng.core.ratelimit.RateLimitMiddleware",
    "minsheng.core.idempotency.IdempotencyKeyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "minsheng.accounts.middleware.SessionLimitsMiddleware",
    "minsheng.accounts.middleware.AdminSiteMiddleware",
    "minsheng.accounts.middleware.SecondFactorMiddleware",
    "minsheng.accounts.middleware.PasswordExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "minsheng.urls"
WSGI_APPLICATION = "minsheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite: IMMEDIATE transactions avoid "database is locked" on upgrade from read to write; WAL lets
# readers run during a write; synchronous=FULL keeps acknowledged writes through a power cut.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}
_default_db_url = f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db_url, conn_max_age=0)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# Persistent connections (seconds; 0 closes after each request), checked before reuse (docs/scaling.md).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The queries every signed-in request makes (the user's, a page's mark) as prepared statements on PostgreSQL
# (core.prepared); off behind a pooler that cannot keep them (PgBouncer before 1.21 in transaction mode).
# Django turns psycopg's statement preparing off (prepare_threshold None); a threshold turns it on for the
# cursors that bind on the server, which only `prepared_statements()` opens (Django's own bind in the client).
MINSHENG_DB_PREPARED = env_bool("MINSHENG_DB_PREPARED", True)


def _postgresql_options(database: Any) -> Any:
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "minsheng.core.postgresql"  # Django's, plus prepared statements on request
        if MINSHENG_DB_PREPARED:
            database.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
    return database


_postgresql_options(DATABASES["default"])

# Reads of the portal and the dashboard from a PostgreSQL streaming replica (core/replica.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = _postgresql_options(
        dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["minsheng.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "minsheng.core.replica.ReplicaMiddleware",
    )

# One cache for every worker: Redis when REDIS_URL is set, else a table in the database (created by
# `migrate`). Anonymous portal pages are served from it (portal.cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]] = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "minsheng_cache",
            # Shared pages are kept per page, reader's region and roles: Django's 300 would be culled at
            # once in a province (each write counts the rows; 10,000 is a few milliseconds on SQLite).
            "OPTIONS": {"MAX_ENTRIES": 10_000, "CULL_FREQUENCY": 4},
        }
    )
}
# Sessions stay in the database (signing out everywhere, expiry and the idle limit work on them); with Redis
# every signed-in request reads its session from the cache instead, and writes go to both.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
# Rate-limit counters (core.ratelimit): Redis when set, else files every worker of this host shares
# (a counter per request would be a database write per page).
CACHES["ratelimit"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "ratelimit"),
        # Each write lists the directory: keep it small (counters live a minute; culling drops a third).
        "OPTIONS": {"MAX_ENTRIES": 3000, "CULL_FREQUENCY": 3},
    }
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# Django's model backend, reading the roles with the user (one query per signed-in request, not two).
AUTHENTICATION_BACKENDS = ["minsheng.accounts.backends.RolesModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's length rule; the length is the security administrator's when set on the page.
    {"NAME": "minsheng.accounts.validators.PolicyMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Three of upper case, lower case, digits and symbols, only while MINSHENG_MLPS is on.
    {"NAME": "minsheng.accounts.validators.CharacterClassesValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # each role lands on its own page (accounts.views.start)
LOGOUT_REDIRECT_URL = "login"

# Accounts and sign-in (docs/security.md, "Accounts, administrators and sign-in").
# MLPS (等保) profile: 3 character classes and 90-day expiry for staff passwords.
MINSHENG_MLPS = env_bool("MINSHENG_MLPS", True)
MINSHENG_PASSWORD_MAX_AGE_DAYS = 90
# A one-time code after the password for office, reviewers and administrators. Off here so the demo
# and the test suite sign in with a password; production settings turn it on.
MINSHENG_TOTP_REQUIRED = env_bool("MINSHENG_TOTP_REQUIRED", False)
OTP_TOTP_ISSUER = "Minsheng"
# TOTP hash: "sha1" for authenticator apps, "sm3" for 国密 tokens under 密评 (accounts.totp). Changing it
# makes enrolled authenticators stop matching: people enrol again (second factor reset).
MINSHENG_TOTP_DIGEST = os.environ.get("MINSHENG_TOTP_DIGEST", "sha1")
MINSHENG_BACKUP_CODES = 10
# Lockout: this many failures per account name or per address within the window lock it for the period.
MINSHENG_SIGN_IN_FAILURES = 5
MINSHENG_SIGN_IN_WINDOW_MINUTES = 15
MINSHENG_SIGN_IN_LOCK_MINUTES = 15
# Sessions end after 30 idle minutes and 12 hours in all.
# These sign-in, session, password-length/expiry and TOTP values are defaults: the security administrator
# may set them on the Sign-in locks page (accounts.security_policy; other workers follow within this many s).
MINSHENG_SECURITY_SETTINGS_SECONDS = 30
MINSHENG_SESSION_IDLE_SECONDS = 30 * 60
MINSHENG_SESSION_MAX_SECONDS = 12 * 60 * 60
SESSION_COOKIE_AGE = MINSHENG_SESSION_MAX_SECONDS
MINSHENG_API_TOKEN_HOURS = int(os.environ.get("MINSHENG_API_TOKEN_HOURS", "8"))
MINSHENG_ACCOUNT_IDLE_DAYS = 90
# Hosts that serve Django admin ("*": any). Production serves it on the management host only.
MINSHENG_ADMIN_HOSTS = env_list("MINSHENG_ADMIN_HOSTS", ["*"])
# Proxies (addresses or networks) whose X-Forwarded-For is believed: the client is its right-most
# untrusted hop (core.client). Empty: the connection's own address, whatever the headers say.
MINSHENG_TRUSTED_PROXIES = env_list("MINSHENG_TRUSTED_PROXIES", [])
# General rate limit (core.ratelimit), counted in the shared cache: requests per window per address and
# per signed-in user or API token; 429 with Retry-After beyond. /healthz and static files are exempt.
MINSHENG_RATE_LIMIT_ENABLED = env_bool("MINSHENG_RATE_LIMIT", True)
MINSHENG_RATE_LIMIT_WINDOW = int(os.environ.get("MINSHENG_RATE_LIMIT_WINDOW", "60"))
MINSHENG_RATE_LIMIT_PER_ADDRESS = int(os.environ.get("MINSHENG_RATE_LIMIT_PER_ADDRESS", "1200"))
MINSHENG_RATE_LIMIT_PER_USER = int(os.environ.get("MINSHENG_RATE_LIMIT_PER_USER", "300"))
MINSHENG_RATE_LIMIT_EXEMPT: list[str] = []
# Public rating (participation.feedback): verifiers in use ("account", "phone"; none: open rating, limited
# per address and moderated) and the SMS sender class for phone codes (LogSender writes to the log).
MINSHENG_FEEDBACK_VERIFIERS = env_list("MINSHENG_FEEDBACK_VERIFIERS", [])
MINSHENG_SMS_SENDER = os.environ.get("MINSHENG_SMS_SENDER", "minsheng.participation.feedback.sms.LogSender")
# Production settings set this: `minsheng check` then looks for superusers and demo accounts.
MINSHENG_PRODUCTION = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns on every start when STATIC_ROOT is missing (before the first collectstatic).
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files on an S3-compatible store when MINSHENG_S3_BUCKET is set (core/storage.py).
STORAGES["default"] = s3_storage(os.environ) or STORAGES["default"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# More files in one post is refused with a 400 before any is read (the per-report quota is 20 too).
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# ClamAV: a clamd Unix socket path or host:port; every evidence upload is scanned when set.
MINSHENG_CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
# Group robots (notifications.webhooks): https on these hosts only; plain http only for the second list
# (e.g. a relay on the local network).
MINSHENG_WEBHOOK_HOSTS = env_list("MINSHENG_WEBHOOK_HOSTS", ["oapi.dingtalk.com", "qyapi.weixin.qq.com"])
MINSHENG_WEBHOOK_INSECURE_HOSTS = env_list("MINSHENG_WEBHOOK_INSECURE_HOSTS", [])
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Largest list file accepted for import (bytes).
MINSHENG_IMPORT_MAX_BYTES = 20 * 1024 * 1024

CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}
# Sites (docs/sites.md): the address 民生码 QR codes open (else the request's host), map tiles ({z}/{x}/{y},
# empty: the map is drawn offline), photo checks' distance to the sites.
MINSHENG_PUBLIC_BASE_URL = os.environ.get("MINSHENG_PUBLIC_BASE_URL", "")
MINSHENG_MAP_TILE_URL = os.environ.get("MINSHENG_MAP_TILE_URL", "")
MINSHENG_PHOTO_MAX_DISTANCE_KM = float(os.environ.get("MINSHENG_PHOTO_MAX_DISTANCE_KM", "2"))
if MINSHENG_MAP_TILE_URL:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("/".join(MINSHENG_MAP_TILE_URL.split("/")[:3]))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "minsheng.accounts.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "minsheng.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minsheng API",
    "DESCRIPTION": "Livelihood-projects programme (民生实事): plans, items, targets, progress.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "minsheng.plans.choices.PlanStatus",
        "ReportStatusEnum": "minsheng.progress.choices.ReportStatus",
        "NoticeStatusEnum": "minsheng.supervision.choices.NoticeStatus",
        "LightEnum": "minsheng.progress.api.serializers.LIGHT_CHOICES",
    },
}

# Background tasks (django-tasks): run at once by default (demo, tests); TASKS_BACKEND=database queues them in
# the database for `minsheng db_worker` (django-tasks-db), which also runs `minsheng daily --schedule`'s
# morning rounds (docs/progress.md, "Scheduled work").
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("TASKS_BACKEND") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "minsheng@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "minsheng.audit.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
