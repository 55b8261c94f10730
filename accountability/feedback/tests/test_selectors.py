from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.feedback import selectors, services
from accountability.feedback.models import Feedback, Kind, Status
from integrity.tests.plans import plan_of

from .factories import a_rule, feedback, report

pytestmark = pytest.mark.django_db


def _queue(actor, **filters):
    return list(selectors.feedback_queue(actor=actor, filters=selectors.QueueFilters(**filters)))


def test_queue_filters_by_status_kind_channel_assignee_rule_and_overdue(officer, officer2, cadre, rule):
    other_rule = a_rule(title="Other rule")
    mine = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS, text="Unclear time limit")
    services.feedback_assign(feedback=mine, assignee=officer, actor=officer)
    theirs = feedback(sender=cadre, rule=other_rule, kind=Kind.SUGGESTION)
    services.feedback_assign(feedback=theirs, assignee=officer2, actor=officer)
    public = report(rule=rule).feedback
    late = feedback(sender=cadre, rule=rule, kind=Kind.OTHER)
    Feedback.objects.filter(pk=late.pk).update(response_due_on=timezone.localdate() - timedelta(days=1))

    assert _queue(officer, assignee="me") == [mine]
    assert _queue(officer, assignee=str(officer2.pk)) == [theirs]
    assert set(_queue(officer, assignee="none")) == {public, late}
    assert _queue(officer, kind=Kind.SUGGESTION) == [theirs]
    assert _queue(officer, channel="public") == [public]
    assert set(_queue(officer, rule=rule.code)) == {mine, public, late}
    assert _queue(officer, overdue=True) == [late]
    assert set(_queue(officer, status=Status.TRIAGED)) == {mine, theirs}
    services.feedback_move(feedback=late, to=Status.CLOSED, actor=officer, reason="Spam")
    assert late not in _queue(officer, status="open")
    assert _queue(officer, overdue=True) == []


def test_queue_search_finds_text_rule_code_and_reference(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule, text="The gift threshold is too low")
    feedback(sender=cadre, rule=a_rule(title="Other"), text="Something else")
    assert _queue(officer, q="gift threshold") == [item]
    assert _queue(officer, q=item.reference) == [item]
    assert _queue(officer, q=str(item.pk)) == [item]
    assert item in _queue(officer, q=rule.code)


def test_queue_marks_rules_with_a_review_suggested(officer, cadre, rule):
    for _ in range(3):
        feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE)
    calm = feedback(sender=cadre, rule=a_rule(title="Calm"), kind=Kind.INFEASIBLE)
    rows = _queue(officer)
    assert all(r.review_suggested for r in rows if r.rule_id == rule.pk)
    assert not next(r for r in rows if r.pk == calm.pk).review_suggested
    assert len(_queue(officer, review_suggested=True)) == 3
    suggestion = selectors.open_review_suggestions().get()
    assert suggestion.rule == rule and len(suggestion.items.all()) == 3


def test_the_queue_is_empty_for_a_cadre(cadre, rule):
    feedback(sender=cadre, rule=rule)
    other = report().feedback
    assert other not in _queue(cadre)


def test_my_feedback_lists_named_items_with_reply_counts(officer, cadre, rule):
    named = feedback(sender=cadre, rule=rule)
    feedback(sender=cadre, rule=rule, anonymous=True)
    services.feedback_reply(feedback=named, actor=officer, text="Answer")
    services.feedback_note_add(feedback=named, actor=officer, text="Internal")
    rows = list(selectors.my_feedback(actor=cadre))
    assert rows == [named] and rows[0].reply_count == 1


def test_the_sender_never_gets_internal_notes(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    services.feedback_note_add(feedback=item, actor=officer, text="Secret note")
    services.feedback_reply(feedback=item, actor=officer, text="Public reply")
    assert [m.text for m in selectors.conversation(feedback=item, include_internal=False)] == ["Public reply"]
    assert len(selectors.conversation(feedback=item, include_internal=True)) == 2


def test_a_receipt_code_opens_its_report_and_nothing_else():
    submission = report()
    code = submission.receipt_code
    assert selectors.feedback_by_receipt(code=code) == submission.feedback
    assert selectors.feedback_by_receipt(code=code.lower().replace("-", " ")) == submission.feedback
    assert selectors.feedback_by_receipt(code="AAAA-AAAA-AAAA-AAAA") is None
    assert selectors.feedback_by_receipt(code="<script>") is None
    assert selectors.feedback_by_receipt(code="") is None


def test_overdue_items_most_overdue_first_come_from_their_own_index(officer, cadre, rule):
    """Where the overdue figures lead (sort=due): an ordered walk over the items awaiting an answer, not
    a pass over every recent one that is not yet late."""
    late = feedback(sender=cadre, rule=rule, kind=Kind.OTHER)
    later = feedback(sender=cadre, rule=rule, kind=Kind.OTHER)
    Feedback.objects.filter(pk=late.pk).update(response_due_on=timezone.localdate() - timedelta(days=9))
    Feedback.objects.filter(pk=later.pk).update(response_due_on=timezone.localdate() - timedelta(days=1))
    rows = selectors.feedback_queue(actor=officer, filters=selectors.QueueFilters(overdue=True, sort="due"))
    assert list(rows) == [late, later]
    assert "feedback_awaiting_due_idx" in plan_of(rows.all()[:25], ordered_by_index=True)


def test_rule_and_sender_counts_add_up_the_items_by_status(officer, cadre, rule):
    items = [feedback(sender=cadre, rule=rule) for _ in range(4)]
    feedback(sender=officer, rule=rule)
    Feedback.objects.filter(pk=items[0].pk).update(status=Status.CLOSED)
    Feedback.objects.filter(pk=items[1].pk).update(status=Status.ANSWERED)
    summary = selectors.rule_feedback_summary(rule=rule)
    assert summary["total"] == 5 and summary["review_suggested"] is False
    assert summary["open"] == Feedback.objects.filter(rule=rule, status__in=selectors.OPEN_STATUSES).count() == 4
    counts = selectors.sender_counts(actor=cadre)
    waiting = Feedback.objects.of_sender(cadre).filter(status__in=selectors.AWAITING_RESPONSE).count()
    assert counts == {"answered": 1, "waiting": waiting} and waiting == 2


def test_the_queues_first_rows_and_count_read_baked_match_the_queue(officer, officer2, cadre, rule):
    other_rule = a_rule(title="Other rule")
    items = [feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS) for _ in range(3)]
    services.feedback_assign(feedback=items[0], assignee=officer, actor=officer)
    theirs = feedback(sender=cadre, rule=other_rule, kind=Kind.SUGGESTION)
    services.feedback_assign(feedback=theirs, assignee=officer2, actor=officer)
    report(rule=rule)
    Feedback.objects.filter(pk=items[1].pk).update(response_due_on=timezone.localdate() - timedelta(days=1))
    for rule_item in (rule, rule, rule):  # three items of one kind: a review is suggested
        feedback(sender=cadre, rule=rule_item, kind=Kind.OUTDATED)
    combos = [
        {},
        {"status": "open"},
        {"status": Status.TRIAGED, "sort": "due"},
        {"assignee": "me"},
        {"assignee": str(officer2.pk), "kind": Kind.SUGGESTION},
        {"assignee": "none", "channel": "public"},
        {"rule": rule.code, "sort": "rule"},
        {"overdue": True, "sort": "due"},
        {"review_suggested": True, "sort": "status"},
    ]
    for combo in combos:
        filters = selectors.QueueFilters(**combo)
        expected = list(selectors.feedback_queue(actor=officer, filters=filters))
        first_rows, count_rows = selectors.queue_pages(actor=officer, filters=filters)
        for n in (1, 2, len(expected) + 1):
            rows = first_rows(n)
            assert [f.pk for f in rows] == [f.pk for f in expected[:n]], combo
            assert [f.review_suggested for f in rows] == [f.review_suggested for f in expected[:n]], combo
        assert count_rows(1001) == len(expected), combo
    searched = selectors.QueueFilters(q="unclear")
    assert selectors.queue_pages(actor=officer, filters=searched) == (None, None)  # a search is not baked
    assert selectors.queue_pages(actor=cadre, filters=selectors.QueueFilters()) == (None, None)


def test_my_feedback_read_baked_matches_its_queryset(officer, cadre, rule):
    items = [feedback(sender=cadre, rule=rule) for _ in range(3)]
    feedback(sender=cadre, rule=rule, anonymous=True)
    services.feedback_reply(feedback=items[0], actor=officer, text="Thank you, we will look at it.")
    expected = list(selectors.my_feedback(actor=cadre))
    first_rows, count_rows = selectors.my_feedback_pages(actor=cadre)
    for n in (1, 3, 4):
        rows = first_rows(n)
        assert [(f.pk, f.reply_count) for f in rows] == [(f.pk, f.reply_count) for f in expected[:n]]
    assert count_rows(100) == len(expected) == 3
