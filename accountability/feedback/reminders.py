"""Reminder occasion: feedback not answered within its response time limit."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from integrity.models import User
from integrity.reminders import Escalation, Occasion, ReminderItem, batched, object_key
from integrity.roles import Role

from .models import Feedback


def triage_leads():
    """The officers in charge of triage: leading cadres among the discipline officers."""
    return list(User.objects.filter(is_active=True, is_leading_cadre=True, groups__name=Role.OFFICER.value).distinct())


def feedback_unanswered_items(window):
    """Items still waiting for an officer whose response date is near or past."""
    qs = (
        Feedback.objects.awaiting_response()
        .filter(**window.due_dates("response_due_on"))
        .select_related("assignee", "rule")
    )
    leads = None
    for items in batched(qs, window.batch_size):
        if leads is None:
            leads = triage_leads()
        yield [
            ReminderItem(
                key=object_key(item),
                due=item.response_due_on,
                title=_("Feedback #%(id)d%(rule)s")
                % {"id": item.pk, "rule": f" ({item.rule.code})" if item.rule else ""},
                url=reverse("feedback:detail", args=[item.pk]),
                # Unassigned items go straight to the officers in charge of triage.
                recipients={"primary": [item.assignee] if item.assignee else leads, "triage": leads},
            )
            for item in items
        ]


FEEDBACK_UNANSWERED = Occasion(
    code="feedback_unanswered",
    label=_("Feedback not answered in time"),
    items=feedback_unanswered_items,
    before_days=(2,),
    escalations=(Escalation("overdue"), Escalation("escalate-1", after_days=2, to="triage")),
    description=_("The assignee before the response date; then the officers in charge of triage."),
)
