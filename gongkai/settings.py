"""Gongkai settings: one module, configured by environment variables only.

Every optional piece of infrastructure (PostgreSQL, Redis/Celery, SMTP) is switched on
by configuration and off by default; the app runs and passes its tests with none of it.
Secrets may be given directly or as ``NAME_FILE`` pointing at a file (Docker/systemd
credentials style). See README.md, "Configuration".
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from celery.schedules import crontab

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR / "var"))


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name) or ""
    return int(value) if value else default


def envsecret(name: str, default: str = "") -> str:
    """Return ``$NAME``, or the stripped contents of the file named by ``$NAME_FILE``."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return default


def _local_secret(filename: str) -> str:
    """A random secret kept under var/ for development installs that set none."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / filename
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = envbool("DEBUG", False)
SECRET_KEY = envsecret("SECRET_KEY") or _local_secret("secret_key")
# Personal data (ID numbers, phones) is encrypted with this key; rotate with care.
FIELD_ENCRYPTION_KEY = envsecret("FIELD_ENCRYPTION_KEY") or SECRET_KEY
# The audit log's hash chain is keyed so that a database-only attacker cannot re-forge it.
AUDIT_HMAC_KEY = envsecret("AUDIT_HMAC_KEY") or SECRET_KEY
# The chain head is copied here every hour (audit_anchor); put it outside the database
# server, e.g. an NFS mount or a directory another machine collects (docs/security.md).
AUDIT_ANCHOR_FILE = envstr("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchor.jsonl"))

ALLOWED_HOSTS = [
    h.strip()
    for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in envstr("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "gongkai.lib",  # the shared rate-limit table (gongkai/lib/ratelimit.py)
    "gongkai.audit",
    "gongkai.agencies",
    "gongkai.accounts",
    "gongkai.numbering",
    "gongkai.workdays",
    "gongkai.publishing",
    "gongkai.search",
    "gongkai.applications",
    "gongkai.remedies",
    "gongkai.outreach",
    "gongkai.interaction",
    "gongkai.reports",
    "gongkai.pki",
    "gongkai.api",
    "gongkai.assessment",
    "gongkai.console",
    "gongkai.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.lib.middleware.SecurityHeadersMiddleware",
    "gongkai.lib.badinput.NulCharacterMiddleware",  # NUL in path/query/form → 400 (PostgreSQL)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongkai.accounts.middleware.SessionTimeoutMiddleware",
    "gongkai.pki.middleware.CertificateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.audit.middleware.AuditContextMiddleware",
    "gongkai.lib.errors.ChineseErrorPagesMiddleware",  # Chinese 404 even with DEBUG (make run)
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:home"
LOGOUT_REDIRECT_URL = "portal:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context_processors.site",
                "gongkai.console.context_processors.console",
            ],
        },
    }
]

# --- Database --------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers never deadlock
    # on a lock upgrade; WAL lets readers run beside the writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = (
        {"NAME": str(VAR_DIR / "test.sqlite3")} if envbool("SQLITE_TEST_FILE", False) else {}
    )
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Redis, Celery ---------------------------------------------------------------
REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gongkai",
        }
    }

# Rate limits and captcha single-use marks: "db" (shared by every worker) or "cache" (Redis).
RATELIMIT_STORE = envstr("RATELIMIT_STORE", "cache" if REDIS_URL else "db")
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND", REDIS_URL) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "publishing.run_schedule": {"task": "publishing.run_schedule", "schedule": 60.0},
    "applications-outbox": {"task": "gongkai.applications.tasks.send_outbox", "schedule": 60.0},
    "applications-lapse": {
        "task": "gongkai.applications.tasks.lapse_overdue",
        "schedule": crontab(hour=0, minute=30),
    },
    "applications-digest": {
        "task": "gongkai.applications.tasks.daily_digest",
        "schedule": crontab(hour=7, minute=30),
    },
    # Portal visit counts: the Redis/in-process buffer, and the nginx log (PORTAL_VISIT_LOG).
    "search-flush-visits": {"task": "search.flush_visits", "schedule": 60.0},
    "search-ingest-visit-log": {"task": "search.ingest_visit_log", "schedule": 60.0},
    "search-reconcile": {"task": "search.reconcile", "schedule": crontab(hour=2, minute=0)},
    "audit-anchor": {"task": "audit.anchor", "schedule": crontab(minute=5)},
    # 互动交流: daily reminder of due-soon and overdue 留言 (docs/interaction.md).
    "interaction-remind": {"task": "interaction.remind", "schedule": crontab(hour=7, minute=40)},
    # Open data API: the nightly bulk export of the public catalog (docs/api.md).
    "api-export-catalog": {"task": "api.export_catalog", "schedule": crontab(hour=3, minute=0)},
}
# The nginx log of anonymous item-page hits (deploy/nginx/portal-cache.conf); empty: none.
PORTAL_VISIT_LOG = envstr("PORTAL_VISIT_LOG")

# --- Auth and security ------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.accounts.validators.CharacterClassValidator"},
]
AUTHENTICATION_BACKENDS = ["gongkai.accounts.backends.LockoutModelBackend"]
# Failed logins (accounts/services.py login_failed): per (account, address) the first
# LOGIN_MAX_FAILURES are free, then a wait of LOGIN_BACKOFF_SECONDS doubling up to the max;
# an address with LOGIN_MAX_FAILURES_PER_IP failures in 15 minutes is refused outright.
LOGIN_MAX_FAILURES = envint("LOGIN_MAX_FAILURES", 5)
LOGIN_BACKOFF_SECONDS = envint("LOGIN_BACKOFF_SECONDS", 30)
LOGIN_BACKOFF_MAX_SECONDS = envint("LOGIN_BACKOFF_MAX_SECONDS", 3600)
LOGIN_MAX_FAILURES_PER_IP = envint("LOGIN_MAX_FAILURES_PER_IP", 30)
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)  # seconds of inactivity
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS=1 in production turns on every transport-security setting at once.
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Only trust the proxy's scheme/client headers when told a proxy is in front.
TRUSTED_PROXIES = [p.strip() for p in envstr("TRUSTED_PROXIES").split(",") if p.strip()]
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = envstr(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
)

# Django admin (/admin/) uses inline styles but no inline scripts.
ADMIN_CONTENT_SECURITY_POLICY = envstr(
    "ADMIN_CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'",
)

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# --- E-mail -----------------------------------------------------------------------------
EMAIL_HOST = envstr("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "政府信息公开平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Without SMTP, mail is saved to EMAIL_FILE_PATH and summarised in one line (gongkai/lib/mailbackend.py).
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "gongkai.lib.mailbackend.OneLineEmailBackend"
)
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SMS_ENABLED = envbool("SMS_ENABLED", False)

# --- Language, time, files --------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        and envbool("STATIC_MANIFEST", True)
        and (STATIC_ROOT / "staticfiles.json").exists()
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# --- Certificate authority (deploy/pki.md) ---------------------------------------------
PKI_CERT_REQUIRED_ROLES = [
    r.strip() for r in envstr("PKI_CERT_REQUIRED_ROLES").split(",") if r.strip()
]
PKI_CA_DIR = envstr("PKI_CA_DIR", str(VAR_DIR / "pki" / "private"))
PKI_PUBLISH_DIR = envstr("PKI_PUBLISH_DIR", str(VAR_DIR / "pki" / "public"))
PKI_KEY_ALGORITHM = envstr("PKI_KEY_ALGORITHM", "ecdsa-p256")
CELERY_BEAT_SCHEDULE["pki-refresh-crl"] = {"task": "pki.refresh_crl", "schedule": 3600}
CELERY_BEAT_SCHEDULE["pki-remind-expiring"] = {"task": "pki.remind_expiring", "schedule": 86400}

# --- Site identity (footer); editable defaults, overridable per installation ------------
SITE_NAME = envstr("SITE_NAME", "通化市人民政府信息公开网")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # eager tasks (no broker): kombu would warn "No hostname was supplied" on every start
    "loggers": {"kombu.connection": {"level": "ERROR"}} if CELERY_TASK_ALWAYS_EAGER else {},
}

local_settings = BASE_DIR / "local_settings.py"
if local_settings.exists():  # pragma: no cover - operator hook, never committed
    exec(compile(local_settings.read_text(encoding="utf-8"), str(local_settings), "exec"))  # noqa: S102
