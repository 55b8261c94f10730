"""Reviews built through the real services."""

from datetime import timedelta

from django.utils import timezone

from accountability.reviews import services
from accountability.reviews.models import Criterion

ALL_FOURS = dict.fromkeys(Criterion.values, (4, "ok"))


def open_review(*, rule, officer, reviewers=None, days=14, **kwargs):
    return services.review_open(
        rule=rule,
        actor=officer,
        deadline=timezone.localdate() + timedelta(days=days),
        reviewers=reviewers or [officer],
        **kwargs,
    )


def propose(review, *, reviewer, outcome, note="because", target=None):
    services.review_score(review=review, actor=reviewer, scores=ALL_FOURS)
    return services.review_propose(review=review, actor=reviewer, outcome=outcome, note=note, merge_target=target)
