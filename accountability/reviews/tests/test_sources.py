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


def _figures(section):
    return {str(label): value for label, value, _tone in section.figures}


def test_task_evidence_counts_accepted_on_time_and_late_and_overdue(officer, officer2, unit, liaison):
    from datetime import timedelta

    from django.utils import timezone

    from accountability import services
    from accountability.models import Task
    from accountability.reviews.sources import task_evidence
    from accountability.tests.factories import assigned, in_force, task

    today = timezone.localdate()
    rule = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    assigned(rule, officer=officer, lead=unit)
    items = [task(rule, officer=officer, unit=unit, owner=liaison) for _ in range(5)]
    for item in items[:2]:
        services.task_mark_done(task=item, actor=liaison)
        services.task_accept(task=item, actor=officer)
    Task.objects.filter(pk=items[0].pk).update(deadline=today - timedelta(days=4))  # accepted after it
    Task.objects.filter(pk__in=[items[2].pk, items[3].pk]).update(deadline=today - timedelta(days=1))
    services.task_cancel(task=Task.objects.get(pk=items[3].pk), actor=officer, reason="No longer needed")
    figures = _figures(task_evidence(rule, None))
    assert figures == {"tasks": 5, "accepted on time": 1, "accepted late": 1, "overdue now": 1}


def test_acknowledgement_evidence_counts_everyone_and_leading_cadres(officer, officer2, unit, make_user):
    from django.utils import timezone

    from accountability.models import Acknowledgement
    from accountability.reviews.sources import acknowledgement_evidence
    from accountability.tests.factories import in_force
    from integrity.roles import Role

    people = [make_user(Role.CADRE, username=f"cadre-{i}", unit=unit) for i in range(3)]
    leaders = [make_user(Role.CADRE, username=f"lead-{i}", unit=unit, is_leading_cadre=True) for i in range(2)]
    rule = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    owed = Acknowledgement.objects.filter(version_id=rule.current_version_id)
    owed.filter(user__in=[people[0], leaders[0]]).update(acknowledged_at=timezone.now())
    total, done = owed.count(), owed.filter(acknowledged_at__isnull=False).count()
    assert done == 2 and total >= 5
    figures = _figures(acknowledgement_evidence(rule, None))
    assert figures["acknowledged"] == f"{done} / {total}"
    assert figures["completion"] == f"{round(100 * done / total)}%"
    assert figures["leading cadres"] == "50%"


def test_amendments_evidence_counts_versions_and_those_in_preparation(officer, officer2):
    from accountability.reviews.evidence import amendments_and_implementation
    from rules import services as rule_services

    rule = rule_in_force(author=officer, approver=officer2)
    rule_services.amendment_start(rule=rule, actor=officer)
    figures = _figures(amendments_and_implementation(rule, None))
    assert figures["versions"] == 2 and figures["amendments in preparation"] == 1
    assert figures["implementation rules"] == 0
