"""Who may do what with reviews and cleanup campaigns. Every decision about reviews is made here."""

from django.http import Http404
from django.utils.translation import gettext as _

from integrity.baked import baked
from integrity.permissions import baked_row_or_404
from integrity.roles import Role, role_of

from .models import Review
from .models import ReviewStatus as S
from .transitions import check_review_transition

OFFICERS = {Role.ADMIN, Role.OFFICER}

ROLE_ACTIONS: dict[str, set[str]] = {
    "view_reviews": OFFICERS,
    "open_review": OFFICERS,
    "decide_review": OFFICERS,
    "cancel_review": OFFICERS,
    "run_campaign": OFFICERS,
    "view_campaigns": OFFICERS,
}


def can(user, action: str) -> bool:
    return role_of(user) in ROLE_ACTIONS[action]


def is_reviewer(user, review: Review) -> bool:
    return any(r.pk == user.pk for r in review.reviewers.all())


def get_review_for(user, pk) -> Review:
    """The review, or 404 alike for a missing review and one the user may not see."""
    if not can(user, "view_reviews"):
        raise Http404
    return baked_row_or_404(_REVIEW_PAGE_ROW, pk)


# The rule, always shown, in the same statement; the merge target, the proposer and the decider exist only
# late in a review and are read when they do: joining all seven tables made PostgreSQL's planning of this
# one-row statement take 2 ms. The reviewers are read by every permission check on the page, and listed.
# Compiled once (integrity.baked).
_REVIEW_PAGE_ROW = baked(
    lambda *, pk: (
        Review.objects.select_related("rule", "rule__current_version", "rule__issuing_unit")
        .prefetch_related("reviewers")
        .filter(pk=pk)
    )
)


def why_not_score(user, review) -> str | None:
    if review.status not in (S.OPEN, S.RETURNED):
        return _("The review is not open for scoring.")
    if not (is_reviewer(user, review) or role_of(user) == Role.ADMIN):
        return _("Only the review's reviewers can score it.")
    return None


def why_not_propose(user, review) -> str | None:
    problem = why_not_score(user, review)
    if problem:
        return problem
    return check_review_transition(review, to=S.PROPOSED, actor=user)


def why_not_decide(user, review) -> str | None:
    if not can(user, "decide_review"):
        return _("Only officers decide on review proposals.")
    return check_review_transition(review, to=S.DECIDED, actor=user)
