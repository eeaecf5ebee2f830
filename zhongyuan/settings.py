"""Settings for the Zhongyuan work-report dashboard.

Every production difference is an environment variable (listed in README.md).
With no environment at all the site runs on a SQLite file, with Celery tasks
executed eagerly in process and e-mail printed to the console: the embedded
default that `make run` uses.
"""

import secrets
from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")

# DEBUG is on by default only for the embedded default (no DATABASE_URL).
DEBUG = env.bool("DEBUG", default=not DATABASE_URL)

# The demo switch, separate from DEBUG: demo accounts (their password is public) may
# log in without a second factor, and seed_demo may load the demo year. `make run`
# serves the demo with DEBUG off and this on, so the demo shows the product's own
# error pages. Never on a production database (see below).
DEMO_MODE = env.bool("DEMO_MODE", default=False)
USES_SQLITE = DATABASE_URL == "" or DATABASE_URL.startswith("sqlite")
if DEMO_MODE and not USES_SQLITE and not env.bool("DEMO_ALLOW_DATABASE", default=False):
    raise ImproperlyConfigured(
        "DEMO_MODE is on with a server database (DATABASE_URL). The demo accounts' "
        "password is public, so the demo switch is refused on what may be a production "
        "database. Unset DEMO_MODE, or set DEMO_ALLOW_DATABASE=1 for a throwaway database "
        "(benchmarks, load tests)."
    )
# With SQLite and DEBUG off, serving (gunicorn, runserver) is refused unless this is
# set (or DEMO_MODE is on); management commands still run. See zhongyuan/deploy.py.
ALLOW_SQLITE_IN_PRODUCTION = env.bool("ALLOW_SQLITE_IN_PRODUCTION", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEMO_MODE and not DEBUG:
    # The demo on a laptop: a key of its own per process (sessions end when the
    # server restarts), never a key published in the repository.
    SECRET_KEY = "demo-" + secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the site refuses to start without it: "
            "set SECRET_KEY in the environment (for example in .env for docker-compose) "
            "to a long random string, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = "insecure-development-key-used-only-with-debug-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The admin site answers to roles, not to is_superuser (org.admin_site).
    "org.apps.ZhongyuanAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    # django-axes under a Chinese section name (its app label stays "axes").
    "org.apps.LoginGuardConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "org",
    "workflow",
    "targets",
    "projects",
    "reporting",
    "supervision",
]

MIDDLEWARE = [
    # First, so that every response carries the policy, refusals below included.
    "csp.middleware.CSPMiddleware",
    "zhongyuan.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the query or form data: the Chinese 400 page, not a 500.
    "zhongyuan.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed here (the overview at M: 65 KB of HTML, ~10 KB sent), above
    # everything below that writes the body and below WhiteNoise, whose static files
    # are compressed ahead of time. Django pads compressed bodies against BREACH.
    "django.middleware.gzip.GZipMiddleware",
    # Each page builds its cached parts under one generation (targets/cache.py).
    "targets.cache.OneGenerationPerRequest",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Idle timeout, second factor, forced password change: before any page is shown.
    # (django-otp's own middleware is not used: it costs a query on every page to
    # load the device; the session records the verification, see org.middleware.)
    "org.middleware.AccountPolicyMiddleware",
    # Records every 403 in the audit log (needs the user, so after authentication).
    "org.audit_hooks.AuditDeniedMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhongyuan.urls"
WSGI_APPLICATION = "zhongyuan.wsgi.application"

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
                "org.context_processors.account",
                "org.context_processors.notices",
                "targets.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# PostgreSQL: keep each worker's connection for a minute instead of opening one per
# request (~8 ms each on loopback, more across a network). SQLite opens a file: 0.
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE",
    default=60 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 0,
)
# A persistent connection outlives a database restart: check it before reusing it,
# or each worker serves one 500 on its dead connection afterwards.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers while a Celery task writes (eager or not): WAL and a
    # busy timeout instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups (manage.py backup) keep times to the microsecond: see org/serializers.py.
SERIALIZATION_MODULES = {"exactjson": "org.serializers"}

AUTHENTICATION_BACKENDS = [
    # First: refuses a login that is locked out before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "org.auth.AccountBackend",
]
# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is locked for AXES_COOLOFF_MINUTES. Keyed on both, so one
# colleague's typos behind the office NAT do not lock everyone else out.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy (docker-compose with nginx, say) name how many proxies add
# X-Forwarded-For; by default the peer address is the client.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# A username longer than the account field (150) is cut before django-axes records
# it (its column holds 255), so a long one is an ordinary failed login, not a 500.
AXES_USERNAME_CALLABLE = "org.auth.axes_username"

# --- Accounts (GB/T 22239-2019 §8.1.4.1–2, 等保三级) --------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)},
    },
    {"NAME": "org.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "org.passwords.LocalCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "org.passwords.PasswordHistoryValidator"},
]
# A password must change every PASSWORD_MAX_AGE_DAYS (0: never) and may not repeat
# any of the last PASSWORD_HISTORY_COUNT.
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# A session ends after this many seconds without a request, and when the browser
# closes; SESSION_COOKIE_AGE only bounds a session that is kept busy.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
# Second factor (TOTP, django-otp): required for the admin duties and reviewers;
# OTP_REQUIRED_FOR_ALL requires it of every account.
OTP_REQUIRED_FOR_ALL = env.bool("OTP_REQUIRED_FOR_ALL", default=False)
OTP_TOTP_ISSUER = "中原区目标任务监测平台"
# The admin never shows a device's secret or QR code: only its owner sees it, once.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A wrong code makes the next attempt wait (1 s, doubling), as django-otp does.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "targets:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# The only language: with Django's default list, LocaleMiddleware gave a browser that
# asks for English the English admin and widget strings ("Choose all", "Remove selected").
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# Chinese for what Django's and third-party apps' own catalogs leave in English.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Amounts are already in 亿元 / 万平方米, so they are short: the report prints
# them without digit grouping (2409.2亿元), and so do we. zh-hans would group by
# four digits if this were on.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "zhongyuan.staticfiles.SourceFinder",  # static/, less the plotly.js build folder
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
# Hashed names with gzip and Brotli variants (collectstatic), served by whitenoise
# from STATIC_ROOT and cached for good: on in production and under `make run`.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Evidence files are never served from MEDIA_URL: a view checks permissions first.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "zhongyuan.staticfiles.HashedCompressedStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# With collected files, serve only those, as production does, even with DEBUG on
# (`make run`); without, serve the sources and pick up edits at once.
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_MANIFEST
WHITENOISE_USE_FINDERS = DEBUG and not STATIC_MANIFEST

# --- Cache and Celery ----------------------------------------------------------------
# A dead broker must never hang a request: every socket has a timeout, and the
# publish is retried only briefly (the outbox and the beat sweep catch up).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=2.0)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The overview's and programme page's reads and figures, cached under a generation that
# every snapshot write of the year replaces (targets/cache.py); a cache error is a miss.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    # A task left unacknowledged by a dead worker comes back after this long
    # (the load test shortens it to see the redelivery within its run).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60),
    # How often a worker looks for such tasks: kombu scans every interval × throttle
    # seconds (10 × 10 by default); the load test scans every second.
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BEAT_SCHEDULE = {
    # 序时 moves and deadlines pass even when nobody types anything.
    "recompute-all-daily": {
        "task": "targets.recompute_all",
        "schedule": crontab(hour=1, minute=0),
    },
    # Recomputes whose enqueue failed (broker down) are picked up here.
    "sweep-pending-recomputes": {
        "task": "targets.sweep_pending",
        "schedule": float(env.int("RECOMPUTE_SWEEP_INTERVAL_SECONDS", default=60)),
    },
    # E-mail and chat pushes whose enqueue failed (broker down) are sent from here.
    "send-pending-outbound": {
        "task": "org.send_pending_outbound",
        "schedule": float(env.int("OUTBOUND_SWEEP_INTERVAL_SECONDS", default=300)),
    },
    # Evidence kept from forms that were never saved goes after a day.
    "clean-pending-uploads": {
        "task": "workflow.clean_pending_uploads",
        "schedule": crontab(minute=30),
    },
    "send-due-day-reminders": {
        "task": "reporting.send_due_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}

# --- E-mail -----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="督查室 <noreply@zhongyuan.local>")

# --- Product settings ---------------------------------------------------------------
# The site's idea of "today". `make run` pins it to 2025-11-20 so the demo year is
# in progress; unset in production. Read only at the edges (see targets/clock.py).
SITE_TODAY = env.str("SITE_TODAY", default="") or None
if SITE_TODAY:
    SITE_TODAY = date.fromisoformat(SITE_TODAY)

# The address people use to reach the site; reminder e-mails sent by the beat job
# (which has no request to take it from) link to it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_WORKBOOK_MAX_BYTES = env.int("UPLOAD_WORKBOOK_MAX_BYTES", default=5 * 1024 * 1024)
# At most this many evidence files in one save, and no request body larger than
# that many full-size files (a larger one is refused before it is read).
EVIDENCE_MAX_FILES = env.int("EVIDENCE_MAX_FILES", default=5)
MAX_REQUEST_BYTES = env.int(
    "MAX_REQUEST_BYTES", default=EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + 2 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A snapshot is stale when a recompute it needs has waited longer than this.
SNAPSHOT_STALE_AFTER_SECONDS = env.int("SNAPSHOT_STALE_AFTER_SECONDS", default=300)
# The outbox sweep: a recompute asked for this long ago and still pending is queued
# again (younger ones are probably still on their way through the broker), and once
# re-queued, queued again only if still pending this much later.
RECOMPUTE_SWEEP_GRACE_SECONDS = env.int("RECOMPUTE_SWEEP_GRACE_SECONDS", default=30)
RECOMPUTE_RESWEEP_SECONDS = env.int("RECOMPUTE_RESWEEP_SECONDS", default=10 * 60)
# A recompute that loses its database connection waits this long, then twice as long
# each time, before trying again (targets.snapshots.with_db_retry).
RECOMPUTE_RETRY_BACKOFF_SECONDS = env.float("RECOMPUTE_RETRY_BACKOFF_SECONDS", default=5.0)

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
# History reasons hold a reviewer's full return reason, not just 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Security: HTTPS, cookies, Content-Security-Policy ---------------------------------
# One switch for HTTPS. Many district intranets serve plain HTTP (CI and the benchmarks
# do too), where Secure cookies would never be sent back and a redirect to https://
# would lead nowhere; behind HTTPS (HTTPS=1) all of it is on. Each can still be set alone.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
# The container health check asks gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A year, the value browsers' preload lists ask for. includeSubDomains covers the
# site's own host name's subdomains only (dashboard.example.gov.cn's), not the parent.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is a request to the browser vendors' public list: an intranet host name
# has no place there, so it is off and its deploy check (W021) is silenced unless on.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a reverse proxy that terminates TLS: the header it sets to "https", e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto. Only set it when the proxy always sets
# (or strips) that header, or clients could claim HTTPS themselves.
_proxy_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Audit log (org/audit.py) -------------------------------------------------------
# Rows stay in the table at least this many days; archive_audit refuses younger ones.
# GB/T 22239-2019 asks for at least six months, so the setting cannot go below 180.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"AUDIT_RETENTION_DAYS={AUDIT_RETENTION_DAYS}: audit records must be kept at least "
        "180 days; set it to 180 or more."
    )
# Where archive_audit writes its JSON-lines files (back this folder up).
AUDIT_ARCHIVE_DIR = env.path("AUDIT_ARCHIVE_DIR", default=BASE_DIR / "audit-archive")
# X-Forwarded-For names the client only behind proxies we trust: the same ones axes
# trusts (AXES_PROXY_COUNT). With none, the peer address is the client.
AUDIT_PROXY_COUNT = AXES_IPWARE_PROXY_COUNT or 0

# A strict Content-Security-Policy (django-csp 4): everything from our own origin, no
# inline script or style anywhere, no framing. The one exception is the <style>
# elements plotly.js inserts itself, allowed by the hash of their exact text;
# tests/test_csp.py recomputes these from the served plotly.js, so a new bundle whose
# styles differ fails the test instead of the charts.
PLOTLY_STYLE_HASHES = [
    # plotly.js-style-global: an empty <style> whose rules are added through CSSOM.
    # (Our partial bundle leaves out the map traces, so maplibre's stylesheet is gone.)
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
]
# plotly.js also sets an empty style attribute (style="") on a colour bar's fill: allowed
# by the hash of the empty string alone ('unsafe-hashes' here permits exactly the
# attributes whose text hashes to one of these, i.e. empty ones; nothing else).
PLOTLY_STYLE_ATTRIBUTE_HASHES = ["'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", *PLOTLY_STYLE_HASHES],
        "style-src-attr": ["'unsafe-hashes'", *PLOTLY_STYLE_ATTRIBUTE_HASHES],
        # data: for the images plotly.js draws (the modebar's icons, image export).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # One JSON object per line, nothing around it, for the central log collector.
        "audit": {"class": "logging.StreamHandler", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task run is noise in the embedded default (tasks run in process).
        "celery.app.trace": {"level": "INFO" if REDIS_URL else "WARNING"},
        "axes": {"level": "WARNING"},
        "zhongyuan.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}
