"""Review reminders: the reviewers, then the supervising officer, then the lead unit's top leader."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.reviews.models import Review
from accountability.reviews.tests.factories import open_review
from accountability.tests.factories import assigned, unit_with_leader
from integrity.models import ReminderRecord
from integrity.reminders.sweep import reminder_sweep
from integrity.roles import Role
from rules.tests.factories import rule_in_force

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def sent():
    """(recipient username, step) of every review reminder sent."""
    return sorted(ReminderRecord.objects.filter(occasion="review_due").values_list("recipient__username", "step"))


def overdue_review(*, rule, officer, reviewers):
    review = open_review(rule=rule, officer=officer, reviewers=reviewers, days=5)
    Review.objects.filter(pk=review.pk).update(deadline=timezone.localdate() - DAY)
    return review


def sweep_over_ten_days():
    now = timezone.now()
    reminder_sweep(occasion="review_due", now=now)
    first = sent()
    reminder_sweep(occasion="review_due", now=now + 3 * DAY)
    reminder_sweep(occasion="review_due", now=now + 10 * DAY)
    reminder_sweep(occasion="review_due", now=now + 10 * DAY)
    return first, sent()


def test_overdue_review_escalates_to_the_supervisor_then_the_lead_units_top_leader(officer, officer2, make_user):
    issuing = unit_with_leader("Issuing Office")
    lead = unit_with_leader("Lead Bureau")
    rule = rule_in_force(author=officer, approver=officer2, unit=issuing)
    assigned(rule, officer=officer, lead=lead, supervisor=officer2)
    reviewers = [make_user(Role.OFFICER, username="reviewer-1"), make_user(Role.OFFICER, username="reviewer-2")]
    overdue_review(rule=rule, officer=officer, reviewers=reviewers)

    first, everything = sweep_over_ten_days()
    assert first == [("reviewer-1", "overdue"), ("reviewer-2", "overdue")]
    assert everything == sorted(
        [
            ("reviewer-1", "overdue"),
            ("reviewer-2", "overdue"),
            ("officer-b", "escalate-1"),  # the rule's supervising officer
            (lead.top_leader.username, "escalate-2"),
        ]
    )


def test_without_an_assignment_the_opener_and_the_issuing_units_top_leader_are_escalated_to(
    officer, officer2, make_user
):
    issuing = unit_with_leader("Issuing Office")
    rule = rule_in_force(author=officer, approver=officer2, unit=issuing)
    inactive = make_user(Role.OFFICER, username="reviewer-gone", is_active=False)
    overdue_review(rule=rule, officer=officer, reviewers=[officer2, inactive])

    first, everything = sweep_over_ten_days()
    assert first == [("officer-b", "overdue")]
    assert everything == sorted(
        [
            ("officer-b", "overdue"),
            ("officer-a", "escalate-1"),  # opened the review
            (issuing.top_leader.username, "escalate-2"),
        ]
    )
