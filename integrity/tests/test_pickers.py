"""Searchable pickers: the /lookup/<kind>/ endpoint and the widgets that render only what is chosen."""

import re

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured

from integrity.models import Unit
from integrity.pickers import MAX_RESULTS, SearchSelect, SearchSelectMultiple, register_lookup
from integrity.roles import Role
from integrity.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def lookup(client, kind="units", **params):
    params.setdefault("name", "unit")
    return client.get(f"/lookup/{kind}/", params)


def values(response, name="unit"):
    """The pks offered, in order, as ints."""
    return [int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', response.content.decode())]


class UnitsForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Unit", queryset=Unit.objects.filter(is_active=True), widget=SearchSelect("units")
    )
    units = forms.ModelMultipleChoiceField(
        label="Units",
        required=False,
        queryset=Unit.objects.filter(is_active=True),
        widget=SearchSelectMultiple("units"),
    )
    optional = forms.ModelChoiceField(
        label="Optional",
        required=False,
        queryset=Unit.objects.all(),
        empty_label="All units",
        widget=SearchSelect("units"),
    )


# --- the lookup endpoint --------------------------------------------------------------------


def test_lookup_needs_login(client, unit):
    response = lookup(client, **{"unit-lookup": "fin"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_kind_is_404(client, officer):
    client.force_login(officer)
    assert lookup(client, kind="no-such-kind", **{"unit-lookup": "fin"}).status_code == 404


def test_units_match_by_code_prefix_or_name_in_tree_order(client, officer):
    finance = UnitFactory(name="Finance Bureau", code="finance")
    budget = UnitFactory(name="Budget Section", code="fin-budget", parent=finance)
    UnitFactory(name="Housing Bureau", code="housing-fin")  # "fin" inside the code, not at its start
    refinery = UnitFactory(name="Oil Refinery", code="oil")
    client.force_login(officer)

    assert values(lookup(client, **{"unit-lookup": "FIN"})) == [finance.pk, budget.pk, refinery.pk]
    assert values(lookup(client, **{"unit-lookup": "section"})) == [budget.pk]


def test_single_choice_gives_radio_buttons_and_several_give_checkboxes_named_after_the_field(client, officer, unit):
    client.force_login(officer)
    body = lookup(client, name="lead_unit", **{"lead_unit-lookup": "finance"}).content.decode()
    assert f'<label><input type="radio" name="lead_unit" value="{unit.pk}"> finance — Finance Bureau</label>' in body
    body = lookup(client, name="co_units", multiple="1", **{"co_units-lookup": "finance"}).content.decode()
    assert f'<input type="checkbox" name="co_units" value="{unit.pk}">' in body


def test_inactive_units_are_not_offered(client, officer, unit):
    Unit.objects.filter(pk=unit.pk).update(is_active=False)
    client.force_login(officer)
    response = lookup(client, **{"unit-lookup": "finance"})
    assert values(response) == []
    assert "Nothing matches" in response.content.decode()


def test_a_person_is_offered_only_the_units_they_may_see(client, make_user, unit):
    sub = UnitFactory(name="Finance Budget Section", code="finance-budget", parent=unit)
    other = UnitFactory(name="Finance Audit Office", code="finance-audit")
    liaison = make_user(Role.LIAISON, unit=unit)
    cadre = make_user(Role.CADRE, unit=sub)

    client.force_login(liaison)
    assert values(lookup(client, **{"unit-lookup": "finance"})) == [unit.pk, sub.pk]
    client.force_login(cadre)
    assert values(lookup(client, **{"unit-lookup": "finance"})) == [sub.pk]
    # Ticking a unit out of scope by hand does not reveal it either.
    assert other.pk not in values(lookup(client, unit=other.pk, **{"unit-lookup": "finance"}))


def test_at_most_twenty_results_and_a_hint_to_type_more(client, officer):
    for n in range(MAX_RESULTS + 5):
        UnitFactory(name=f"District office {n}", code=f"district-{n:02}")
    client.force_login(officer)
    response = lookup(client, **{"unit-lookup": "district"})
    assert MAX_RESULTS == 20
    assert len(values(response)) == 20
    assert "Only the first 20 matches are shown" in response.content.decode()


@pytest.mark.parametrize("text", ["", "f", " f ", "\x00f"])
def test_an_empty_or_one_character_query_returns_a_hint_not_the_table(client, officer, unit, text):
    client.force_login(officer)
    response = lookup(client, **{"unit-lookup": text})
    assert response.status_code == 200
    assert values(response) == []
    assert "Type at least 2 characters" in response.content.decode()


@pytest.mark.parametrize("name", ["", "unit name", '"><script>', "1unit", "单位", "co_units-lookup", "x" * 101])
def test_a_name_that_is_not_a_plain_identifier_is_rejected(client, officer, unit, name):
    client.force_login(officer)
    response = lookup(client, name=name, **{f"{name}-lookup": "finance"})
    assert response.status_code == 400
    assert b"<script>" not in response.content


def test_an_unknown_scope_is_rejected(client, officer, unit):
    client.force_login(officer)
    assert lookup(client, scope="in_force", **{"unit-lookup": "finance"}).status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"unit-lookup": "fin\x00ance"},
        {"unit-lookup": "%_%\\" * 50},
        {"unit-lookup": "财" * 10_000},
        {"unit-lookup": "finance", "unit": ["abc", "99999999999999999999999", "-1", "0", "1.5", ""]},
        {"unit-lookup": "finance", "multiple": "yes", "unit": "\x00"},
    ],
)
def test_odd_input_is_answered_without_error(client, officer, unit, params):
    client.force_login(officer)
    response = lookup(client, **params)
    assert response.status_code == 200


def test_results_ticked_before_a_new_search_stay_ticked_at_the_top(client, officer, unit):
    housing = UnitFactory(name="Housing Bureau", code="housing")
    client.force_login(officer)
    response = lookup(client, name="co_units", multiple="1", co_units=[unit.pk], **{"co_units-lookup": "bureau"})
    body = response.content.decode()
    assert values(response, "co_units") == [unit.pk, housing.pk]  # the ticked one is not offered twice
    assert f'value="{unit.pk}" checked' in body and f'value="{housing.pk}" checked' not in body


def test_lookup_query_count_does_not_grow_with_the_units(client, make_user, django_assert_max_num_queries):
    parent = UnitFactory(name="District", code="district")
    liaison = make_user(Role.LIAISON, unit=parent)
    client.force_login(liaison)
    UnitFactory(name="District office 0", code="district-0", parent=parent)
    with django_assert_max_num_queries(10) as small:
        assert len(values(lookup(client, unit=[parent.pk], **{"unit-lookup": "office"}))) == 1 + 1  # ticked + match
    for n in range(1, 40):
        UnitFactory(name=f"District office {n}", code=f"district-{n}", parent=parent)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(values(lookup(client, unit=[parent.pk], **{"unit-lookup": "office"}))) == 1 + 20


def test_a_kind_can_be_registered_only_once():
    with pytest.raises(ValueError, match="already registered"):
        register_lookup("units", queryset_for=lambda user: Unit.objects.all(), search=None, label=str)


# --- the widgets ----------------------------------------------------------------------------


def test_the_widget_renders_only_the_chosen_units_with_few_queries(django_assert_max_num_queries):
    units = [UnitFactory(name=f"Office {n:03}", code=f"office-{n:03}") for n in range(300)]
    chosen, several = units[150], [units[7], units[250]]
    form = UnitsForm(initial={"unit": chosen.pk, "units": [u.pk for u in several]})
    with django_assert_max_num_queries(2):  # one per field with a choice
        html = str(form)
    assert html.count("<input") < 10
    assert "Office 003" not in html
    assert f'<input type="radio" name="unit" value="{chosen.pk}" checked> office-150 — Office 150' in html
    for unit in several:
        assert f'<input type="checkbox" name="units" value="{unit.pk}" checked>' in html


def test_the_widget_offers_a_search_box_wired_to_the_lookup():
    html = str(UnitsForm()["units"])
    assert '<input type="search" id="id_units" name="units-lookup"' in html
    assert 'hx-get="/lookup/units/?name=units&amp;multiple=1"' in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'hx-target="#id_units-results"' in html
    assert '<div class="search-select-results" id="id_units-results"' in html
    assert "Type a code or part of the name" in html
    assert "required" not in html  # the search box itself is never required


def test_an_optional_single_choice_has_an_empty_radio_button(unit):
    html = str(UnitsForm()["optional"])
    assert '<input type="radio" name="optional" value="" checked> All units' in html
    html = str(UnitsForm(initial={"optional": unit})["optional"])
    assert f'value="{unit.pk}" checked' in html and 'value="" checked' not in html
    assert 'name="unit" value=""' not in str(UnitsForm()["unit"])  # a required one has none


def test_posted_pks_validate_as_with_a_select(unit):
    other = UnitFactory(name="Housing Bureau", code="housing")
    form = UnitsForm({"unit": str(unit.pk), "units": [str(unit.pk), str(other.pk)], "optional": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == unit
    assert set(form.cleaned_data["units"]) == {unit, other}
    assert form.cleaned_data["optional"] is None


def test_a_wrong_pk_gives_the_field_error_and_the_form_renders_without_error(unit):
    form = UnitsForm({"unit": "999999", "units": ["abc"]})
    assert not form.is_valid()
    assert form.errors["unit"] == ["Select a valid choice. That choice is not one of the available choices."]
    assert form.errors["units"] == ["“abc” is not a valid value."]
    html = str(form)
    assert 'value="999999"' not in html and 'name="unit" value="abc"' not in html


def test_a_missing_choice_is_required():
    form = UnitsForm({})
    assert not form.is_valid()
    assert form.errors["unit"] == ["This field is required."]


def test_the_widget_needs_a_model_choice_field():
    class Plain(forms.Form):
        unit = forms.ChoiceField(choices=[("1", "One")], widget=SearchSelect("units"))

    with pytest.raises(ImproperlyConfigured, match="ModelChoiceField"):
        str(Plain()["unit"].as_widget())


def test_people_are_found_by_name_within_the_units_of_the_scope(client, officer):
    finance, other = UnitFactory(code="finance"), UnitFactory(code="other")
    budget = UnitFactory(code="budget", parent=finance)
    UserFactory(full_name="张预算", unit=budget)
    UserFactory(full_name="张预其他", unit=other)
    client.force_login(officer)
    scoped = client.get(f"/lookup/people/?name=owner&scope=units:{finance.pk}&owner-lookup=张预").content.decode()
    assert "张预算" in scoped and "张预其他" not in scoped
    everyone = client.get("/lookup/people/?name=owner&owner-lookup=张预").content.decode()
    assert "张预算" in everyone and "张预其他" in everyone
    bad = client.get("/lookup/people/?name=owner&scope=units:abc,-1&owner-lookup=张预")
    assert bad.status_code == 200 and "张预" not in bad.content.decode()
