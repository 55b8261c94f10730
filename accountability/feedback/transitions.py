"""The lifecycle of a feedback item, as one table that the services read.

received → triaged → answered → referred to review → closed; an answer can be followed by the
sender's new information (back to triaged), and a closed item can be reopened with a reason.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Status


class TransitionError(Exception):
    """The move is not allowed; the message says why, for the user."""


# (from, to) → what the move needs. "via": the action that makes the move ("reply": an officer's reply,
# "sender": the sender adding information); without it, an officer makes the move directly.
TRANSITIONS = {
    (Status.RECEIVED, Status.TRIAGED): {"label": gettext_lazy("triage")},
    (Status.RECEIVED, Status.ANSWERED): {"label": gettext_lazy("answer"), "via": "reply"},
    (Status.TRIAGED, Status.ANSWERED): {"label": gettext_lazy("answer"), "via": "reply"},
    (Status.RECEIVED, Status.REFERRED): {"label": gettext_lazy("refer to review")},
    (Status.TRIAGED, Status.REFERRED): {"label": gettext_lazy("refer to review")},
    (Status.ANSWERED, Status.REFERRED): {"label": gettext_lazy("refer to review")},
    (Status.ANSWERED, Status.TRIAGED): {"label": gettext_lazy("add information"), "via": "sender"},
    (Status.RECEIVED, Status.CLOSED): {"label": gettext_lazy("close without an answer"), "reason": True},
    (Status.TRIAGED, Status.CLOSED): {"label": gettext_lazy("close without an answer"), "reason": True},
    (Status.ANSWERED, Status.CLOSED): {"label": gettext_lazy("close")},
    (Status.REFERRED, Status.CLOSED): {"label": gettext_lazy("close")},
    (Status.CLOSED, Status.TRIAGED): {"label": gettext_lazy("reopen"), "reason": True},
}

# What an officer may choose in the action panel (the other moves happen through replies and assignments).
OFFICER_MOVES = (Status.REFERRED, Status.CLOSED, Status.TRIAGED)


def check_transition(feedback, *, to: str, reason: str = "", via: str = "") -> str | None:
    """None when the move is allowed, else the reason it is not (in the user's language)."""
    rule = TRANSITIONS.get((feedback.status, to))
    if rule is None or rule.get("via", "") != via:
        return _("Feedback that is “%(current)s” cannot be moved to “%(target)s”.") % {
            "current": Status(feedback.status).label,
            "target": Status(to).label,
        }
    if rule.get("reason") and not (reason or "").strip():
        return _("A reason is required to %(action)s.") % {"action": rule["label"]}
    return None


def ensure_transition(feedback, *, to: str, reason: str = "", via: str = "") -> None:
    """Raise TransitionError with the reason when the move is not allowed."""
    problem = check_transition(feedback, to=to, reason=reason, via=via)
    if problem:
        raise TransitionError(problem)
