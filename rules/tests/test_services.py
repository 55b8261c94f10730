from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from integrity.services import ServiceError
from rules import services
from rules.models import Comment, Decision, Rule, RuleVersion, Status, Transition
from rules.tests.factories import ARTICLES, FULL_ELEMENTS, amend, draft_rule, rule_in_force
from rules.transitions import TransitionError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_drafting_creates_version_one_with_numbered_articles(officer):
    rule = draft_rule(author=officer)
    version = rule.versions.get()
    assert (version.number, version.status) == (1, Status.DRAFT)
    assert [a.number for a in version.articles.all()] == [1, 2, 3]
    assert rule.code.startswith(f"IR-{TODAY().year}-")
    assert Transition.objects.filter(version=version).count() == 1


def test_codes_are_numbered_in_sequence_and_duplicates_refused(officer):
    first, second = draft_rule(author=officer), draft_rule(author=officer)
    assert int(second.code[-3:]) == int(first.code[-3:]) + 1
    with pytest.raises(ServiceError, match="already used"):
        draft_rule(author=officer, code=first.code)
    assert Rule.objects.count() == 2


def test_author_cannot_approve_own_version(officer):
    rule = draft_rule(author=officer)
    version = rule.versions.get()
    services.version_submit(version=version, actor=officer)
    with pytest.raises(TransitionError, match="another officer must approve it"):
        services.version_approve(version=version, actor=officer, effective_from=TODAY())
    version.refresh_from_db()
    assert version.status == Status.PENDING_APPROVAL


def test_second_officer_approves_and_it_comes_into_force_today(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    version = rule.current_version
    assert version.approved_by == officer2
    assert version.effective_from == TODAY()
    assert rule.in_force_since == TODAY()
    assert rule.next_review_on == TODAY() + relativedelta(months=24)
    assert [t.to_status for t in version.transitions.all()] == ["draft", "pending_approval", "approved", "in_force"]


def test_future_effective_date_waits_for_the_periodic_task(officer, officer2):
    rule = draft_rule(author=officer)
    version = rule.versions.get()
    services.version_submit(version=version, actor=officer)
    services.version_approve(version=version, actor=officer2, effective_from=TODAY() + timedelta(days=3))
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    assert services.bring_due_versions_into_force(today=TODAY() + timedelta(days=2)) == 0
    version.refresh_from_db()
    assert version.status == Status.APPROVED
    # The job may run late: the version still comes into force as of its own effective date.
    assert services.bring_due_versions_into_force(today=TODAY() + timedelta(days=5)) == 1
    version.refresh_from_db()
    assert version.status == Status.IN_FORCE
    assert version.effective_from == TODAY() + timedelta(days=3)


def test_bring_into_force_job_is_idempotent(officer, officer2):
    rule = draft_rule(author=officer)
    version = rule.versions.get()
    services.version_submit(version=version, actor=officer)
    services.version_approve(version=version, actor=officer2, effective_from=TODAY() + timedelta(days=1))
    RuleVersion.objects.filter(pk=version.pk).update(effective_from=TODAY())
    assert services.bring_due_versions_into_force() == 1
    assert services.bring_due_versions_into_force() == 0
    rule.refresh_from_db()
    assert rule.status == Status.IN_FORCE and rule.current_version_id == version.pk


def test_send_back_needs_a_reason(officer, officer2):
    version = draft_rule(author=officer).versions.get()
    services.version_submit(version=version, actor=officer)
    with pytest.raises(TransitionError, match="reason is required"):
        services.version_send_back(version=version, actor=officer2, reason="  ")
    services.version_send_back(version=version, actor=officer2, reason="Article 2 unclear")
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    assert version.transitions.last().reason == "Article 2 unclear"


def test_invalid_move_explains_why(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    with pytest.raises(TransitionError, match="cannot be moved"):
        services.version_submit(version=rule.current_version, actor=officer)


def test_open_operability_items_need_a_justification(officer):
    rule = draft_rule(author=officer, elements={}, articles=["Relevant departments act where necessary."])
    version = rule.versions.get()
    with pytest.raises(ServiceError, match="open item"):
        services.version_submit(version=version, actor=officer)
    services.version_submit(version=version, actor=officer, justification="Elements set by the parent rule.")
    version.refresh_from_db()
    assert version.operability_justification == "Elements set by the parent rule."


def test_amendment_keeps_current_in_force_until_approved(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    v1 = rule.current_version
    draft = services.amendment_start(rule=rule, actor=officer)
    rule.refresh_from_db()
    assert (draft.number, rule.current_version_id, rule.status) == (2, v1.pk, Status.IN_FORCE)
    with pytest.raises(ServiceError, match="already has a version in preparation"):
        services.amendment_start(rule=rule, actor=officer)
    # Second version needs a change summary.
    with pytest.raises(ServiceError, match="change summary"):
        services.version_submit(version=draft, actor=officer)


def test_amendment_in_force_supersedes_previous(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    v2 = amend(rule, author=officer, approver=officer2, articles=ARTICLES[:2] + ["New article"])
    rule.refresh_from_db()
    v1 = rule.versions.get(number=1)
    assert rule.current_version == v2
    assert v1.status == Status.SUPERSEDED
    assert v1.effective_to == v2.effective_from


def test_abolish_requires_reason_and_keeps_everything(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    with pytest.raises(ServiceError, match="reason is required"):
        services.rule_abolish(rule=rule, actor=officer, reason="")
    with pytest.raises(ServiceError, match="future"):
        services.rule_abolish(rule=rule, actor=officer, reason="x", abolished_on=TODAY() + timedelta(days=1))
    services.amendment_start(rule=rule, actor=officer)
    services.rule_abolish(rule=rule, actor=officer, reason="Replaced by provincial rules")
    rule.refresh_from_db()
    assert (rule.status, rule.end_reason, rule.ended_on) == (Status.ABOLISHED, "Replaced by provincial rules", TODAY())
    assert rule.versions.get(number=1).status == Status.ABOLISHED
    assert rule.versions.get(number=2).status == Status.WITHDRAWN
    assert rule.versions.count() == 2 and rule.versions.get(number=1).articles.count() == 3
    with pytest.raises(ServiceError, match="Only a rule in force can be amended"):
        services.amendment_start(rule=rule, actor=officer)


def test_merge_into_another_rule_links_both_ways(officer, officer2):
    source = rule_in_force(author=officer, approver=officer2)
    target = rule_in_force(author=officer, approver=officer2)
    with pytest.raises(ServiceError, match="into itself"):
        services.rule_merge_into(rule=source, target=source, actor=officer, reason="x")
    services.rule_merge_into(rule=source, target=target, actor=officer, reason="Duplicates")
    source.refresh_from_db()
    assert source.status == Status.SUPERSEDED and source.replaced_by == target
    assert list(target.replaces.all()) == [source]
    abolished = rule_in_force(author=officer, approver=officer2)
    services.rule_abolish(rule=abolished, actor=officer, reason="old")
    other = rule_in_force(author=officer, approver=officer2)
    with pytest.raises(ServiceError, match="merged into a rule in force"):
        services.rule_merge_into(rule=other, target=abolished, actor=officer, reason="x")


def test_expired_rules_end_on_their_end_date(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    RuleVersion.objects.filter(pk=rule.current_version_id).update(
        effective_from=TODAY() - timedelta(days=30), expires_on=TODAY() - timedelta(days=1)
    )
    assert services.expire_due_rules() == 1
    assert services.expire_due_rules() == 0
    rule.refresh_from_db()
    assert rule.status == Status.EXPIRED and rule.ended_on == TODAY() - timedelta(days=1)


def test_concurrent_edit_is_refused_and_shows_the_other_text(officer, officer2):
    version = draft_rule(author=officer).versions.get()
    opened_at = version.lock_version
    services.version_update(
        version=version,
        actor=officer2,
        expected_lock_version=opened_at,
        title="Theirs",
        articles=["Their article"],
        elements=FULL_ELEMENTS,
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.version_update(
            version=version,
            actor=officer,
            expected_lock_version=opened_at,
            title="Mine",
            articles=["My article"],
            elements=FULL_ELEMENTS,
        )
    assert conflict.value.current.title == "Theirs"
    version.refresh_from_db()
    assert version.title == "Theirs"
    assert list(version.articles.values_list("text", flat=True)) == ["Their article"]


def test_only_drafts_can_be_edited(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    with pytest.raises(ServiceError, match="Only a draft"):
        services.version_update(
            version=rule.current_version,
            actor=officer,
            expected_lock_version=rule.current_version.lock_version,
            title="x",
            articles=["y"],
            elements={},
        )


def test_consultation_comment_and_decisions(officer, cadre, unit):
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=TODAY() + timedelta(days=5), audience_units=[unit]
    )
    article = version.articles.get(number=2)
    comment = services.comment_add(consultation=consultation, actor=cadre, text="Too vague", article=article)
    with pytest.raises(ServiceError, match="Say why"):
        services.comment_decide(comment=comment, actor=officer, decision=Decision.NOT_ADOPTED, reason="")
    services.comment_decide(comment=comment, actor=officer, decision=Decision.NOT_ADOPTED, reason="Covered by art. 3")
    services.consultation_close(consultation=consultation, actor=officer)
    version.refresh_from_db()
    assert version.status == Status.DRAFT
    with pytest.raises(ServiceError, match="closed"):
        services.comment_add(consultation=consultation, actor=cadre, text="late")
    assert Comment.objects.count() == 1


def test_comment_after_end_date_is_refused(officer, cadre, unit):
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(version=version, actor=officer, ends_on=TODAY(), audience_units=[unit])
    consultation.ends_on = TODAY() - timedelta(days=1)
    consultation.save(update_fields=["ends_on"])
    with pytest.raises(ServiceError, match="ended on"):
        services.comment_add(consultation=consultation, actor=cadre, text="late")


def test_undecided_comments_block_submission(officer, cadre, unit):
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=TODAY() + timedelta(days=5), audience_units=[unit]
    )
    services.comment_add(consultation=consultation, actor=cadre, text="Please clarify")
    services.consultation_close(consultation=consultation, actor=officer)
    with pytest.raises(ServiceError, match="no decision yet"):
        services.version_submit(version=version, actor=officer)


def test_removing_an_article_with_comments_is_refused(officer, cadre, unit):
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=TODAY() + timedelta(days=5), audience_units=[unit]
    )
    services.comment_add(consultation=consultation, actor=cadre, text="x", article=version.articles.get(number=3))
    services.consultation_close(consultation=consultation, actor=officer)
    version.refresh_from_db()
    with pytest.raises(ServiceError, match="Article 3 has consultation comments"):
        services.version_update(
            version=version,
            actor=officer,
            expected_lock_version=version.lock_version,
            title="t",
            articles=ARTICLES[:2],
            elements=FULL_ELEMENTS,
        )
    assert version.articles.count() == 3


def test_history_records_the_acting_user(officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    version = rule.current_version
    assert version.history.earliest().history_user == officer
    assert version.history.latest().history_user == officer2
    assert rule.history.latest().history_user == officer2


def test_in_force_signal_is_sent_after_commit(officer, officer2, django_capture_on_commit_callbacks):
    from rules.signals import version_in_force

    received = []

    def listener(sender, version, previous, **kwargs):
        received.append((version.number, previous))

    version_in_force.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rule_in_force(author=officer, approver=officer2)
    finally:
        version_in_force.disconnect(listener)
    assert received == [(1, None)]
