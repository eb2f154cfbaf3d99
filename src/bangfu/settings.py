"""Django settings for Bangfu, read from the environment.

DATABASE_URL   postgres://user@host:5432/db or sqlite:///path (default: var/bangfu.sqlite3)
SECRET_KEY     required unless BANGFU_DEBUG=1
BANGFU_DEBUG   1 turns on Django's debug mode (the demo does this)
BANGFU_TRUSTED_PROXIES  how many reverse proxies of our own are in front (X-Forwarded-For; default 0)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("BANGFU_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("BANGFU_VAR", PROJECT_DIR / "var"))
# The user guides shown as the in-app help (bangfu.guide): the source tree's docs/ by default.
BANGFU_DOCS_DIR = Path(os.environ.get("BANGFU_DOCS_DIR", BASE_DIR.parent.parent / "docs"))

DEBUG = os.environ.get("BANGFU_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("BANGFU_TESTING") == "1":
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when BANGFU_DEBUG is not 1")

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves Swagger UI's files from the installed package (/api/docs), never from a CDN
    "bangfu.common",
    "bangfu.regions",
    "bangfu.accounts",
    "bangfu.registry",
    "bangfu.synth",
    "bangfu.policy",
    "bangfu.cases",
    "bangfu.benefits",
    "bangfu.matching",
    "bangfu.outreach",
    "bangfu.rescue",
    "bangfu.payments",
    "bangfu.reports",
    "bangfu.guide",
    "bangfu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bangfu.common.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "bangfu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bangfu.urls"
WSGI_APPLICATION = "bangfu.wsgi.application"

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
            ],
        },
    }
]

SILENCED_SYSTEM_CHECKS: list[str] = []
_default_sqlite = f"sqlite:///{VAR_DIR / 'bangfu.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # The covering indexes' INCLUDE columns (outreach.QuarterVisits) speed PostgreSQL only; SQLite
    # keeps the key columns, which is all it needs, so its warning only clutters `make demo`.
    SILENCED_SYSTEM_CHECKS += ["models.W040"]
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("BANGFU_TEST_SQLITE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (issue 2 §3): five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("BANGFU_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
# Per username *and* address, so that nobody can lock an officer out from anywhere by typing their
# name; the address is the client's behind the proxy (bangfu.common.http.client_ip).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "bangfu.common.http.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Passwords (docs/deployment.md): at least 12 characters, not like the user's name, not one of the
# 20,000 commonest, not all digits. Django's validators answer in Chinese through its zh-hans
# catalogue, the length rule through accounts.validators (that catalogue misses 5.2's wording).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "bangfu.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# Attachments holding people's data (visit photos, scans, rescue intake photos): never under a
# public URL, never in the database; each app serves them through a view that checks the viewer's
# access to the record they belong to. A deployment points BANGFU_FILES at its own volume.
PRIVATE_FILES_ROOT = Path(os.environ.get("BANGFU_FILES", VAR_DIR / "files"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it

TASKS = {
    "default": {
        "BACKEND": os.environ.get("BANGFU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
# Upload limits (docs/deployment.md "上传限制"; nginx's client_max_body_size sits just above
# BANGFU_UPLOAD_MAX_MB). A request body that is not a file (a form, a JSON document for /api/assess)
# is held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, then refused; a file over
# FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file. An imported list or survey sheet is refused
# over BANGFU_UPLOAD_MAX_MB, and an xlsx whose grid has more rows than BANGFU_IMPORT_MAX_ROWS or
# inflates past BANGFU_IMPORT_MAX_UNZIPPED_MB before it is parsed (common.spreadsheets).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BANGFU_UPLOAD_MAX_BYTES = int(os.environ.get("BANGFU_UPLOAD_MAX_MB", "50")) * 1024 * 1024
BANGFU_IMPORT_MAX_ROWS = int(os.environ.get("BANGFU_IMPORT_MAX_ROWS", "200000"))
BANGFU_IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("BANGFU_IMPORT_MAX_UNZIPPED_MB", "256")) * 1024 * 1024
# Django's defaults, stated: nosniff, same-origin referrer and opener (SecurityMiddleware).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything from our own origin, nothing inline (bangfu.common.middleware; docs/deployment.md).
# img-src allows data: for the SVG icons of Swagger UI and the admin.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BANGFU_LOG_LEVEL", "WARNING")},
}

# Production behind an HTTPS reverse proxy (docs/deployment.md): BANGFU_HTTPS=1 makes cookies
# secure, redirects plain HTTP and sends HSTS; the proxy must set X-Forwarded-Proto.
if os.environ.get("BANGFU_HTTPS") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("BANGFU_HSTS_SECONDS", "31536000"))
    # A bureau's domain often hosts other, older sites: HSTS covers this host only, and is not
    # submitted to the browsers' preload list. The two deploy checks that ask for them are silenced.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
# How many reverse proxies of our own stand in front of the server (docs/deployment.md: nginx is
# one). The client's address is then read from X-Forwarded-For through that many proxies; with 0
# the header is ignored, as anyone can send it (bangfu.common.http.client_ip).
try:
    TRUSTED_PROXY_COUNT = int(os.environ.get("BANGFU_TRUSTED_PROXIES", "0") or 0)
except ValueError:
    raise ImproperlyConfigured("BANGFU_TRUSTED_PROXIES must be a whole number of proxies") from None
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
