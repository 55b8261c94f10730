"""The rules lookup of the searchable pickers, and the rule forms that use the pickers."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from integrity.tests.factories import UnitFactory
from rules.models import Rule
from rules.tests.factories import draft_rule, rule_in_force

from .test_views import create_form

pytestmark = pytest.mark.django_db


def offered(response, name="parent"):
    return [int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', response.content.decode())]


@pytest.fixture
def rules(officer, officer2):
    return {
        "gifts": rule_in_force(author=officer, approver=officer2, code="IR-2024-001", title="Gift register rules"),
        "travel": rule_in_force(author=officer, approver=officer2, code="IR-2024-002", title="Official travel rules"),
        "draft": draft_rule(author=officer, code="IR-2024-003", title="Gift hospitality rules"),
    }


def test_rules_match_by_code_prefix_or_title_and_the_in_force_scope_leaves_drafts_out(client, officer, rules):
    client.force_login(officer)
    in_force = {"name": "parent", "scope": "in_force"}
    assert offered(client.get("/lookup/rules/", {**in_force, "parent-lookup": "ir-2024"})) == [
        rules["gifts"].pk,
        rules["travel"].pk,
    ]
    assert offered(client.get("/lookup/rules/", {**in_force, "parent-lookup": "GIFT"})) == [rules["gifts"].pk]
    # Without the scope an officer is offered every rule they may see, drafts too.
    assert offered(client.get("/lookup/rules/", {"name": "parent", "parent-lookup": "gift"})) == [
        rules["gifts"].pk,
        rules["draft"].pk,
    ]
    body = client.get("/lookup/rules/", {**in_force, "parent-lookup": "travel"}).content.decode()
    assert (
        f'<input type="radio" name="parent" value="{rules["travel"].pk}"> IR-2024-002 — Official travel rules' in body
    )


def test_a_cadre_is_never_offered_a_draft(client, cadre, rules):
    client.force_login(cadre)
    assert offered(client.get("/lookup/rules/", {"name": "parent", "parent-lookup": "gift"})) == [rules["gifts"].pk]


def test_an_unknown_rule_scope_is_rejected(client, officer, rules):
    client.force_login(officer)
    response = client.get("/lookup/rules/", {"name": "parent", "scope": "drafts", "parent-lookup": "gift"})
    assert response.status_code == 400


def test_the_draft_form_lists_no_unit_and_no_rule_and_its_queries_stay_flat(
    client, officer, rules, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(30) as few:
        body = client.get("/rules/new/").content.decode()
    assert body.count("<option") < 20  # the category select and the language switch, no unit, no rule
    assert f'name="issuing_unit" value="{officer.unit_id}" checked' in body  # the officer's unit, chosen
    assert 'hx-get="/lookup/rules/?name=parent&amp;scope=in_force"' in body
    assert 'hx-get="/lookup/units/?name=audience_units&amp;multiple=1"' in body

    units = [UnitFactory(name=f"District office {n:03}", code=f"district-{n:03}") for n in range(300)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/rules/new/").content.decode()
    assert not any(unit.name in body for unit in units)


def test_the_draft_form_still_takes_posted_pks(client, officer, unit, rules):
    client.force_login(officer)
    data = create_form(unit, parent=rules["gifts"].pk, audience_units=[unit.pk])
    response = client.post("/rules/new/", data)
    assert response.status_code == 302
    rule = Rule.objects.get(title="Gift register rules", parent=rules["gifts"])
    assert list(rule.audience_units.all()) == [unit]


def test_a_wrong_pk_on_the_draft_form_gives_the_field_error_and_keeps_the_choices(client, officer, unit, rules):
    client.force_login(officer)
    data = create_form(unit, issuing_unit="999999", parent=rules["draft"].pk, audience_units=[unit.pk])
    response = client.post("/rules/new/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("Select a valid choice. That choice is not one of the available choices.") == 2 * 2  # summary
    assert '<a href="#id_issuing_unit">Issuing unit: Select a valid choice.' in body
    assert '<a href="#id_parent">Parent rule: Select a valid choice.' in body
    assert f'name="audience_units" value="{unit.pk}" checked' in body  # what was typed is kept
    assert Rule.objects.count() == 3


def test_the_consultation_form_takes_posted_units_and_refuses_a_wrong_one(client, officer, make_user, unit):
    rule = draft_rule(author=officer)
    client.force_login(officer)
    url = f"/rules/{rule.code}/v/1/consult/"
    ends_on = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = client.get(url).content.decode()
    assert 'hx-get="/lookup/units/?name=audience_units&amp;multiple=1"' in body
    response = client.post(url, {"ends_on": ends_on, "audience_units": ["999999"]})
    assert "Select a valid choice. 999999 is not one of the available choices." in response.content.decode()
    response = client.post(url, {"ends_on": ends_on, "audience_units": [unit.pk]})
    assert response.status_code == 302
