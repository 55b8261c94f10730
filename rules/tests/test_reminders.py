from datetime import timedelta

import pytest
from django.utils import timezone

from integrity.models import Notification
from integrity.reminders.sweep import reminder_sweep
from rules import services
from rules.tests.factories import draft_rule

pytestmark = pytest.mark.django_db


def test_officer_is_reminded_once_before_a_consultation_closes(officer, unit):
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=timezone.localdate() + timedelta(days=1), audience_units=[unit]
    )
    reminder_sweep(occasion="consultation_closing")
    reminder_sweep(occasion="consultation_closing")
    sent = Notification.objects.filter(recipient=officer, occasion="consultation_closing")
    assert sent.count() == 1
    assert version.rule.code in sent.get().subject
    services.consultation_close(consultation=consultation, actor=officer)
    later = timezone.now() + timedelta(days=5)
    reminder_sweep(occasion="consultation_closing", now=later)
    assert sent.count() == 1  # closed: no overdue reminder


def test_consultation_far_from_closing_sends_nothing(officer, unit):
    version = draft_rule(author=officer).versions.get()
    services.consultation_open(
        version=version, actor=officer, ends_on=timezone.localdate() + timedelta(days=10), audience_units=[unit]
    )
    reminder_sweep(occasion="consultation_closing")
    assert not Notification.objects.filter(occasion="consultation_closing").exists()
