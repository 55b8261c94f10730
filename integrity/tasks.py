"""Celery tasks of the organisation layer: thin, idempotent wrappers over services."""

from celery import shared_task

from . import services


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification_email(self, notification_id: int) -> bool:
    """E-mail one inbox notification; running it twice sends one e-mail."""
    return services.notification_email(notification_id=notification_id)
