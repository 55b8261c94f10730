"""The authentication backend reads what every page asks about the person with the person."""

from django.contrib.auth.models import Group

from integrity.auth import UnitAwareBackend, standing_of
from integrity.permissions import is_top_leader, led_unit_paths, per_request, units_in_scope
from integrity.roles import Role, role_of
from integrity.services import unit_set_top_leader
from integrity.tests.factories import UnitFactory


def test_standing_lists_groups_and_led_units(make_user, officer):
    root = UnitFactory(name="Commission", code="root")
    dept = UnitFactory(name="Dept", code="dept", parent=root)
    leader = make_user(Role.CADRE, unit=dept)
    leader.groups.add(Group.objects.get(name="liaison"))
    unit_set_top_leader(unit=dept, leader=leader, actor=officer)
    names, paths = standing_of(leader.pk)
    assert sorted(names) == ["cadre", "liaison"]
    assert paths == [dept.path]
    assert standing_of(officer.pk) == (["officer"], [])


def test_a_request_user_answers_role_leadership_and_scope_without_more_queries(
    make_user, officer, django_assert_num_queries
):
    dept = UnitFactory(name="Dept", code="dept")
    sub = UnitFactory(name="Sub", code="sub", parent=dept)
    leader = make_user(Role.CADRE, unit=dept)
    unit_set_top_leader(unit=dept, leader=leader, actor=officer)
    with django_assert_num_queries(2):  # the person with their unit; their groups and led units
        user = UnitAwareBackend().get_user(leader.pk)
    with django_assert_num_queries(0):
        assert role_of(user) == Role.CADRE
        assert is_top_leader(user) is True
        assert led_unit_paths(user) == [dept.path]
    assert set(units_in_scope(user)) == {dept, sub}


def test_per_request_computes_once_for_a_request_user_only(make_user):
    person = make_user(Role.CADRE)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    request_user = UnitAwareBackend().get_user(person.pk)
    assert per_request(request_user, "k", compute) == 1
    assert per_request(request_user, "k", compute) == 1
    assert per_request(person, "k", compute) == 2  # any other user object: computed each time
    assert per_request(person, "k", compute) == 3


def test_an_inactive_person_is_not_loaded(make_user):
    person = make_user(Role.CADRE, is_active=False)
    assert UnitAwareBackend().get_user(person.pk) is None
