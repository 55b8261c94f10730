from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.feedback import services
from accountability.feedback.models import Feedback, Kind
from accountability.feedback.tests.factories import a_rule, feedback
from integrity.models import Notification
from integrity.reminders.sweep import reminder_sweep
from integrity.roles import Role

pytestmark = pytest.mark.django_db


def test_unanswered_feedback_reminds_the_assignee_then_the_triage_lead(make_user, cadre):
    lead = make_user(Role.OFFICER, is_leading_cadre=True)
    assignee = make_user(Role.OFFICER)
    item = feedback(sender=cadre, rule=a_rule(), kind=Kind.AMBIGUOUS)
    services.feedback_assign(feedback=item, assignee=assignee, actor=lead)
    Feedback.objects.filter(pk=item.pk).update(response_due_on=timezone.localdate() - timedelta(days=1))
    reminder_sweep(occasion="feedback_unanswered")
    assert Notification.objects.filter(occasion="feedback_unanswered", recipient=assignee).count() == 1
    assert not Notification.objects.filter(occasion="feedback_unanswered", recipient=lead).exists()
    reminder_sweep(occasion="feedback_unanswered", now=timezone.now() + timedelta(days=3))
    assert Notification.objects.filter(occasion="feedback_unanswered", recipient=lead).count() == 1
    assert Notification.objects.filter(occasion="feedback_unanswered", recipient=assignee).count() == 1


def test_answered_feedback_is_not_chased(make_user, cadre):
    officer = make_user(Role.OFFICER, is_leading_cadre=True)
    item = feedback(sender=cadre, rule=a_rule(), kind=Kind.AMBIGUOUS)
    services.feedback_assign(feedback=item, assignee=officer, actor=officer)
    services.feedback_reply(feedback=Feedback.objects.get(pk=item.pk), actor=officer, text="Answered.")
    Feedback.objects.filter(pk=item.pk).update(response_due_on=timezone.localdate() - timedelta(days=5))
    reminder_sweep(occasion="feedback_unanswered")
    assert not Notification.objects.filter(occasion="feedback_unanswered").exists()
