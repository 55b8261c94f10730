from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrity.tests.factories import UnitFactory
from rules import services
from rules.models import Comment, Rule, RuleVersion, Status
from rules.tests.factories import ARTICLES, FULL_ELEMENTS, amend, draft_rule, rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def create_form(unit, **overrides):
    data = {
        "code": "",
        "title": "Gift register rules",
        "category": "integrity",
        "issuing_unit": unit.pk,
        "review_interval_months": 24,
        "articles": "First article.\n\nSecond article.\n\nThird article.",
        **FULL_ELEMENTS,
    }
    data.update(overrides)
    return data


def test_officer_drafts_a_rule_through_the_form(client, officer, unit):
    client.force_login(officer)
    response = client.post("/rules/new/", create_form(unit))
    rule = Rule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rules/{rule.code}/v/1/edit/"
    assert list(rule.versions.get().articles.values_list("text", flat=True)) == [
        "First article.",
        "Second article.",
        "Third article.",
    ]


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"title": ""}, "This field is required"),
        ({"title": "x" * 100_000}, "at most 300 characters"),
        ({"articles": ""}, "This field is required"),
        ({"articles": "y" * 100_000}, "an article can have at most 20000"),
        ({"code": "IR 2026/1"}, "letters, digits and dashes"),
        ({"expires_on": "2001-01-01"}, "must be in the future"),
        ({"review_interval_months": "0"}, "greater than or equal to 1"),
    ],
)
def test_bad_input_on_the_draft_form_changes_nothing(client, officer, unit, overrides, message):
    client.force_login(officer)
    response = client.post("/rules/new/", create_form(unit, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-testid="error-summary"' in response.content.decode()
    assert Rule.objects.count() == 0


def test_duplicate_code_is_refused(client, officer, unit):
    existing = draft_rule(author=officer, code="IR-2026-900")
    client.force_login(officer)
    response = client.post("/rules/new/", create_form(unit, code=existing.code.lower()))
    assert "already used by another rule" in response.content.decode()
    assert Rule.objects.count() == 1


def test_html_in_text_is_rendered_inert(client, officer, officer2):
    rule = rule_in_force(
        author=officer, approver=officer2, title="<script>alert(1)</script>", articles=["<img src=x onerror=alert(2)>"]
    )
    client.force_login(officer)
    body = client.get(f"/rules/{rule.code}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(2)&gt;" in body


def test_cadre_cannot_draft_or_see_drafts(client, cadre, officer, unit):
    draft = draft_rule(author=officer)
    client.force_login(cadre)
    assert client.get("/rules/new/").status_code == 403
    assert client.post("/rules/new/", create_form(unit)).status_code == 403
    assert client.get(f"/rules/{draft.code}/").status_code == 404
    assert client.get(f"/rules/{draft.code}/v/1/edit/").status_code == 403
    assert Rule.objects.count() == 1


def test_approving_own_version_is_refused_with_the_reason(client, officer):
    version = draft_rule(author=officer).versions.get()
    services.version_submit(version=version, actor=officer)
    client.force_login(officer)
    response = client.post(
        f"/rules/{version.rule.code}/v/1/approve/", {"effective_from": TODAY().isoformat()}, follow=True
    )
    assert "another officer must approve it" in response.content.decode()
    assert RuleVersion.objects.get(pk=version.pk).status == Status.PENDING_APPROVAL


def test_wrong_state_transition_explains_and_changes_nothing(client, officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    client.force_login(officer2)
    response = client.post(f"/rules/{rule.code}/v/1/send-back/", {"reason": "no"}, follow=True)
    assert "cannot be moved" in response.content.decode()
    assert RuleVersion.objects.get(pk=rule.current_version_id).status == Status.IN_FORCE


def test_approve_with_past_date_is_refused(client, officer, officer2):
    version = draft_rule(author=officer).versions.get()
    services.version_submit(version=version, actor=officer)
    client.force_login(officer2)
    yesterday = (TODAY() - timedelta(days=1)).isoformat()
    response = client.post(f"/rules/{version.rule.code}/v/1/approve/", {"effective_from": yesterday}, follow=True)
    assert "cannot be in the past" in response.content.decode()


def test_edit_conflict_shows_the_other_persons_text(client, officer, officer2):
    version = draft_rule(author=officer).versions.get()
    opened = version.lock_version
    services.version_update(
        version=version,
        actor=officer2,
        expected_lock_version=opened,
        title="Their title",
        articles=["Their text"],
        elements=FULL_ELEMENTS,
    )
    client.force_login(officer)
    data = {"title": "My title", "articles": "My text", "lock_version": opened, **FULL_ELEMENTS}
    response = client.post(f"/rules/{version.rule.code}/v/1/edit/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this draft" in body and 'data-testid="conflict"' in body and "Their text" in body
    assert RuleVersion.objects.get(pk=version.pk).title == "Their title"


def test_comment_outside_audience_or_after_end_is_refused(client, officer, make_user):
    inside, outside = UnitFactory(), UnitFactory()
    version = draft_rule(author=officer).versions.get()
    consultation = services.consultation_open(
        version=version, actor=officer, ends_on=TODAY() + timedelta(days=2), audience_units=[inside]
    )
    outsider = make_user(unit=outside)
    client.force_login(outsider)
    assert client.get(f"/rules/consultations/{consultation.pk}/").status_code == 404
    assert client.post(f"/rules/consultations/{consultation.pk}/", {"text": "hi"}).status_code == 404
    insider = make_user(unit=inside)
    client.force_login(insider)
    client.post(f"/rules/consultations/{consultation.pk}/", {"article": "2", "text": "Clarify article 2"})
    assert Comment.objects.get().article.number == 2
    type(consultation).objects.filter(pk=consultation.pk).update(ends_on=TODAY() - timedelta(days=1))
    response = client.post(f"/rules/consultations/{consultation.pk}/", {"text": "late"}, follow=True)
    assert "ended on" in response.content.decode()
    assert Comment.objects.count() == 1


def test_abolish_needs_confirmation_and_reason(client, officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    client.force_login(officer)
    response = client.post(f"/rules/{rule.code}/abolish/", {"reason": "", "abolished_on": TODAY().isoformat()})
    assert response.status_code == 200 and Rule.objects.get(pk=rule.pk).status == Status.IN_FORCE
    response = client.post(
        f"/rules/{rule.code}/abolish/", {"reason": "Outdated", "abolished_on": TODAY().isoformat(), "confirm": "on"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.status, rule.end_reason) == (Status.ABOLISHED, "Outdated")
    body = client.get(f"/rules/{rule.code}/").content.decode()
    assert 'data-testid="end-reason"' in body and "Outdated" in body


def test_compare_and_history_pages(client, officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2)
    draft = services.amendment_start(rule=rule, actor=officer)
    services.version_update(
        version=draft,
        actor=officer,
        expected_lock_version=draft.lock_version,
        title=draft.title,
        articles=[ARTICLES[0], "Gifts above 100 yuan are handed over."],
        elements=FULL_ELEMENTS,
    )
    client.force_login(officer)
    body = client.get(f"/rules/{rule.code}/compare/?a=1&b=2").content.decode()
    assert 'data-kind="changed"' in body and 'data-kind="removed"' in body
    assert "<ins>100</ins>" in body
    assert client.get(f"/rules/{rule.code}/compare/?a=1&b=99").status_code == 200
    assert client.get(f"/rules/{rule.code}/compare/?a=x&b=y").status_code == 200
    history = client.get(f"/rules/{rule.code}/history/").content.decode()
    assert "Gifts above 100 yuan" in history


def test_register_point_in_time_and_csv(client, officer, officer2):
    rule = rule_in_force(author=officer, approver=officer2, title="Old wording")
    RuleVersion.objects.filter(pk=rule.current_version_id).update(effective_from=TODAY() - timedelta(days=100))
    client.force_login(officer)
    past = (TODAY() - timedelta(days=50)).isoformat()
    body = client.get(f"/rules/?in_force_on={past}").content.decode()
    assert 'data-testid="point-in-time"' in body and "Old wording" in body
    before = (TODAY() - timedelta(days=500)).isoformat()
    assert "Old wording" not in client.get(f"/rules/?in_force_on={before}").content.decode()
    csv_response = client.get("/rules/?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert rule.code in csv_response.content.decode("utf-8-sig")
    assert client.get("/rules/?in_force_on=not-a-date").status_code == 200


def test_register_query_count_is_flat_from_60_to_1000_rules(
    client, settings, officer, officer2, django_assert_max_num_queries
):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes, so it is counted at both
    unit = officer.unit
    seed = rule_in_force(author=officer, approver=officer2)

    def bulk(count, start):
        rules = Rule.objects.bulk_create(
            [
                Rule(
                    code=f"BULK-{start + i:05d}",
                    title=f"Rule {i}",
                    issuing_unit=unit,
                    created_by=officer,
                    status=Status.IN_FORCE,
                    next_review_on=TODAY(),
                    search_text=f"rule {i}",
                )
                for i in range(count)
            ]
        )
        versions = RuleVersion.objects.bulk_create(
            [
                RuleVersion(
                    rule=r, number=1, title=r.title, status=Status.IN_FORCE, authored_by=officer, effective_from=TODAY()
                )
                for r in rules
            ]
        )
        for r, v in zip(rules, versions, strict=True):
            r.current_version = v
        Rule.objects.bulk_update(rules, ["current_version"])

    bulk(59, 0)  # 60 rules: past the notice board's page of 50 at both sizes
    client.force_login(officer)
    urls = ["/rules/", "/rules/?status=in_force&q=rule", f"/rules/?in_force_on={TODAY().isoformat()}", "/rules/board/"]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured.captured_queries)
    bulk(940, 100)
    assert Rule.objects.count() == 1000
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200
    assert seed.current_version_id


def test_officer_home_shows_rules_by_status_chart(client, officer, officer2, cadre):
    rule_in_force(author=officer, approver=officer2)
    client.force_login(officer)
    body = client.get("/").content.decode()
    assert 'data-chart="chart-rules-by-status"' in body and 'id="chart-rules-by-status"' in body
    client.force_login(cadre)
    assert 'data-chart="chart-rules-by-status"' not in client.get("/").content.decode()


def test_rule_page_query_count_is_flat_as_versions_and_implementation_rules_grow(client, officer, officer2, cadre):
    rule = rule_in_force(author=officer, approver=officer2)
    counts = {}
    for name, person in (("officer", officer), ("cadre", cadre)):
        client.force_login(person)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/rules/{rule.code}/").status_code == 200
        counts[name] = len(captured)
    for articles in (["One."], ["One.", "Two."], ["One.", "Two.", "Three."]):
        amend(rule, author=officer, approver=officer2, articles=articles)
    for _ in range(3):
        rule_in_force(author=officer, approver=officer2, parent=rule)
    for name, person in (("officer", officer), ("cadre", cadre)):
        client.force_login(person)
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/rules/{rule.code}/").content.decode()
        assert len(captured) == counts[name], (name, counts[name], [q["sql"][:80] for q in captured])
        assert "Three." in body
