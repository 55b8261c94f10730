from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accountability.feedback import receipts, services
from accountability.feedback.models import Event, Feedback, Kind, Message, ResponseTimeLimit, ReviewSuggestion, Status
from accountability.feedback.transitions import TransitionError
from integrity.calendar import add_working_days
from integrity.models import CalendarDay, Notification
from integrity.services import ServiceError
from rules.tests.factories import draft_rule

from .factories import a_rule, feedback, report

pytestmark = pytest.mark.django_db


def test_feedback_is_received_with_a_deadline_of_15_working_days(cadre, rule):
    article = rule.current_version.articles.get(number=3)
    item = feedback(sender=cadre, rule=rule, article=article, kind=Kind.INFEASIBLE)
    assert item.status == Status.RECEIVED
    assert item.sender == cadre and not item.is_anonymous
    assert item.article == article
    assert item.response_due_on == add_working_days(timezone.localdate(), 15)
    assert item.receipt_hash is None
    assert item.history.get().history_user == cadre


def test_the_time_limit_is_configurable_per_kind_and_by_setting(cadre, rule):
    ResponseTimeLimit.objects.create(kind=Kind.SUGGESTION, days=30)
    item = feedback(sender=cadre, rule=rule, kind=Kind.SUGGESTION)
    assert item.response_due_on == add_working_days(timezone.localdate(), 30)
    with override_settings(FEEDBACK_RESPONSE_DAYS=5):
        other = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS)
    assert other.response_due_on == add_working_days(timezone.localdate(), 5)


def _statements_reading(captured, table):
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_the_response_date_is_computed_once_per_kind_and_day(cadre, rule):
    first = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS)
    with CaptureQueriesContext(connection) as captured:
        second = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS)
    assert second.response_due_on == first.response_due_on
    assert not _statements_reading(captured, "integrity_calendarday")
    assert not _statements_reading(captured, "feedback_responsetimelimit")


def test_a_holiday_added_later_moves_the_next_items_response_date(cadre, rule):
    first = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS)
    CalendarDay.objects.create(date=first.response_due_on, is_working_day=False, note="Holiday")
    second = feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS)
    assert second.response_due_on > first.response_due_on
    assert second.response_due_on == add_working_days(timezone.localdate(), 15)
    CalendarDay.objects.filter(date=first.response_due_on).get().delete()
    assert feedback(sender=cadre, rule=rule, kind=Kind.AMBIGUOUS).response_due_on == first.response_due_on


def test_a_time_limit_changed_later_applies_to_the_next_item(cadre, rule):
    limit = ResponseTimeLimit.objects.create(kind=Kind.SUGGESTION, days=30)
    feedback(sender=cadre, rule=rule, kind=Kind.SUGGESTION)
    limit.days = 10
    limit.save()
    assert feedback(sender=cadre, rule=rule, kind=Kind.SUGGESTION).response_due_on == add_working_days(
        timezone.localdate(), 10
    )


def test_a_new_public_report_is_stored_in_one_transaction_without_lookups():
    with CaptureQueriesContext(connection) as captured:
        submission = services.report_submit(token=receipts.new_token(), kind=Kind.VIOLATION, text="A clue")
    assert submission.created
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements.count("SELECT") <= 2  # the response date's two reads, until it is cached
    assert statements.count("INSERT") == 2  # the item and its history row
    assert statements.count("COMMIT") <= 1


def test_a_form_sent_twice_creates_one_item(cadre, rule):
    first = services.feedback_submit(actor=cadre, token="t" * 22, rule=rule, kind=Kind.OTHER, text="Once")
    second = services.feedback_submit(actor=cadre, token="t" * 22, rule=rule, kind=Kind.OTHER, text="Once")
    assert first.created and not second.created
    assert first.feedback.pk == second.feedback.pk
    assert Feedback.objects.count() == 1


def test_anonymous_feedback_keeps_no_trace_of_the_sender(cadre, rule):
    submission = services.feedback_submit(
        actor=cadre, token=receipts.new_token(), rule=rule, kind=Kind.OUTDATED, text="Old", anonymous=True
    )
    item = submission.feedback
    assert item.sender is None and item.is_anonymous
    assert item.history.get().history_user is None
    assert submission.receipt_code and item.receipt_hash == receipts.hash_code(submission.receipt_code)
    assert Feedback.objects.filter(sender=cadre).count() == 0


def test_a_public_report_gets_a_receipt_code_shown_again_only_for_a_quick_resubmission():
    token = receipts.new_token()
    first = report(token=token)
    again = report(token=token)
    assert first.receipt_code == again.receipt_code
    Feedback.objects.filter(pk=first.feedback.pk).update(received_at=timezone.now() - timedelta(hours=2))
    late = report(token=token)
    assert not late.created and late.receipt_code is None
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "change,message",
    [
        ({"text": "   "}, "Write what the feedback is about."),
        ({"text": "x" * 10_001}, "at most 10000 are accepted"),
        ({"kind": Kind.VIOLATION}, "Choose one of the kinds offered."),
        ({"kind": Kind.CONFLICT}, "Say which rule it conflicts with."),
    ],
)
def test_bad_feedback_is_refused_with_a_reason(cadre, rule, change, message):
    kwargs = {"actor": cadre, "token": receipts.new_token(), "rule": rule, "kind": Kind.OTHER, "text": "ok"} | change
    with pytest.raises(ServiceError, match=message):
        services.feedback_submit(**kwargs)
    assert Feedback.objects.count() == 0


def test_feedback_only_on_a_rule_in_force_and_its_current_articles(cadre, officer, rule):
    draft = draft_rule(author=officer)
    with pytest.raises(ServiceError, match="not"):
        feedback(sender=cadre, rule=draft)
    other = a_rule(title="Another")
    with pytest.raises(ServiceError, match="must belong"):
        feedback(sender=cadre, rule=rule, article=other.current_version.articles.first())
    with pytest.raises(ServiceError, match="cannot conflict with itself"):
        feedback(sender=cadre, rule=rule, kind=Kind.CONFLICT, conflicting_rule=rule)


def test_assigning_triages_records_and_tells_the_assignee(officer, officer2, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    item = services.feedback_assign(feedback=item, assignee=officer2, actor=officer)
    assert item.status == Status.TRIAGED and item.assignee == officer2
    actions = list(Event.objects.filter(feedback=item).values_list("action", "from_status", "to_status", "actor"))
    assert actions == [("assign", "", "", officer.pk), ("status", "received", "triaged", officer.pk)]
    assert Notification.objects.filter(recipient=officer2, subject__contains=item.reference).exists()


def test_feedback_is_assigned_only_to_officers(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    with pytest.raises(ServiceError, match="not an officer"):
        services.feedback_assign(feedback=item, assignee=cadre, actor=officer)
    with pytest.raises(ServiceError, match="does not allow"):
        services.feedback_assign(feedback=item, assignee=officer, actor=cadre)


def test_bulk_assign_is_all_or_nothing(officer, officer2, cadre, rule):
    items = [feedback(sender=cadre, rule=rule) for _ in range(3)]
    services.feedback_move(feedback=items[2], to=Status.CLOSED, actor=officer, reason="Duplicate")
    with pytest.raises(ServiceError, match="Closed items"):
        services.feedback_bulk_assign(feedback_ids=[i.pk for i in items], assignee=officer2, actor=officer)
    assert Feedback.objects.filter(assignee=officer2).count() == 0
    count = services.feedback_bulk_assign(feedback_ids=[i.pk for i in items[:2]], assignee=officer2, actor=officer)
    assert count == 2
    assert set(Feedback.objects.filter(assignee=officer2).values_list("status", flat=True)) == {Status.TRIAGED}


def test_a_reply_answers_and_reaches_the_named_sender(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    message = services.feedback_reply(feedback=item, actor=officer, text="Thanks, fixed.", token="r" * 22)
    again = services.feedback_reply(feedback=item, actor=officer, text="Thanks, fixed.", token="r" * 22)
    item.refresh_from_db()
    assert message.pk == again.pk and Message.objects.count() == 1
    assert item.status == Status.ANSWERED and item.answered_at and item.assignee == officer
    assert Notification.objects.filter(recipient=cadre, subject__contains="Reply").count() == 1


def test_the_senders_answer_sends_the_item_back_to_the_officers(officer, rule):
    submission = report(rule=rule)
    item = submission.feedback
    services.feedback_assign(feedback=item, assignee=officer, actor=officer)
    services.feedback_reply(feedback=item, actor=officer, text="Which unit?")
    services.sender_message_add(feedback=item, text="The finance bureau.", token=receipts.new_token())
    item.refresh_from_db()
    assert item.status == Status.TRIAGED and item.answered_at is None
    event = item.events.filter(action="status").last()
    assert (event.from_status, event.to_status, event.actor) == ("answered", "triaged", None)
    assert item.messages.filter(kind="sender").get().author is None
    assert Notification.objects.filter(recipient=officer, subject__contains="added information").exists()


def test_only_the_named_sender_adds_to_their_feedback_and_not_once_closed(officer, cadre, make_user, rule):
    item = feedback(sender=cadre, rule=rule)
    with pytest.raises(ServiceError, match="Only the sender"):
        services.sender_message_add(feedback=item, actor=make_user(), text="Me too", token=receipts.new_token())
    services.feedback_move(feedback=item, to=Status.CLOSED, actor=officer, reason="Answered elsewhere")
    with pytest.raises(ServiceError, match="closed"):
        services.sender_message_add(feedback=item, actor=cadre, text="More", token=receipts.new_token())
    with pytest.raises(ServiceError, match="closed"):
        services.feedback_reply(feedback=item, actor=officer, text="Late reply")


def test_the_transition_table_guards_every_move(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    with pytest.raises(TransitionError, match="reason is required"):
        services.feedback_move(feedback=item, to=Status.CLOSED, actor=officer)
    with pytest.raises(TransitionError, match="cannot be moved"):
        services.feedback_move(feedback=item, to=Status.ANSWERED, actor=officer)
    services.feedback_move(feedback=item, to=Status.REFERRED, actor=officer)
    services.feedback_move(feedback=item, to=Status.CLOSED, actor=officer)
    with pytest.raises(TransitionError, match="reason is required"):
        services.feedback_move(feedback=item, to=Status.TRIAGED, actor=officer)
    item = services.feedback_move(feedback=item, to=Status.TRIAGED, actor=officer, reason="New facts")
    assert item.status == Status.TRIAGED and item.closed_at is None
    moves = list(item.events.values_list("from_status", "to_status"))
    assert moves == [("received", "referred"), ("referred", "closed"), ("closed", "triaged")]


def test_history_keeps_every_change_with_who_and_nothing_is_deleted(officer, cadre, rule):
    item = feedback(sender=cadre, rule=rule)
    services.feedback_assign(feedback=item, assignee=officer, actor=officer)
    services.feedback_reply(feedback=item, actor=officer, text="Done")
    services.feedback_move(feedback=item, to=Status.CLOSED, actor=officer)
    history = list(item.history.order_by("history_date").values_list("status", "history_user"))
    assert history[0] == ("received", cadre.pk)
    assert history[-1] == ("closed", officer.pk)
    assert Feedback.objects.filter(pk=item.pk).exists()


def test_three_review_kind_items_in_the_window_flag_the_rule(cadre, rule):
    for kind in (Kind.INFEASIBLE, Kind.SUGGESTION, Kind.OUTDATED):
        feedback(sender=cadre, rule=rule, kind=kind)
    assert not ReviewSuggestion.objects.exists()
    last = feedback(sender=cadre, rule=rule, kind=Kind.CONFLICT, conflicting_rule=a_rule(title="Other"))
    suggestion = ReviewSuggestion.objects.get(rule=rule)
    assert suggestion.is_open
    assert set(suggestion.items.values_list("kind", flat=True)) == {"infeasible", "outdated", "conflict"}
    feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE)
    assert ReviewSuggestion.objects.count() == 1
    assert suggestion.items.count() == 4 and last in suggestion.items.all()


def test_items_outside_the_window_do_not_count_and_the_threshold_is_a_setting(cadre, rule):
    old = [feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE) for _ in range(2)]
    Feedback.objects.filter(pk__in=[o.pk for o in old]).update(received_at=timezone.now() - timedelta(days=181))
    feedback(sender=cadre, rule=rule, kind=Kind.OUTDATED)
    assert not ReviewSuggestion.objects.exists()
    with override_settings(FEEDBACK_REVIEW_THRESHOLD=2):
        feedback(sender=cadre, rule=rule, kind=Kind.OUTDATED)
    assert ReviewSuggestion.objects.get().items.count() == 2
    with override_settings(FEEDBACK_REVIEW_WINDOW_DAYS=365):
        services.review_suggestion_refresh(rule=rule)
    assert ReviewSuggestion.objects.get().items.count() == 4


def test_a_suggestion_is_resolved_with_what_became_of_it(officer, cadre, rule):
    for _ in range(3):
        feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE)
    suggestion = ReviewSuggestion.objects.get()
    with pytest.raises(ServiceError, match="Say what became"):
        services.review_suggestion_resolve(suggestion=suggestion, actor=officer, resolution=" ")
    services.review_suggestion_resolve(suggestion=suggestion, actor=officer, resolution="Review opened")
    feedback(sender=cadre, rule=rule, kind=Kind.INFEASIBLE)
    assert ReviewSuggestion.objects.filter(resolved_at__isnull=True).count() == 1
