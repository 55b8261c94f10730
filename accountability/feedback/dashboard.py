"""The feedback panels of the home page and the feedback tab on rule pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from integrity.dashboard import Panel
from rules.models import Status as RuleStatus

from . import selectors
from .permissions import can


def feedback_panels(user):
    if can(user, "view_queue"):
        counts = selectors.officer_counts(actor=user)
        queue = reverse("feedback:queue")
        return [
            Panel(
                title=_("Feedback"),
                order=30,
                items=[
                    (_("unassigned"), counts["unassigned"], f"{queue}?status=open&assignee=none", "warn"),
                    (_("overdue"), counts["overdue"], f"{queue}?overdue=on&sort=due", "bad"),
                    (_("assigned to me, to answer"), counts["mine"], f"{queue}?assignee=me&status=open", "neutral"),
                    (_("rules: review suggested"), counts["review_suggested"], f"{queue}?review_suggested=on", "warn"),
                ],
            )
        ]
    if not can(user, "view_own_feedback"):
        return []
    counts = selectors.sender_counts(actor=user)
    mine = reverse("feedback:mine")
    return [
        Panel(
            title=_("My feedback"),
            order=30,
            items=[
                (_("answered"), counts["answered"], mine, "ok"),
                (_("waiting for an answer"), counts["waiting"], mine, "neutral"),
            ],
            rows=[
                (
                    _("Reply to %(ref)s (%(rule)s)") % {"ref": f.reference, "rule": f.rule.code if f.rule_id else "—"},
                    f.get_absolute_url(),
                )
                for f in selectors.recent_replies(actor=user)
            ],
        )
    ]


def feedback_rule_tabs(user, rule):
    """A "give feedback" link on rules in force, and for officers the rule's feedback with its count."""
    tabs = []
    if rule.status == RuleStatus.IN_FORCE and can(user, "submit_feedback"):
        tabs.append({"label": _("Give feedback on this rule"), "url": f"{reverse('feedback:new')}?rule={rule.code}"})
    if can(user, "view_queue"):
        summary = selectors.rule_feedback_summary(rule=rule)
        label = _("Feedback (%(count)d)") % {"count": summary["total"]}
        if summary["review_suggested"]:
            label = f"{label} · {_('review suggested')}"
        tabs.append({"label": label, "url": f"{reverse('feedback:queue')}?rule={rule.code}"})
    return tabs
