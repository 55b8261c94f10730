"""Who may do what with feedback. Every decision about feedback is made here.

Everybody with an account may send feedback and read what they sent under their name; officers
and admins triage the queue. Anonymous feedback is linked to nobody: its sender reads it only
through the receipt code, like a member of the public. Missing and forbidden items answer 404 alike.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from integrity.baked import baked
from integrity.permissions import baked_row_or_404
from integrity.roles import Role, role_of

from .models import Feedback, Status
from .transitions import OFFICER_MOVES, TRANSITIONS, check_transition

MANAGERS = {Role.ADMIN, Role.OFFICER}
ACCOUNT_HOLDERS = {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE}

ROLE_ACTIONS: dict[str, set[str]] = {
    "submit_feedback": ACCOUNT_HOLDERS,
    "view_own_feedback": ACCOUNT_HOLDERS,
    "view_queue": MANAGERS,
    "assign_feedback": MANAGERS,
    "be_assigned": MANAGERS,
    "reply_feedback": MANAGERS,
    "add_note": MANAGERS,
    "change_status": MANAGERS,
    "export_feedback": MANAGERS,
    "view_sender": MANAGERS,
}
# The public channel (report, follow up with a receipt code) is open to everyone, with or without an account.
PUBLIC_ACTIONS = {"report_publicly", "follow_up_report"}


def can(user, action: str) -> bool:
    if action in PUBLIC_ACTIONS:
        return True
    return role_of(user) in ROLE_ACTIONS[action]


def feedback_visible_to(user):
    """Officers and admins see every item; everybody else what they sent under their name."""
    if can(user, "view_queue"):
        return Feedback.objects.all()
    if not can(user, "view_own_feedback"):
        return Feedback.objects.none()
    return Feedback.objects.of_sender(user)


def is_own(user, feedback) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        not feedback.is_anonymous and feedback.sender_id == user.pk
    )


# The item of an officer's item page (officers see every item, as in feedback_visible_to), compiled once.
_ITEM_PAGE_ROW = baked(
    lambda *, pk: Feedback.objects.select_related("rule", "article", "conflicting_rule", "assignee", "sender").filter(
        pk=pk
    )
)


def get_feedback_for(user, pk) -> Feedback:
    """The item, or 404 alike for a missing item and one the user may not see."""
    if can(user, "view_queue"):
        return baked_row_or_404(_ITEM_PAGE_ROW, pk)
    try:
        return (
            feedback_visible_to(user)
            .select_related("rule", "article", "conflicting_rule", "assignee", "sender")
            .get(pk=pk)
        )
    except (Feedback.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def why_not_sender_message(feedback) -> str | None:
    """None when the sender may add a message now, else why not."""
    if feedback.status == Status.CLOSED:
        return _("This item is closed. If there is something new, send new feedback or a new report.")
    return None


def feedback_actions(user, feedback) -> list[dict]:
    """The status moves an officer may make now, for the action panel: [{"to", "label", "needs_reason"}]."""
    if not can(user, "change_status"):
        return []
    actions = []
    for to in OFFICER_MOVES:
        rule = TRANSITIONS.get((feedback.status, to))
        if rule is None or check_transition(feedback, to=to, reason="-"):
            continue
        actions.append({"to": to, "label": str(rule["label"]).capitalize(), "needs_reason": bool(rule.get("reason"))})
    return actions
