"""The lifecycle of a review, as one table the services read."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ReviewStatus as S


class ReviewTransitionError(Exception):
    """The move is not allowed; the message says why."""


TRANSITIONS = {
    (S.OPEN, S.PROPOSED): {"label": gettext_lazy("propose an outcome")},
    (S.RETURNED, S.PROPOSED): {"label": gettext_lazy("propose an outcome")},
    (S.PROPOSED, S.RETURNED): {"label": gettext_lazy("return"), "reason": True, "four_eyes": True},
    (S.PROPOSED, S.DECIDED): {"label": gettext_lazy("approve"), "four_eyes": True},
    (S.OPEN, S.CANCELLED): {"label": gettext_lazy("cancel"), "reason": True},
    (S.RETURNED, S.CANCELLED): {"label": gettext_lazy("cancel"), "reason": True},
}


def check_review_transition(review, *, to, actor=None, reason="") -> str | None:
    rule = TRANSITIONS.get((review.status, to))
    if rule is None:
        return _("A review that is “%(current)s” cannot be moved to “%(target)s”.") % {
            "current": S(review.status).label,
            "target": S(to).label,
        }
    if rule.get("reason") and not (reason or "").strip():
        return _("A reason is required to %(action)s.") % {"action": rule["label"]}
    if rule.get("four_eyes") and actor is not None and actor.pk == review.proposed_by_id:
        return _("You proposed this outcome — another officer must decide on it.")
    return None


def ensure_review_transition(review, *, to, actor=None, reason=""):
    problem = check_review_transition(review, to=to, actor=actor, reason=reason)
    if problem:
        raise ReviewTransitionError(problem)
