"""DXBoard settings.

Everything an operator may change comes from environment variables (see README).
Without any, DXBoard runs for development on an SQLite file under ./var/.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DXBOARD_DATA_DIR", Path.cwd() / "var")).resolve()

ENV = os.environ.get("DXBOARD_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("DXBOARD_DEBUG", "0" if PRODUCTION else "1") == "1"

# A development key is fine on a laptop; production refuses to start without a real one.
_DEV_SECRET_KEY = "dxboard-development-key-not-for-production-use-0123456789abcdef"
SECRET_KEY = os.environ.get("DXBOARD_SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise RuntimeError("DXBOARD_SECRET_KEY must be set when DXBOARD_ENV=production")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "DXBOARD_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver"
    ).split(",")
    if h.strip()
]
# A refused form is the styled Vietnamese 403 page, not Django's bare English one.
CSRF_FAILURE_VIEW = "dxboard.views.csrf_failure"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DXBOARD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "axes",
    "django_tasks",
    "django_tasks_db",
    # Ninja serves the API docs (Swagger UI) from its own static files only when it is an
    # installed app; otherwise the page loads them from a CDN, blank on an intranet.
    "ninja",
    # The project package itself: base templates, static files, project-wide commands.
    "dxboard",
    "dxboard.units",
    "dxboard.accounts",
    "dxboard.indicators",
    "dxboard.collection",
    "dxboard.reporting",
    "dxboard.evaluation",
    "dxboard.feedback",
    "dxboard.community",
    "dxboard.projects",
    "dxboard.scorecards",
    "dxboard.committee_reports",
    "dxboard.opendata",
    "dxboard.work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy (issue 18, see CONTENT_SECURITY_POLICY): this far out, so the
    # answers of the middleware below (input guard 400/413, CSRF 403, lockout) carry it too.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dxboard.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Hardening (issue 18): NUL bytes, non-UTF-8 bodies, too-large bodies → 400/413.
    "dxboard.input_guard.InputGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dxboard.middleware.ServiceErrorMiddleware",
    # Axes must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

# Hardening (issue 18): a request body read whole (JSON, CSV) may be up to 10 MB, so the
# 50,000-value dataValueSets that fits as CSV also fits as JSON (about 4.5 MB); beyond it
# the answer is 413. Uploaded files (multipart) are not counted here: their readers bound
# rows and cells themselves.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024


# Content-Security-Policy (issue 18, django-csp 4). Every script, style sheet, font and
# image comes from DXBoard itself: the pages carry no inline script, no on*= handler and no
# style="" attribute (dxboard/tests/test_csp.py checks the templates and the header, and
# the browser tests fail on any violation Chromium reports). Libraries that position things
# (Bootstrap's dropdowns, ECharts' canvas) set element.style through the CSSOM, which CSP
# allows; htmx's own style element is turned off by the htmx-config <meta> of base.html.
# Two exceptions, both for styles only, never for scripts:
# - style-src-attr 'unsafe-inline': ECharts writes its tooltips as HTML with style=""
#   attributes (the colour dot of each series, the layout of the rows) through innerHTML;
#   refused, every tooltip of every chart is unreadable and Chromium reports a violation
#   per hover. Style attributes cannot run code; <style> elements and style sheets from
#   elsewhere stay refused (style-src-elem falls back to style-src), and the templates
#   themselves hold no style attribute (test_the_templates_hold_no_inline_script_...).
# - the <style> of 500.html, which must render when static files cannot be served, is
#   allowed by its hash, computed here so that it cannot go stale.
def _inline_style_hashes(*templates: Path) -> list[str]:
    import base64
    import hashlib
    import re

    hashes = []
    for template in templates:
        for block in re.findall(r"<style>(.*?)</style>", template.read_text(), flags=re.S):
            digest = hashlib.sha256(block.encode()).digest()
            hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *_inline_style_hashes(PACKAGE_DIR / "templates" / "500.html")],
        "style-src-attr": ["'unsafe-inline'"],
        # data: for the small images Bootstrap's CSS draws (check boxes, select arrows,
        # the navbar toggler, the close button).
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "dxboard.urls"
WSGI_APPLICATION = "dxboard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dxboard.navigation.navigation",
            ],
        },
    },
]

# SQLite file by default; PostgreSQL (or any URL dj-database-url knows) through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'dxboard.sqlite3'}",
        # Each server thread keeps its connection for a minute: opening one per request
        # halved the API's throughput (docs/performance.md). `dxboard serve` bounds the
        # threads, so at most DXBOARD_WORKERS × DXBOARD_THREADS connections (8 by default)
        # are open; keep that under PostgreSQL's max_connections or put PgBouncer in front.
        conn_max_age=int(os.environ.get("DXBOARD_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the dashboard read while a reporter writes; the busy timeout waits for locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Five wrong passwords for one user from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("DXBOARD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["dxboard.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production the files are served straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG and not PRODUCTION

# Caches. "default" holds evaluations in each process's memory: an entry is keyed by the
# data revision, so it is never stale, and a worker that has not computed one computes it.
# "shared" is what every worker process must see alike, such as the citizen-report rate
# limit (issue 18: counted per process, 9 of 12 submissions got through a limit of 5): a
# table of the database, created by `dxboard migrate` (createcachetable).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dxboard_cache",
    },
}

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("DXBOARD_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("DXBOARD_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("DXBOARD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("DXBOARD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("DXBOARD_EMAIL_USE_TLS", "1") == "1"
elif PRODUCTION:
    # Hardening (issue 18): the console is the server log; a reset link must not land there.
    EMAIL_BACKEND = "dxboard.mail.NoSmtpBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DXBOARD_DEFAULT_FROM_EMAIL", "DXBoard <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: tasks run at once in development, through the database in production
# (`dxboard db_worker` processes them).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# Production hardening; `dxboard check --deploy` stays silent with these.
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("DXBOARD_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DXBOARD_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DXBOARD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Personal data of citizens who file field reports is removed after this many months.
DXBOARD_FEEDBACK_RETENTION_MONTHS = int(os.environ.get("DXBOARD_FEEDBACK_RETENTION_MONTHS", "24"))
# An evaluation is cached per (programme, unit, period) and data revision (dxboard.revision),
# so a cached result is never stale; the lifetime only bounds memory. 0 turns caching off.
DXBOARD_EVALUATION_CACHE_SECONDS = int(os.environ.get("DXBOARD_EVALUATION_CACHE_SECONDS", "600"))

# The evaluation engine (issue 21): DuckDB embedded in each process, reading the live
# database through its scanner. Bounded so that one national evaluation cannot take the
# machine from the web threads: memory DuckDB may use, and its worker threads.
DXBOARD_DUCKDB_MEMORY_LIMIT = os.environ.get("DXBOARD_DUCKDB_MEMORY_LIMIT", "1GB")
DXBOARD_DUCKDB_THREADS = int(os.environ.get("DXBOARD_DUCKDB_THREADS", "2"))
