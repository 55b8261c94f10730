"""Listeners on the rules layer's signals (rules may not import this layer, so it tells us)."""

import logging

from . import services

logger = logging.getLogger(__name__)


def on_version_in_force(sender, version, previous=None, **kwargs):
    """A version came into force: its audience owes an acknowledgement; the assignment carries over.

    Runs after the rule's transaction committed. A failure is logged, not raised: the rule is in force
    either way, and both steps are idempotent (campaign_start and seed_demo repeat the first)."""
    try:
        services.acknowledgements_owe(version=version)
        services.assignment_carry_over(version=version)
    except Exception:
        logger.exception("Could not prepare acknowledgements/assignment for version %s", version.pk)


def on_rule_ended(sender, rule, status, **kwargs):
    """A rule was abolished, expired or merged: its assignment ends (kept) and open tasks are cancelled."""
    try:
        services.assignment_end(rule=rule, status=status)
    except Exception:
        logger.exception("Could not end the assignment of rule %s", rule.pk)
