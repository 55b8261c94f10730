"""The review forms pick rules and units with searchable pickers, not selects of every rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.reviews import services
from accountability.reviews.models import Review
from accountability.reviews.tests.factories import ALL_FOURS, open_review
from rules.tests.factories import draft_rule, rule_in_force

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def rules(officer, officer2):
    return [rule_in_force(author=officer, approver=officer2, title=f"Land rule {n}") for n in range(3)]


def test_the_review_form_shows_the_rule_it_was_opened_for_and_no_other(client, officer, rules):
    client.force_login(officer)
    body = client.get(f"/reviews/new/?rule={rules[1].code}").content.decode()
    assert f'<input type="radio" name="rule" value="{rules[1].pk}" checked> {rules[1].code} — Land rule 1' in body
    assert "Land rule 0" not in body and "Land rule 2" not in body
    assert 'hx-get="/lookup/rules/?name=rule&amp;scope=in_force"' in body


def test_the_review_form_refuses_a_rule_not_in_force(client, officer, rules):
    draft = draft_rule(author=officer, title="Draft land rule")
    client.force_login(officer)
    data = {"kind": "special", "deadline": (TODAY() + timedelta(days=5)).isoformat(), "reviewers": [officer.pk]}
    response = client.post("/reviews/new/", {**data, "rule": draft.pk})
    assert "Rule: Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    assert not Review.objects.exists()
    response = client.post("/reviews/new/", {**data, "rule": rules[0].pk})
    assert response.status_code == 302
    assert Review.objects.get().rule == rules[0]


def test_the_merge_target_is_picked_among_rules_in_force(client, officer, rules):
    review = open_review(rule=rules[0], officer=officer)
    services.review_score(review=review, actor=officer, scores=ALL_FOURS)
    client.force_login(officer)
    body = client.get(f"/reviews/{review.pk}/").content.decode()
    assert 'hx-get="/lookup/rules/?name=merge_target&amp;scope=in_force"' in body
    assert "Land rule 2" not in body

    draft = draft_rule(author=officer, title="Draft land rule")
    data = {"outcome": "merge", "note": "dup"}
    response = client.post(f"/reviews/{review.pk}/propose/", {**data, "merge_target": draft.pk}, follow=True)
    assert "Select a valid choice. That choice is not one of the available choices." in response.content.decode()
    client.post(f"/reviews/{review.pk}/propose/", {**data, "merge_target": rules[2].pk})
    review.refresh_from_db()
    assert review.merge_target == rules[2]


def test_the_cleanup_campaign_form_offers_all_units_as_the_empty_choice(client, officer, unit, rules):
    client.force_login(officer)
    body = client.get("/campaigns/new/").content.decode()
    assert '<input type="radio" name="issuing_unit" value="" checked> All units' in body
    assert unit.name not in body
    assert 'hx-get="/lookup/units/?name=issuing_unit"' in body
