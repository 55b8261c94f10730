"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for the project's form renderer below
    "simple_history",
    "django_celery_beat",
    "integrity.apps.IntegrityConfig",
    "rules.apps.RulesConfig",
    "accountability.apps.AccountabilityConfig",
    "accountability.feedback.apps.FeedbackConfig",
    "accountability.reviews.apps.ReviewsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "integrity.urls"
AUTHENTICATION_BACKENDS = ["integrity.auth.UnitAwareBackend"]
WSGI_APPLICATION = "integrity.wsgi.application"

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
                "integrity.context_processors.shell",
            ],
        },
    },
]

# Widgets render through the project's template engine (cached loaders, templates/ first); the common
# inputs and selects are written in Python with the same markup (integrity.forms.ProjectFormRenderer).
FORM_RENDERER = "integrity.forms.ProjectFormRenderer"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "integrity.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Sessions are read from the cache (Redis in production) and written through to the database, which
# keeps them across a cache flush: every request reads its session, few change it.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def cache_entry(value: dict) -> dict:
    """A CACHES entry from django-environ, with Django's Redis backend replaced by the project's (the
    same backend, one client object per connection pool: integrity/caching.py)."""
    if value.get("BACKEND") == "django.core.cache.backends.redis.RedisCache":
        return {**value, "BACKEND": "integrity.caching.RedisCache"}
    return value


CACHES = {"default": cache_entry(env.cache("CACHE_URL", default="locmemcache://integrity"))}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="integrity@localhost")

# Celery: configured from these settings by integrity/celery.py.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish to a broker that is down must not hang a web request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Product settings.
INTEGRITY_PAGE_SIZE = env.int("INTEGRITY_PAGE_SIZE", default=25)
# Lists count matching rows exactly up to this many; above it they say "more than N" (integrity/pagination.py).
INTEGRITY_COUNT_CAP = env.int("INTEGRITY_COUNT_CAP", default=1000)
INTEGRITY_DEMO_PASSWORD = "demo-pass-2026"
INTEGRITY_SITE_URL = env("INTEGRITY_SITE_URL", default="")

# Feedback and the public reporting channel (accountability.feedback).
FEEDBACK_RECEIPT_KEY = env("FEEDBACK_RECEIPT_KEY", default="")
FEEDBACK_RESPONSE_DAYS = env.int("FEEDBACK_RESPONSE_DAYS", default=15)
FEEDBACK_REVIEW_THRESHOLD = env.int("FEEDBACK_REVIEW_THRESHOLD", default=3)
FEEDBACK_REVIEW_WINDOW_DAYS = env.int("FEEDBACK_REVIEW_WINDOW_DAYS", default=180)
FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR = env.int("FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR", default=10)
FEEDBACK_REPORTS_GLOBAL_PER_MINUTE = env.int("FEEDBACK_REPORTS_GLOBAL_PER_MINUTE", default=60)
FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR = env.int("FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR", default=10)
FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE = env.int("FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE", default=300)
REVIEWS_OPEN_DAYS_BEFORE = env.int("REVIEWS_OPEN_DAYS_BEFORE", default=30)
