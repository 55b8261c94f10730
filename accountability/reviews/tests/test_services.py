from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from accountability.reviews import services
from accountability.reviews.models import Campaign, CampaignStatus, Outcome, Review, ReviewKind, ReviewStatus, Score
from accountability.reviews.tests.factories import ALL_FOURS, open_review, propose
from accountability.reviews.transitions import ReviewTransitionError
from integrity.services import ServiceError
from rules.models import Rule, RuleVersion, Status
from rules.tests.factories import draft_rule, rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def rule(officer, officer2):
    return rule_in_force(author=officer, approver=officer2, category="procurement")


def test_one_active_review_per_rule(rule, officer):
    open_review(rule=rule, officer=officer)
    with pytest.raises(ServiceError, match="already under review"):
        open_review(rule=rule, officer=officer)
    assert Review.objects.count() == 1


def test_only_rules_in_force_are_reviewed(officer):
    draft = draft_rule(author=officer)
    with pytest.raises(ServiceError, match="Only a rule in force"):
        open_review(rule=draft, officer=officer)


def test_scores_must_be_1_to_5_and_all_five_before_proposing(rule, officer):
    review = open_review(rule=rule, officer=officer)
    for bad in (0, 6, "3"):
        with pytest.raises(ServiceError, match="from 1 to 5"):
            services.review_score(review=review, actor=officer, scores={"legality": (bad, "")})
    services.review_score(review=review, actor=officer, scores={"legality": (5, "fine")})
    with pytest.raises(ServiceError, match="4 missing"):
        services.review_propose(review=review, actor=officer, outcome=Outcome.RETAIN)
    services.review_score(review=review, actor=officer, scores={"legality": (3, "rescored")})
    assert Score.objects.get(review=review, criterion="legality").score == 3


@pytest.mark.parametrize(
    "outcome,note,message",
    [
        (Outcome.AMEND, "", "what to change"),
        (Outcome.ABOLISH, " ", "reason for abolition"),
        (Outcome.MERGE, "x", "Choose the rule to merge into"),
        (Outcome.IMPLEMENTATION, "", "implementation rules must settle"),
        ("nonsense", "x", "Choose an outcome"),
    ],
)
def test_an_outcome_needs_its_field(rule, officer, outcome, note, message):
    review = open_review(rule=rule, officer=officer)
    services.review_score(review=review, actor=officer, scores=ALL_FOURS)
    with pytest.raises(ServiceError, match=message):
        services.review_propose(review=review, actor=officer, outcome=outcome, note=note)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.OPEN


def test_merge_into_itself_or_an_abolished_rule_is_refused(rule, officer, officer2):
    review = open_review(rule=rule, officer=officer)
    services.review_score(review=review, actor=officer, scores=ALL_FOURS)
    with pytest.raises(ServiceError, match="into itself"):
        services.review_propose(review=review, actor=officer, outcome=Outcome.MERGE, merge_target=rule)
    gone = rule_in_force(author=officer, approver=officer2)
    from rules.services import rule_abolish

    rule_abolish(rule=gone, actor=officer, reason="old")
    with pytest.raises(ServiceError, match="merged into a rule in force"):
        services.review_propose(review=review, actor=officer, outcome=Outcome.MERGE, merge_target=gone)


def test_proposer_cannot_approve_own_proposal(rule, officer):
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.RETAIN)
    with pytest.raises(ReviewTransitionError, match="another officer must decide"):
        services.review_approve(review=review, actor=officer)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PROPOSED


def test_retain_moves_the_next_review_on(rule, officer, officer2):
    Rule.objects.filter(pk=rule.pk).update(next_review_on=TODAY() - timedelta(days=3))
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.RETAIN)
    services.review_approve(review=review, actor=officer2)
    rule.refresh_from_db()
    assert rule.next_review_on > TODAY() + timedelta(days=300)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DECIDED


def test_amend_opens_a_draft_version_linked_to_the_review(rule, officer, officer2):
    review = propose(
        open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.AMEND, note="Shorten art. 2"
    )
    review = services.review_approve(review=review, actor=officer2)
    draft = RuleVersion.objects.get(rule=rule, number=2)
    assert draft.status == Status.DRAFT and review.amendment == draft
    assert f"Review #{review.pk}: Shorten art. 2" in draft.change_summary
    assert Rule.objects.get(pk=rule.pk).status == Status.IN_FORCE


def test_abolish_uses_the_review_as_reason(rule, officer, officer2):
    review = propose(
        open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.ABOLISH, note="Outdated"
    )
    services.review_approve(review=review, actor=officer2)
    rule.refresh_from_db()
    assert rule.status == Status.ABOLISHED and rule.end_reason == f"Review #{review.pk}: Outdated"


def test_merge_supersedes_with_links_both_ways(rule, officer, officer2):
    target = rule_in_force(author=officer, approver=officer2)
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.MERGE, target=target)
    services.review_approve(review=review, actor=officer2)
    rule.refresh_from_db()
    assert rule.status == Status.SUPERSEDED and rule.replaced_by == target
    assert list(target.replaces.all()) == [rule]


def test_implementation_outcome_opens_a_draft_child_rule(rule, officer, officer2):
    review = propose(
        open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.IMPLEMENTATION, note="Thresholds"
    )
    review = services.review_approve(review=review, actor=officer2)
    child = review.implementation_rule
    assert child.parent == rule and child.status == Status.DRAFT


def test_a_failure_midway_changes_nothing(rule, officer, officer2):
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.AMEND, note="x")
    next_review = Rule.objects.get(pk=rule.pk).next_review_on
    with (
        mock.patch("rules.services.amendment_start", side_effect=ServiceError("boom")),
        pytest.raises(ServiceError, match="boom"),
    ):
        services.review_approve(review=review, actor=officer2)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PROPOSED
    assert Rule.objects.get(pk=rule.pk).next_review_on == next_review
    assert rule.versions.count() == 1


def test_return_needs_a_reason_and_reopens_for_reviewers(rule, officer, officer2):
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.RETAIN)
    with pytest.raises(ReviewTransitionError, match="reason is required"):
        services.review_return(review=review, actor=officer2, reason="")
    review = services.review_return(review=review, actor=officer2, reason="Look at the feedback")
    assert review.status == ReviewStatus.RETURNED
    services.review_propose(review=review, actor=officer, outcome=Outcome.AMEND, note="Fix it")
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.PROPOSED


def test_due_rules_get_periodic_reviews_once(rule, officer):
    Rule.objects.filter(pk=rule.pk).update(next_review_on=TODAY() + timedelta(days=10))
    assert services.open_due_reviews(days_before=30) == 1
    assert services.open_due_reviews(days_before=30) == 0
    review = Review.objects.get()
    assert review.kind == ReviewKind.PERIODIC and review.deadline == TODAY() + timedelta(days=10)


def test_campaign_with_empty_scope_is_refused(officer):
    with pytest.raises(ServiceError, match="No rule in force matches"):
        services.campaign_create(
            actor=officer, title="Empty", deadline=TODAY(), reviewers=[officer], category="resources"
        )
    assert Campaign.objects.count() == 0


def test_campaign_links_a_rule_already_under_review(rule, officer, officer2, django_capture_on_commit_callbacks):
    other = rule_in_force(author=officer, approver=officer2, category="procurement")
    existing = open_review(rule=rule, officer=officer)
    first = services.campaign_create(
        actor=officer,
        title="Procurement",
        deadline=TODAY() + timedelta(days=9),
        reviewers=[officer2],
        category="procurement",
        open_now=True,
    )
    assert set(first.reviews.values_list("rule_id", flat=True)) == {rule.pk, other.pk}
    assert existing in first.reviews.all()
    assert Review.objects.count() == 2
    second = services.campaign_create(
        actor=officer,
        title="Again",
        deadline=TODAY() + timedelta(days=9),
        reviewers=[officer2],
        category="procurement",
        open_now=True,
    )
    assert Review.objects.count() == 2  # linked, not duplicated
    assert second.reviews.count() == 2 and second.status == CampaignStatus.RUNNING
    # Running the job again adds nothing.
    services.campaign_open_reviews(campaign_id=second.pk)
    assert Review.objects.count() == 2


def test_campaign_finishes_when_every_review_is_decided(rule, officer, officer2):
    campaign = services.campaign_create(
        actor=officer,
        title="Procurement",
        deadline=TODAY() + timedelta(days=9),
        reviewers=[officer],
        category="procurement",
        open_now=True,
    )
    review = propose(campaign.reviews.get(), reviewer=officer, outcome=Outcome.RETAIN)
    services.review_approve(review=review, actor=officer2)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.FINISHED and campaign.finished_at is not None


def test_scores_saved_meanwhile_by_another_reviewer_are_not_overwritten(rule, officer, officer2):
    review = open_review(rule=rule, officer=officer, reviewers=[officer, officer2])
    seen = services.scores_version(review=review)
    services.review_score(
        review=review, actor=officer2, scores={"legality": (2, "conflicts with the new law")}, seen_version=seen
    )
    with pytest.raises(ServiceError, match="Another reviewer saved scores"):
        services.review_score(review=review, actor=officer, scores={"legality": (5, "fine")}, seen_version=seen)
    assert Score.objects.get(review=review, criterion="legality").score == 2
    assert services.scores_version(review=review, scores=list(review.scores.all())) == services.scores_version(
        review=review
    )


def test_the_scores_version_is_the_same_from_scores_already_read(rule, officer, officer2):
    review = open_review(rule=rule, officer=officer, reviewers=[officer, officer2])
    assert services.scores_version(review=review, scores=[]) == services.scores_version(review=review) == "0:"
    services.review_score(review=review, actor=officer, scores={"legality": (4, ""), "operability": (3, "")})
    services.review_score(review=review, actor=officer2, scores={"legality": (2, "conflicts")})
    read = list(review.scores.all())
    assert services.scores_version(review=review, scores=read) == services.scores_version(review=review)
