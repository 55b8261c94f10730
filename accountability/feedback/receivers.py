"""Listeners: a change to the working-day calendar or to the response time limits forgets the response
dates computed from them (services.response_due_on keeps one per kind and day)."""

from django.db import transaction

from . import services


def on_response_rules_changed(sender, **kwargs):
    """Forget now, and again once the change is committed: a submission computing its date between the
    two would otherwise keep the old calendar's date for the cache's lifetime."""
    services.forget_response_dates()
    transaction.on_commit(services.forget_response_dates)
