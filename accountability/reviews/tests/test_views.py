import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.reviews import services
from accountability.reviews.models import Campaign, Outcome, Review, ReviewStatus
from accountability.reviews.tests.factories import open_review, propose
from integrity.roles import Role
from rules.models import Rule, Status
from rules.tests.factories import rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def rule(officer, officer2):
    return rule_in_force(author=officer, approver=officer2, category="procurement")


@pytest.mark.parametrize(
    "role,status", [(Role.CADRE, 403), (Role.LIAISON, 403), (Role.OFFICER, 200), (Role.ADMIN, 200)]
)
def test_review_pages_are_for_officers(client, make_user, role, status):
    client.force_login(make_user(role))
    for url in ("/reviews/", "/campaigns/", "/reviews/new/", "/campaigns/new/"):
        assert client.get(url).status_code == status


def test_cadre_gets_404_for_a_review(client, cadre, rule, officer):
    review = open_review(rule=rule, officer=officer)
    client.force_login(cadre)
    assert client.get(f"/reviews/{review.pk}/").status_code == 404
    assert client.post(f"/reviews/{review.pk}/approve/").status_code == 404


def test_score_out_of_range_is_refused_with_a_message(client, officer, rule):
    review = open_review(rule=rule, officer=officer)
    client.force_login(officer)
    data = {f"score_{c}": "4" for c in ("legality", "operability", "effectiveness", "coherence", "timeliness")}
    data["score_legality"] = "7"
    response = client.post(f"/reviews/{review.pk}/score/", data, follow=True)
    assert "less than or equal to 5" in response.content.decode()
    assert review.scores.count() == 0
    data["score_legality"] = "5"
    client.post(f"/reviews/{review.pk}/score/", data)
    assert review.scores.count() == 5


def test_non_reviewer_cannot_score(client, officer, officer2, rule):
    review = open_review(rule=rule, officer=officer, reviewers=[officer])
    client.force_login(officer2)
    response = client.post(f"/reviews/{review.pk}/score/", {"score_legality": "3"}, follow=True)
    assert "reviewers can score it" in response.content.decode()


def test_propose_without_required_field_is_refused(client, officer, rule):
    review = open_review(rule=rule, officer=officer)
    from accountability.reviews.tests.factories import ALL_FOURS

    services.review_score(review=review, actor=officer, scores=ALL_FOURS)
    client.force_login(officer)
    response = client.post(f"/reviews/{review.pk}/propose/", {"outcome": "merge", "note": "dup"}, follow=True)
    assert "Choose the rule to merge into" in response.content.decode()
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.OPEN


def test_approving_own_proposal_is_refused_and_explained(client, officer, officer2, rule):
    review = propose(open_review(rule=rule, officer=officer), reviewer=officer, outcome=Outcome.ABOLISH, note="old")
    client.force_login(officer)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert 'data-testid="why-not-decide"' in page and "another officer must decide" in page
    response = client.post(f"/reviews/{review.pk}/approve/", follow=True)
    assert "another officer must decide" in response.content.decode()
    assert Rule.objects.get(pk=rule.pk).status == Status.IN_FORCE
    client.force_login(officer2)
    client.post(f"/reviews/{review.pk}/approve/")
    assert Rule.objects.get(pk=rule.pk).status == Status.ABOLISHED


def test_opening_a_second_review_on_the_same_rule_is_refused(client, officer, rule):
    open_review(rule=rule, officer=officer)
    client.force_login(officer)
    response = client.post(
        "/reviews/new/",
        {
            "rule": rule.pk,
            "kind": "special",
            "deadline": (TODAY() + timedelta(days=5)).isoformat(),
            "reviewers": [officer.pk],
        },
    )
    assert "already under review" in response.content.decode()
    assert Review.objects.count() == 1


def test_campaign_with_empty_scope_shows_a_clear_error(client, officer):
    client.force_login(officer)
    response = client.post(
        "/campaigns/new/",
        {
            "title": "Nothing",
            "category": "resources",
            "deadline": (TODAY() + timedelta(days=5)).isoformat(),
            "reviewers": [officer.pk],
        },
    )
    assert "No rule in force matches this scope" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_campaign_report_counts_and_downloads(client, officer, officer2, rule):
    other = rule_in_force(author=officer, approver=officer2, category="procurement")
    campaign = services.campaign_create(
        actor=officer,
        title="Procurement",
        deadline=TODAY() + timedelta(days=9),
        reviewers=[officer],
        category="procurement",
        open_now=True,
    )
    services.review_approve(
        review=propose(campaign.reviews.get(rule=rule), reviewer=officer, outcome=Outcome.ABOLISH), actor=officer2
    )
    services.review_approve(
        review=propose(campaign.reviews.get(rule=other), reviewer=officer, outcome=Outcome.AMEND), actor=officer2
    )
    client.force_login(officer)
    body = client.get(f"/campaigns/{campaign.pk}/report/").content.decode()
    assert '<tr data-outcome="abolish"><th scope="row">Abolish</th><td>1</td>' in body
    assert '<tr data-outcome="amend"><th scope="row">Amend</th><td>1</td>' in body
    csv = client.get(f"/campaigns/{campaign.pk}/report/?format=csv").content.decode("utf-8-sig")
    assert rule.code in csv and other.code in csv
    xlsx = client.get(f"/campaigns/{campaign.pk}/report/?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    progress = client.get(f"/campaigns/{campaign.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="campaign-progress"' in progress and "<html" not in progress


def test_review_list_query_count_is_flat(client, settings, officer, officer2, django_assert_max_num_queries):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes, so it is counted at both

    def make(n):
        for _ in range(n):
            open_review(
                rule=rule_in_force(author=officer, approver=officer2), officer=officer, reviewers=[officer, officer2]
            )

    make(3)
    client.force_login(officer)
    with django_assert_max_num_queries(25) as small:
        client.get("/reviews/")
    make(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/reviews/").status_code == 200
    review = Review.objects.first()
    with django_assert_max_num_queries(40):
        assert client.get(f"/reviews/{review.pk}/").status_code == 200


def test_stale_score_form_is_refused(client, officer, officer2, rule):
    review = open_review(rule=rule, officer=officer, reviewers=[officer, officer2])
    client.force_login(officer)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    seen = re.search(r'name="seen_version" value="([^"]*)"', page).group(1)
    services.review_score(review=review, actor=officer2, scores={"legality": (2, "theirs")})
    data = {f"score_{c}": "4" for c in ("legality", "operability", "effectiveness", "coherence", "timeliness")}
    data["seen_version"] = seen
    response = client.post(f"/reviews/{review.pk}/score/", data, follow=True)
    assert "Another reviewer saved scores" in response.content.decode()
    assert review.scores.get(criterion="legality").score == 2


def _campaign_with_a_proposal(officer, title="Procurement"):
    """A running cleanup campaign of the procurement rules (the `rule` fixture's), its review proposed."""
    campaign = services.campaign_create(
        actor=officer,
        title=title,
        deadline=timezone.localdate() + timedelta(days=9),
        reviewers=[officer],
        category="procurement",
        open_now=True,
    )
    return campaign, propose(campaign.reviews.get(), reviewer=officer, outcome=Outcome.RETAIN)


def test_a_decided_review_names_its_proposer_and_decider_and_campaigns(client, rule, officer, officer2):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign, review = _campaign_with_a_proposal(officer, title="Procurement cleanup")
    client.force_login(officer)
    with CaptureQueriesContext(connection) as proposed:
        body = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f"Proposed by {officer}" in body and "Decided by" not in body and "Procurement cleanup" in body
    services.review_approve(review=review, actor=officer2)
    with CaptureQueriesContext(connection) as decided:
        body = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f"Proposed by {officer}" in body and f"Decided by {officer2}" in body
    assert len(decided) == len(proposed)  # both people in one statement


def test_a_campaign_report_read_baked_matches_its_querysets(rule, officer, officer2):
    from accountability.reviews import selectors

    campaign, review = _campaign_with_a_proposal(officer)
    services.review_approve(review=review, actor=officer2)
    first_rows, count_rows = selectors.campaign_report_pages(campaign=campaign)
    expected = list(selectors.campaign_report_rows(campaign=campaign))
    assert [r.pk for r in first_rows(100)] == [r.pk for r in expected] and count_rows(100) == len(expected) == 1
    assert first_rows(1)[0].decided_by == officer2
    report = selectors.campaign_report(campaign=campaign)
    assert report["decided"] == 1 and (Outcome.RETAIN.label, Outcome.RETAIN, 1) in report["outcomes"]
