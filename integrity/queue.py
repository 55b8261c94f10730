"""Queue Celery work after commit without letting a broker outage break the request."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def _send(task, args, kwargs):
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, OSError) as exc:
        # Nothing is lost: the saved rows stay, and the periodic sweeps pick them up.
        logger.warning("Broker unavailable, %s left for the next sweep: %s", task.name, exc)


def enqueue_on_commit(task, *args, **kwargs):
    """Send task after the current transaction commits; a broker outage only logs a warning."""
    transaction.on_commit(lambda: _send(task, args, kwargs))
