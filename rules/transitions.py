"""The lifecycle of a rule version, as one table that the services read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Status


class TransitionError(Exception):
    """The move is not allowed; the message says why, for the user."""


# (from, to) → what the move needs.
TRANSITIONS = {
    (Status.DRAFT, Status.CONSULTATION): {"label": gettext_lazy("open consultation")},
    (Status.CONSULTATION, Status.DRAFT): {"label": gettext_lazy("close consultation")},
    (Status.DRAFT, Status.PENDING_APPROVAL): {"label": gettext_lazy("submit for approval")},
    (Status.PENDING_APPROVAL, Status.DRAFT): {"label": gettext_lazy("send back"), "reason": True},
    (Status.PENDING_APPROVAL, Status.APPROVED): {"label": gettext_lazy("approve"), "four_eyes": True},
    (Status.APPROVED, Status.IN_FORCE): {"label": gettext_lazy("bring into force")},
    (Status.DRAFT, Status.WITHDRAWN): {"label": gettext_lazy("withdraw")},
    (Status.IN_FORCE, Status.SUPERSEDED): {"label": gettext_lazy("supersede")},
    (Status.IN_FORCE, Status.ABOLISHED): {"label": gettext_lazy("abolish"), "reason": True},
    (Status.IN_FORCE, Status.EXPIRED): {"label": gettext_lazy("expire")},
}


def check_transition(version, *, to: str, actor=None, reason: str = "") -> str | None:
    """None when the move is allowed, else the reason it is not (in the user's language)."""
    rule = TRANSITIONS.get((version.status, to))
    if rule is None:
        return _("A version that is “%(current)s” cannot be moved to “%(target)s”.") % {
            "current": Status(version.status).label,
            "target": Status(to).label,
        }
    if rule.get("reason") and not (reason or "").strip():
        return _("A reason is required to %(action)s.") % {"action": rule["label"]}
    if rule.get("four_eyes") and actor is not None and actor.pk == version.authored_by_id:
        return _("You authored this version — another officer must approve it.")
    return None


def ensure_transition(version, *, to: str, actor=None, reason: str = "") -> None:
    """Raise TransitionError with the reason when the move is not allowed."""
    problem = check_transition(version, to=to, actor=actor, reason=reason)
    if problem:
        raise TransitionError(problem)
