"""Reminder occasions of the rules layer (delivered by integrity.reminders)."""

from django.utils.translation import gettext_lazy as _

from integrity.links import lazy_link
from integrity.models import User
from integrity.reminders import Escalation, Occasion, ReminderItem, batched, object_key

from .models import Consultation, Status


def consultation_closing_items(window):
    """Open consultations whose end date is near or past, for the officer who opened them."""
    qs = Consultation.objects.filter(
        closed_at__isnull=True, version__status=Status.CONSULTATION, **window.due_dates("ends_on")
    ).values("pk", "ends_on", "opened_by_id", "version__title", "version__rule__code")
    for consultations in batched(qs, window.batch_size):
        officers = User.objects.in_bulk({c["opened_by_id"] for c in consultations})
        yield [
            ReminderItem(
                key=object_key(Consultation, pk=c["pk"]),
                due=c["ends_on"],
                title=f"{c['version__rule__code']} {c['version__title']}",
                url=lazy_link("rules:consultation", pk=c["pk"]),
                recipients={"primary": [officers[c["opened_by_id"]]]},
            )
            for c in consultations
        ]


CONSULTATION_CLOSING = Occasion(
    code="consultation_closing",
    label=_("Consultation closing"),
    items=consultation_closing_items,
    before_days=(2,),
    escalations=(Escalation("overdue", after_days=1),),
    description=_("The officer who opened a consultation, 2 days before it closes and when it is due to be closed."),
)
