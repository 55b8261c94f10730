"""Benchmarks (bench/): production-like behaviour on the bench database, DEBUG off, limits raised.

Derived from base (not production) because the benchmark serves plain HTTP on 127.0.0.1: production's
secure-cookie and SSL-redirect settings would stop every POST. Everything else is what production runs:
real password hashing, persistent connections, Redis cache, templates cached by Django.
"""

from .base import *  # noqa: F403
from .base import cache_entry, env

DEBUG = False
ROOT_URLCONF = "bench.urls"  # the product's URLs and the floor page
SECRET_KEY = env("DJANGO_SECRET_KEY", default="bench-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES = {"default": env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/integrity_bench")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
CACHES = {"default": cache_entry(env.cache("BENCH_CACHE_URL", default="redis://127.0.0.1:6379/10"))}
CELERY_BROKER_URL = env("BENCH_CELERY_BROKER_URL", default="redis://127.0.0.1:6379/10")
CELERY_RESULT_BACKEND = None
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No collectstatic for a benchmark: static files come from the finders (pages do not serve them anyway).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# The public form's rate limits, raised for the load test (reported with the results).
FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR = env.int("BENCH_REPORTS_PER_CLIENT_PER_HOUR", default=10_000_000)
FEEDBACK_REPORTS_GLOBAL_PER_MINUTE = env.int("BENCH_REPORTS_GLOBAL_PER_MINUTE", default=10_000_000)
FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR = env.int("BENCH_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR", default=10_000)
FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE = env.int("BENCH_RECEIPT_FAILURES_GLOBAL_PER_MINUTE", default=10_000)
