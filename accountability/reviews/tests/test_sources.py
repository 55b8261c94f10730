import pytest

from accountability.feedback.models import Feedback, Kind, ReviewSuggestion, Status
from accountability.feedback.tests.factories import feedback
from accountability.reviews.evidence import evidence_for
from accountability.reviews.sources import feedback_evidence
from accountability.reviews.tests.factories import open_review
from rules.tests.factories import rule_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(officer, officer2):
    return rule_in_force(author=officer, approver=officer2)


def test_evidence_counts_feedback_by_kind(rule, cadre):
    for kind in (Kind.INFEASIBLE, Kind.INFEASIBLE, Kind.SUGGESTION):
        feedback(sender=cadre, rule=rule, kind=kind)
    section = next(s for s in evidence_for(rule, None) if s.title == "Feedback")
    figures = {str(label): value for label, value, _tone in section.figures}
    assert figures["feedback items"] == 3
    assert figures[str(Kind.INFEASIBLE.label)] == 2
    assert figures[str(Kind.SUGGESTION.label)] == 1
    assert figures["still open"] == 3 and section.note == ""


def test_feedback_evidence_counts_the_open_items_and_notes_a_suggested_review(rule, cadre, django_assert_num_queries):
    items = [feedback(sender=cadre, rule=rule, kind=Kind.OUTDATED) for _ in range(3)]  # 3: a review is suggested
    Feedback.objects.filter(pk=items[0].pk).update(status=Status.CLOSED)
    with django_assert_num_queries(2):  # the counts per kind, and whether a review is suggested
        section = feedback_evidence(rule, None)
    figures = {str(label): value for label, value, _tone in section.figures}
    assert figures["feedback items"] == 3 and figures["still open"] == 2
    assert figures[str(Kind.OUTDATED.label)] == 3
    assert section.note == "Feedback suggests a review of this rule."


def test_opening_a_review_takes_up_the_review_suggestion(rule, cadre, officer):
    for _ in range(3):
        feedback(sender=cadre, rule=rule, kind=Kind.OUTDATED)
    suggestion = ReviewSuggestion.objects.get(rule=rule, resolved_at__isnull=True)
    review = open_review(rule=rule, officer=officer, kind="feedback")
    suggestion.refresh_from_db()
    assert suggestion.resolved_at is not None
    assert f"#{review.pk}" in suggestion.resolution


def test_rule_page_offers_a_review_when_feedback_suggests_one(client, rule, cadre, officer):
    for _ in range(3):
        feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE)
    client.force_login(officer)
    body = client.get(f"/rules/{rule.code}/").content.decode()
    assert f"/reviews/new/?rule={rule.code}&amp;kind=feedback" in body
