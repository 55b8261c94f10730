from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.reviews import selectors, services
from accountability.reviews.models import Outcome, Review, ReviewStatus
from accountability.reviews.tests.factories import propose
from rules.tests.factories import rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_campaign_progress_counts_states_decided_share_and_overdue_reviews(officer, officer2):
    for _ in range(3):
        rule_in_force(author=officer, approver=officer2, category="procurement")
    campaign = services.campaign_create(
        actor=officer,
        title="Procurement",
        deadline=TODAY() + timedelta(days=9),
        reviewers=[officer],
        category="procurement",
        open_now=True,
    )
    late, decided, on_time = campaign.reviews.order_by("pk")
    services.review_approve(review=propose(decided, reviewer=officer, outcome=Outcome.RETAIN), actor=officer2)
    Review.objects.filter(pk__in=[late.pk, decided.pk]).update(deadline=TODAY() - timedelta(days=1))
    progress = selectors.campaign_progress(campaign=campaign)
    assert progress["total"] == 3 and progress["decided"] == 1 and progress["percent"] == 33
    assert progress["overdue"] == 1  # the decided one is past its deadline too, but no longer counts
    counts = {status: n for _, status, n in progress["by_status"]}
    assert counts[ReviewStatus.DECIDED] == 1 and sum(counts.values()) == 3
