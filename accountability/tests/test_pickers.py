"""The execution forms pick units and rules with searchable pickers, not selects of every row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.models import Assignment, Campaign
from integrity.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def many_units(db):
    return [UnitFactory(name=f"District office {n:03}", code=f"district-{n:03}") for n in range(300)]


def test_the_assign_form_shows_the_current_units_checked_and_no_other(
    client, rule, assignment, unit, sub_unit, officer, many_units, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(40):
        body = client.get(f"/rules/{rule.code}/implementation/assign/").content.decode()
    assert f'<input type="radio" name="lead_unit" value="{unit.pk}" checked> finance — Finance Bureau' in body
    assert f'<input type="checkbox" name="co_units" value="{sub_unit.pk}" checked> finance-budget' in body
    assert not any(u.name in body for u in many_units)
    assert 'hx-get="/lookup/units/?name=co_units&amp;multiple=1"' in body
    assert "Hold Ctrl" not in body


def test_the_assign_form_refuses_a_unit_that_does_not_exist(client, rule, unit, officer):
    client.force_login(officer)
    response = client.post(
        f"/rules/{rule.code}/implementation/assign/",
        {"lead_unit": "999999", "co_units": [unit.pk], "supervisor": officer.pk},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lead unit: Select a valid choice. That choice is not one of the available choices." in body
    assert f'name="co_units" value="{unit.pk}" checked' in body
    assert not Assignment.objects.exists()


def test_the_acknowledgement_campaign_form_lists_no_unit_and_no_rule(
    client, rule, officer, many_units, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(20):
        body = client.get("/acknowledgements/new/").content.decode()
    assert "<option" not in body.split("<main")[1]
    assert rule.title not in body and not any(u.name in body for u in many_units)
    assert 'hx-get="/lookup/rules/?name=rules&amp;multiple=1&amp;scope=in_force"' in body
    assert 'hx-get="/lookup/units/?name=units&amp;multiple=1"' in body


def test_the_acknowledgement_campaign_form_takes_posted_pks_and_refuses_wrong_ones(client, rule, unit, officer):
    client.force_login(officer)
    data = {"title": "Gifts", "deadline": (TODAY() + timedelta(days=10)).isoformat()}
    response = client.post("/acknowledgements/new/", {**data, "rules": [rule.pk], "units": ["999999", unit.pk]})
    body = response.content.decode()
    assert "Units: Select a valid choice. 999999 is not one of the available choices." in body
    assert f'name="rules" value="{rule.pk}" checked' in body
    assert not Campaign.objects.exists()

    response = client.post("/acknowledgements/new/", {**data, "rules": [rule.pk], "units": [unit.pk]})
    assert response.status_code == 302
    assert Campaign.objects.get().title == "Gifts"
