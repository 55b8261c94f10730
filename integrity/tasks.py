"""Celery tasks of the organisation layer: thin, idempotent wrappers over services."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils.dateparse import parse_datetime
from kombu.exceptions import OperationalError as BrokerError

from . import services
from .reminders.digest import digest_send_all
from .reminders.sweep import reminder_sweep

# Worth retrying: the database or the broker was briefly unreachable (or a deadlock was broken).
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError, OSError)


@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def deliver_notification_email(self, notification_id: int) -> bool:
    """E-mail one inbox notification; running it twice sends one e-mail."""
    return services.notification_email(notification_id=notification_id)


@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def deliver_notification_emails(self, notification_ids: list[int]) -> int:
    """E-mail several inbox notifications (one sweep batch); those already e-mailed are skipped."""
    return sum(services.notification_email(notification_id=pk) for pk in notification_ids)


@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def run_reminder_sweep(self, occasion: str | None = None, as_of: str | None = None) -> int:
    """Send every reminder that has come due (one occasion, or all); a rerun sends nothing twice.

    as_of (ISO datetime) sweeps as if it were that moment — for tests and backfills.
    """
    return reminder_sweep(occasion=occasion, now=parse_datetime(as_of) if as_of else None).sent


@shared_task(bind=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_daily_digests(self) -> int:
    """E-mail each person who chose the daily digest all their waiting messages, once."""
    return digest_send_all()
