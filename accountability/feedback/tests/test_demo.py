import pytest
from django.core.management import call_command

from accountability.feedback import selectors
from accountability.feedback.demo import DEMO_RECEIPTS
from accountability.feedback.models import Channel, Feedback, Kind, ReviewSuggestion, Status

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_feedback_of_every_kind_and_status_and_is_idempotent():
    call_command("seed_demo")
    count = Feedback.objects.count()
    call_command("seed_demo")
    assert Feedback.objects.count() == count
    assert 75 <= count <= 90
    assert set(Feedback.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert set(Feedback.objects.values_list("status", flat=True)) == set(Status.values)
    assert Feedback.objects.filter(channel=Channel.PUBLIC).count() >= 3
    assert Feedback.objects.filter(channel=Channel.CADRE, is_anonymous=True).exists()
    assert Feedback.objects.overdue().exists()
    assert Feedback.objects.filter(sender__username="cadre").exists()


def test_demo_receipt_codes_open_their_reports():
    call_command("seed_demo")
    for code, kind, text, _days, _plot in DEMO_RECEIPTS:
        item = selectors.feedback_by_receipt(code=code)
        assert item is not None and item.text == text and item.kind == kind
    question = selectors.feedback_by_receipt(code=DEMO_RECEIPTS[0][0])
    assert question.status == Status.ANSWERED and question.messages.filter(kind="reply").exists()


def test_exactly_one_demo_rule_is_over_the_review_threshold():
    call_command("seed_demo")
    suggestion = ReviewSuggestion.objects.get()
    assert suggestion.items.count() >= 3
    assert {i.kind for i in suggestion.items.all()} <= {"infeasible", "outdated", "conflict"}
