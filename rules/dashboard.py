"""The rules panels of the home page."""

from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.dashboard import Panel
from integrity.selectors import count_each

from .models import Rule, RuleVersion, Status
from .permissions import can, consultations_open_to

FIGURES_SECONDS = 60


def _register_figures():
    """Organisation-wide figures of the register (the same for every officer; cached briefly)."""
    today = timezone.localdate()
    rules = Rule.objects.aggregate(
        in_force=Count("pk", filter=Q(status=Status.IN_FORCE)),
        review_overdue=Count("pk", filter=Q(status=Status.IN_FORCE, next_review_on__lt=today)),
    )
    by_status = dict(Rule.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return rules, by_status


def rules_panels(user):
    today = timezone.localdate()
    register = reverse("rules:register")
    panels = []
    if can(user, "view_drafts"):
        # One COUNT each, answered from the status and author/status indexes alone, in one statement.
        pending = RuleVersion.objects.filter(status=Status.PENDING_APPROVAL)
        versions = count_each(
            my_drafts=RuleVersion.objects.filter(authored_by=user, status=Status.DRAFT),
            pending=pending,
            pending_mine=pending.filter(authored_by=user),
            consulting=RuleVersion.objects.filter(status=Status.CONSULTATION),
        )
        versions["to_approve"] = versions["pending"] - versions["pending_mine"]
        rules, by_status = cache.get_or_set(f"rules:dashboard:{today.isoformat()}", _register_figures, FIGURES_SECONDS)
        chart = {
            "id": "chart-rules-by-status",
            "title": str(_("Rules by status")),
            "labels": [str(label) for value, label in Status.choices],
            "values": [by_status.get(value, 0) for value, _label in Status.choices],
        }
        panels.append(
            Panel(
                title=_("Rules"),
                order=10,
                chart=chart,
                items=[
                    (_("awaiting my approval"), versions["to_approve"], f"{register}?status=pending_approval", "warn"),
                    (_("drafts"), versions["my_drafts"], f"{register}?status=draft", "neutral"),
                    (_("in consultation"), versions["consulting"], f"{register}?status=consultation", "neutral"),
                    (_("in force"), rules["in_force"], f"{register}?status=in_force", "ok"),
                    (
                        _("review overdue"),
                        rules["review_overdue"],
                        f"{register}?status=in_force&review_due_before={today.isoformat()}",
                        "bad",
                    ),
                ],
            )
        )
    else:
        consultations = consultations_open_to(user).count()
        in_force = Rule.objects.in_force().count()
        panels.append(
            Panel(
                title=_("Rules"),
                order=10,
                items=[
                    (_("consultations open to me"), consultations, reverse("rules:consultations"), "warn"),
                    (_("rules in force"), in_force, reverse("rules:board"), "ok"),
                ],
            )
        )
    return panels
