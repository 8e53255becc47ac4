"""Settings, read from the environment (see README: Configuration)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "auditlog",
    "jobcenters",
    "cohorts",
    "participants",
    "coaching",
    "employers",
    "privacy",
    "documents",
    "imports",
    "reports",
    "demo",
]

MIDDLEWARE = [
    # First, so that every response carries the policy, error pages of later ones included.
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobcenters.locale_middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jobcenters.middleware.SessionLifetimeMiddleware",
    "jobcenters.middleware.PrivatePagesMiddleware",
    # Django's LoginRequiredMiddleware, keeping a form sent after the login expired. After
    # CsrfViewMiddleware: only a form that passed the CSRF check is kept.
    "jobcenters.kept_form.KeptFormLoginRequiredMiddleware",
    # Puts the user (and address) on every audit entry written during the request.
    "auditlog.middleware.AuditlogMiddleware",
    "jobcenters.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jobcenters.middleware.TenantMiddleware",
    # Refuses NUL bytes in parameters (PostgreSQL cannot take them) with a German 400.
    "jobcenters.middleware.NulByteMiddleware",
    # Last: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after 5 failures for one address and one e-mail address,
# that combination waits 15 minutes.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form calls the e-mail field "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
# Counted in lower case, as the login ignores the case of the address.
AXES_USERNAME_CALLABLE = "jobcenters.login.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Behind the reverse proxy the client's address is in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# The audit trail: every change of social data, with who and when (django-auditlog).
AUDITLOG_INCLUDE_ALL_MODELS = False

# Content Security Policy: own origin only, no inline script (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "werkakademie.urls"
WSGI_APPLICATION = "werkakademie.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobcenters.context_processors.tenant",
                "werkakademie.keepalive.session_timer",
            ],
        },
    },
]

# Database: SQLite in the project by default; PostgreSQL via DATABASE_URL.
# Persistent connections with health checks: a restarted PostgreSQL costs no failed request.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves one process in development; a connection per request avoids locking surprises.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "jobcenters.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "choose_jobcenter"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["werkakademie.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded lists wait here between upload, check and import (STORAGES["imports"]).
IMPORT_STORAGE_DIR = env.str("IMPORT_STORAGE_DIR", default=str(BASE_DIR / "var" / "imports"))
# Participants' CVs and photos (STORAGES["documents"]), kept until the person is anonymised.
DOCUMENT_STORAGE_DIR = env.str("DOCUMENT_STORAGE_DIR",
                               default=str(BASE_DIR / "var" / "documents"))
# The largest CV (PDF) and photo accepted, in bytes.
CV_MAX_BYTES = env.int("CV_MAX_BYTES", default=5 * 1024 * 1024)
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_BYTES", default=2 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Uploaded lists between upload and import: private, no URL (never under STATIC or
    # MEDIA); a volume shared by the web containers and the workers.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": IMPORT_STORAGE_DIR, "base_url": None,
                    "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
    # CVs and photos: private as well; staff and the card's page hand them out through a
    # view that checks who asks.
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DOCUMENT_STORAGE_DIR, "base_url": None,
                    "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# django-filter: the empty choice of a filter reads "alle", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("all")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="werkakademie@localhost")

# Sessions: Sozialdaten on shared devices — short idle timeout, gone at browser close.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# However active: a session ends after this many seconds (a working day).
SESSION_ABSOLUTE_AGE = env.int("SESSION_ABSOLUTE_AGE", default=10 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# This many seconds before the idle timeout a dialog offers to stay logged in.
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=2 * 60)
# The CSRF token stays in its own cookie, not in the session: a form sent after the session
# expired still passes the check and is kept (jobcenters/kept_form.py).
CSRF_USE_SESSIONS = False

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Celery: Redis as broker; without REDIS_URL tasks run in process (embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Time limits stay well below the visibility timeout, so a running task is never redelivered.
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A hung or stopped Redis must never hang a web request: give up publishing quickly.
# (retry=False would fall back to the transport's own retry with a two-second pause.)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "cohort-statuses-nightly": {
        "task": "cohorts.tasks.cohort_statuses_refresh_all",
        "schedule": crontab(hour=1, minute=30),
    },
    "reports-nightly": {
        "task": "reports.tasks.report_refresh_all",
        "schedule": crontab(hour=2, minute=0),
    },
    "retention-nightly": {
        "task": "privacy.tasks.retention_run_all",
        "schedule": crontab(hour=3, minute=0),
    },
    "reports-sweeper": {
        "task": "reports.tasks.report_sweep",
        "schedule": 60,
    },
}
# Searches by customer number, per user (django-ratelimit): enough to enrol a group,
# too few to step through numbers. Counted in Redis where there is one, so that every web
# container counts the same.
CUSTOMER_NUMBER_SEARCH_RATE = env.str("CUSTOMER_NUMBER_SEARCH_RATE", default="60/h")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    } if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                         "LOCATION": "ratelimit"},
    # How far a background import has got (rows done/total): written by the worker outside
    # the import's transaction, read by the page that polls it.
    "progress": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
        "KEY_PREFIX": "progress",
        "OPTIONS": {"socket_timeout": 1, "socket_connect_timeout": 1},
    } if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                         "LOCATION": "progress"},
}
RATELIMIT_USE_CACHE = "ratelimit"

# A report job still waiting after this is handed to the broker again (a lost enqueue).
# A save asks for a refresh of its jobcenter's figures this many seconds later: the saves
# of that moment (a whole attendance list, an import) join the one refresh.
REPORT_REFRESH_DELAY = env.float("REPORT_REFRESH_DELAY", default=1.0)
REPORT_JOB_STALE_AFTER = env.int("REPORT_JOB_STALE_AFTER", default=5 * 60)
# A running job whose worker holds no lock on it after this is taken up again (a dead worker).
REPORT_JOB_TAKE_GRACE = env.int("REPORT_JOB_TAKE_GRACE", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every step of every PDF at INFO; its warnings (a missing font) stay.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
