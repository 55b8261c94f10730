"""Periodic rule jobs: thin, idempotent wrappers over the services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def bring_versions_into_force() -> int:
    """Approved versions whose effective date has come go into force (running twice does nothing more)."""
    return services.bring_due_versions_into_force()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_rules() -> int:
    """Rules whose end date has passed expire."""
    return services.expire_due_rules()
