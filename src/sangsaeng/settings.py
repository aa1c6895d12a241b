"""Sangsaeng's one settings module, driven by environment variables.

SANGSAENG_ENV chooses the defaults: ``development`` (the default: DEBUG on, a fixed
development key, mail to the console), ``test`` (the default under pytest) or
``production`` (DEBUG off unless asked for, SECRET_KEY required, secure cookies).
``DATABASE_URL`` picks the database; without it an SQLite file under ``var/`` is used.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("SANGSAENG_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("SANGSAENG_VAR", PROJECT_DIR / "var"))


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# Under pytest the test defaults apply unless SANGSAENG_ENV says otherwise.
ENVIRONMENT = os.environ.get("SANGSAENG_ENV") or (
    "test" if "pytest" in sys.modules else "development"
)
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"SANGSAENG_ENV must be development, production or test, not {ENVIRONMENT!r}"
    )
IS_PRODUCTION = ENVIRONMENT == "production"

DEBUG = _env_flag("DEBUG", default=ENVIRONMENT == "development")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when SANGSAENG_ENV=production (refusing to start)."
        )
    SECRET_KEY = "development-only-key-never-use-in-production"

# The site's address as people reach it: every link in a mail is made absolute with it.
SITE_URL = os.environ.get(
    "SANGSAENG_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
).rstrip("/")

ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Listed so that the API docs page uses ninja's bundled Swagger files, not a CDN (CSP).
    "ninja",
    # Before allauth, so core/templates/ overrides allauth's layouts and elements.
    "sangsaeng.core",
    "allauth",
    "allauth.account",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    "sangsaeng.accounts",
    "sangsaeng.directory",
    "sangsaeng.search",
    "sangsaeng.matching",
    "sangsaeng.programs",
    "sangsaeng.resources",
    "sangsaeng.talent",
    "sangsaeng.events",
    "sangsaeng.insights",
    "sangsaeng.notifications",
    "sangsaeng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sangsaeng.core.policy.PrincipalMiddleware",
    "sangsaeng.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # With the user and the language known: anonymous visitors' public pages, kept a minute.
    "sangsaeng.core.pagecache.AnonymousPageCacheMiddleware",
    # Last, with the user's language known, and still before any view reads the body.
    "sangsaeng.core.middleware.RequestGuardMiddleware",
]

ROOT_URLCONF = "sangsaeng.urls"
WSGI_APPLICATION = "sangsaeng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sangsaeng.core.context_processors.navigation_items",
                "sangsaeng.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sangsaeng.sqlite3'}"),
        # Production keeps connections open between requests (a new one per request cost
        # about a millisecond on SQLite, more on PostgreSQL), checked before each reuse.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600" if IS_PRODUCTION else "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. WAL lets pages read while someone writes; IMMEDIATE
    # transactions take the write lock when they begin, so concurrent writers queue for up
    # to the busy timeout instead of failing with "database is locked" when a transaction
    # that began by reading tries to write. PostgreSQL stays the production database.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30")),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-allauth: log in with e-mail; verification mail goes to the console in development.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
# Production requires a verified address: with it, signing up with a registered address looks
# exactly like signing up with a new one (the owner gets a mail instead), so sign-up does not
# tell whether an address is registered. The demo and the tests skip the round trip.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory" if IS_PRODUCTION else "optional"
)
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
# Sign-up also asks for a name and the consents (PIPA); allauth's mails name the platform,
# link to SITE_URL and speak the recipient's language.
ACCOUNT_SIGNUP_FORM_CLASS = "sangsaeng.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "sangsaeng.accounts.adapter.AccountAdapter"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or ENVIRONMENT == "test"
        else "sangsaeng.core.staticfiles.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sangsaeng <noreply@sangsaeng.local>")

# Background work goes through Django's Tasks API with a database-backed worker
# (`sangsaeng manage db_worker`); tests run tasks immediately.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if ENVIRONMENT == "test"
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# Security: safe by default outside development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES", default=IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _env_flag("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if IS_PRODUCTION else "0")
)
# Behind a TLS-terminating reverse proxy: X-Forwarded-Proto/-For/-Host are applied by the
# WSGI entry point (sangsaeng.wsgi) only when they come from these addresses or networks,
# and removed otherwise; Django then sees the client's scheme, address and host as is.
TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# Uploads: a request body larger than this is refused (413) before it is read; an
# attachment may be 10 MB, and a form's other fields are small.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(11 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # fields other than files (Django's default, explicit)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files stream to a temporary file

# The cache holds allauth's rate-limit counters (failed logins per address and per client),
# so in production it is shared by every web process: a table in the database
# (`sangsaeng serve` creates it). Development and tests keep it in memory.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "sangsaeng_cache"}
        if IS_PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Pages anonymous visitors get (sangsaeng.core.pagecache), in each process's memory.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "anonymous-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How long a page an anonymous visitor got is served again to the next one (0: never).
# A changed record starts a new generation at once; this only bounds what is kept.
ANONYMOUS_PAGE_CACHE_SECONDS = int(
    os.environ.get("ANONYMOUS_PAGE_CACHE_SECONDS", "60" if IS_PRODUCTION else "0")
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# The engine's index folder (built by `sangsaeng reindex`).
ENGINE_INDEX_DIR = Path(os.environ.get("SANGSAENG_INDEX_DIR", VAR_DIR / "index"))
# In `sangsaeng serve` a search waits at most this long for the changes committed before
# it to be indexed (by a thread of its process), then searches what the index holds.
SEARCH_INDEX_WAIT_SECONDS = float(os.environ.get("SEARCH_INDEX_WAIT_SECONDS", "1"))
# Kiwi's threads in this process's search index: `sangsaeng serve` sets 0 (one text at a
# time), so that its forked workers share the parent's Korean analyser (about 500 MB)
# instead of each loading one; elsewhere (the task worker, reindex) Kiwi's default.
_kiwi_threads = os.environ.get("SANGSAENG_KIWI_THREADS", "")
ENGINE_KIWI_THREADS = int(_kiwi_threads) if _kiwi_threads else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
