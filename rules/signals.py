"""Signals for the execution layer: rules cannot import it, so it listens here."""

from django.dispatch import Signal

# Sent after commit-time state is written: version (now in force), previous (superseded or None).
version_in_force = Signal()
# Sent when a rule stops being in force (abolished, expired or merged): rule, status.
rule_ended = Signal()
