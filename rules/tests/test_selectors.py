from datetime import timedelta

import pytest
from django.utils import timezone

from integrity.tests.plans import plan_of
from rules import services
from rules.models import RuleVersion, Status
from rules.selectors import RegisterFilters, rule_history, rule_list, versions_in_force_on
from rules.tests.factories import ARTICLES, amend, draft_rule, rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_point_in_time_shows_the_wording_of_that_day(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2, title="Gift rules v1")
    v1 = rule.current_version
    v2 = amend(rule, author=officer, approver=officer2, articles=["Brand new wording"])
    RuleVersion.objects.filter(pk=v1.pk).update(
        effective_from=TODAY() - timedelta(days=400), effective_to=TODAY() - timedelta(days=10)
    )
    RuleVersion.objects.filter(pk=v2.pk).update(effective_from=TODAY() - timedelta(days=10))
    then = versions_in_force_on(actor=officer, day=TODAY() - timedelta(days=100), filters=RegisterFilters())
    now = versions_in_force_on(actor=officer, day=TODAY(), filters=RegisterFilters())
    before = versions_in_force_on(actor=officer, day=TODAY() - timedelta(days=500), filters=RegisterFilters())
    assert [v.number for v in then] == [1]
    assert [v.number for v in now] == [2]
    assert list(before) == []


def test_abolished_rule_still_answers_for_the_past(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    RuleVersion.objects.filter(pk=rule.current_version_id).update(effective_from=TODAY() - timedelta(days=50))
    services.rule_abolish(rule=rule, actor=officer, reason="Outdated")
    assert [
        v.rule_id
        for v in versions_in_force_on(actor=officer, day=TODAY() - timedelta(days=20), filters=RegisterFilters())
    ] == [rule.pk]
    assert list(versions_in_force_on(actor=officer, day=TODAY(), filters=RegisterFilters())) == []


def test_filters_combine(officer, officer2):
    in_force = rule_in_force(author=officer, approver=officer2, category="procurement")
    draft_rule(author=officer, category="procurement")
    rule_in_force(author=officer, approver=officer2, category="personnel")
    found = rule_list(actor=officer, filters=RegisterFilters(status=Status.IN_FORCE, category="procurement"))
    assert list(found) == [in_force]


def test_status_filter_finds_amendments_in_preparation(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    services.amendment_start(rule=rule, actor=officer)
    assert list(rule_list(actor=officer, filters=RegisterFilters(status=Status.DRAFT))) == [rule]


def test_review_due_filter(officer, officer2):
    due = rule_in_force(author=officer, approver=officer2)
    later = rule_in_force(author=officer, approver=officer2)
    type(due).objects.filter(pk=due.pk).update(next_review_on=TODAY() + timedelta(days=3))
    type(later).objects.filter(pk=later.pk).update(next_review_on=TODAY() + timedelta(days=300))
    assert list(rule_list(actor=officer, filters=RegisterFilters(review_due_before=TODAY() + timedelta(days=7)))) == [
        due
    ]


def test_readers_do_not_see_drafts(officer, officer2, cadre):
    in_force = rule_in_force(author=officer, approver=officer2)
    draft_rule(author=officer)
    assert list(rule_list(actor=cadre, filters=RegisterFilters())) == [in_force]


def test_history_lists_field_changes_with_who(officer, officer2):
    rule = draft_rule(author=officer, articles=ARTICLES)
    version = rule.versions.get()
    services.version_update(
        version=version,
        actor=officer2,
        expected_lock_version=version.lock_version,
        title="Renamed",
        articles=ARTICLES[:2] + ["Changed third"],
        elements={},
    )
    rows = rule_history(rule=rule)
    article_change = next(r for r in rows if "3" in r.what and r.changes and r.changes[0][2] == "Changed third")
    assert article_change.who == officer2
    assert article_change.changes[0][1] == ARTICLES[2]
    title_change = next(r for r in rows if any(c[0] == "title" and c[2] == "Renamed" for c in r.changes))
    assert title_change.who == officer2


def test_history_cuts_long_values_and_shows_choice_labels(officer, officer2):
    long_text = "Officials shall declare every gift. " * 20  # 720 characters
    rule = draft_rule(author=officer, articles=ARTICLES)
    version = rule.versions.get()
    services.version_update(
        version=version,
        actor=officer2,
        expected_lock_version=version.lock_version,
        title="Renamed",
        articles=[*ARTICLES[:2], long_text],
        elements={},
    )
    rows = rule_history(rule=rule)
    old, new = next(c[1:] for r in rows for c in r.changes if c[2].startswith("Officials shall"))
    assert old == ARTICLES[2]
    assert len(new) == 200 and new.endswith("…") and new[:199] == long_text[:199]
    statuses = [c[2] for r in rows for c in r.changes if c[0] == "status"]
    assert "Draft" in statuses  # the label, not the stored "draft"


def test_a_readers_register_walks_only_the_rules_that_have_been_in_force(officer, officer2, cadre):
    """The default order (last changed first) over the published rules comes from their own index, so
    drafts and pending amendments edited since are never read past."""
    rule_in_force(author=officer, approver=officer2)
    plan = plan_of(rule_list(actor=cadre, filters=RegisterFilters())[:25], ordered_by_index=True)
    assert "rule_published_updated_idx" in plan
    in_force = plan_of(
        rule_list(actor=officer, filters=RegisterFilters(status=Status.IN_FORCE))[:25], ordered_by_index=True
    )
    assert "rule_published_updated_idx" in in_force


def test_point_in_time_counts_from_its_index_alone_and_keeps_filters_and_scope(officer, officer2, cadre):
    kept = rule_in_force(author=officer, approver=officer2, title="Gift rules")
    other = rule_in_force(author=officer, approver=officer2, title="Car rules")
    type(other).objects.filter(pk=other.pk).update(category="vehicles")
    everything = versions_in_force_on(actor=officer, day=TODAY(), filters=RegisterFilters())
    # An index-only scan once the table is vacuumed (the visibility map); a test's fresh rows are not.
    assert "using version_in_force_on_idx" in plan_of(everything.order_by().values("pk"), index_scans_only=True)
    assert {v.rule_id for v in everything} == {kept.pk, other.pk}
    filtered = versions_in_force_on(actor=officer, day=TODAY(), filters=RegisterFilters(category=kept.category))
    assert [v.rule_id for v in filtered] == [kept.pk]
    assert {v.rule_id for v in versions_in_force_on(actor=cadre, day=TODAY(), filters=RegisterFilters())} == {
        kept.pk,
        other.pk,
    }


def test_consultation_summary_counts_comments_by_decision(officer, cadre, unit):
    from rules.models import Decision
    from rules.selectors import consultation_summary

    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=timezone.localdate() + timedelta(days=5), audience_units=[unit]
    )
    comments = [services.comment_add(consultation=consultation, actor=cadre, text=f"Comment {i}") for i in range(5)]
    services.comment_decide(comment=comments[0], actor=officer, decision=Decision.ADOPTED)
    services.comment_decide(comment=comments[1], actor=officer, decision=Decision.PARTLY, reason="In part")
    services.comment_decide(comment=comments[2], actor=officer, decision=Decision.NOT_ADOPTED, reason="Covered")
    summary = consultation_summary(version=version)
    assert summary["counts"] == {"total": 5, "adopted": 1, "partly": 1, "not_adopted": 1, "pending": 2}
    assert [c.pk for c in summary["unadopted"]] == [comments[1].pk, comments[2].pk]
    empty = consultation_summary(version=draft_rule(author=officer).versions.get())
    assert empty == {"counts": {"total": 0, "adopted": 0, "partly": 0, "not_adopted": 0, "pending": 0}, "unadopted": []}
