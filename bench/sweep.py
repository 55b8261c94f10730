"""Reminder sweep over the whole data set: wall time, queries, reminders created; the second creates none."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

GOAL_SECONDS = 5.0


def _once(now):
    from integrity.reminders.sweep import reminder_sweep

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = reminder_sweep(now=now)
        seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 3),
        "queries": len(captured.captured_queries),
        "sent": result.sent,
        "by_occasion": result.by_occasion,
    }


def _purge_broker():
    """Drop the e-mail tasks the sweep queued: nobody consumes the bench broker."""
    try:
        from integrity.celery import app

        return app.control.purge()
    except Exception:  # no broker: nothing was queued either
        return 0


def run(*, stdout=None) -> dict:
    from django.utils import timezone

    from integrity.models import Notification, ReminderRecord
    from integrity.reminders import occasions

    now = timezone.now()
    records_before = ReminderRecord.objects.count()
    notifications_before = Notification.objects.count()
    first = _once(now)
    second = _once(now)
    result = {
        "occasions": [o.code for o in occasions()],
        "first": first,
        "second": second,
        "records_created": ReminderRecord.objects.count() - records_before,
        "notifications_created": Notification.objects.count() - notifications_before,
        "goal_seconds": GOAL_SECONDS,
        "purged_tasks": _purge_broker(),
    }
    result["passed"] = first["seconds"] <= GOAL_SECONDS and second["sent"] == 0
    if stdout is not None:
        stdout.write(
            f"  sweep 1: {first['seconds']:.2f}s, {first['queries']} queries, {first['sent']} reminders "
            f"{first['by_occasion']}\n  sweep 2: {second['seconds']:.2f}s, {second['queries']} queries, "
            f"{second['sent']} reminders"
        )
    return result
