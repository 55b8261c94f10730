"""Background jobs of reviews: thin, idempotent wrappers over the services."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def open_campaign_reviews(campaign_id: int) -> int:
    """Open the reviews of a cleanup campaign in batches; rerunning continues where it stopped."""
    return services.campaign_open_reviews(campaign_id=campaign_id).rules_processed


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def open_due_reviews() -> int:
    """Open periodic reviews for rules whose next review is near."""
    return services.open_due_reviews()
