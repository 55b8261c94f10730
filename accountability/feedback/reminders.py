"""Reminder occasion: feedback not answered within its response time limit."""

from django.utils.translation import gettext_lazy as _

from integrity.links import lazy_link
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
        .values("pk", "response_due_on", "assignee_id", "rule_id", "rule__code")
    )
    leads = None
    for items in batched(qs, window.batch_size):
        if leads is None:
            leads = triage_leads()
        assignees = User.objects.in_bulk({item["assignee_id"] for item in items if item["assignee_id"]})
        yield [
            ReminderItem(
                key=object_key(Feedback, pk=item["pk"]),
                due=item["response_due_on"],
                title=_("Feedback #%(id)d%(rule)s")
                % {"id": item["pk"], "rule": f" ({item['rule__code']})" if item["rule_id"] else ""},
                url=lazy_link("feedback:detail", pk=item["pk"]),
                # Unassigned items go straight to the officers in charge of triage.
                recipients={
                    "primary": [assignees[item["assignee_id"]]] if item["assignee_id"] else leads,
                    "triage": leads,
                },
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
