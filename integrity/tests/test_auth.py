"""The authentication backend reads what every page asks about the person with the person."""

from asgiref.sync import async_to_sync
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrity.auth import UnitAwareBackend, person_with_unit, standing_of
from integrity.models import Unit, User
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


def test_the_person_is_read_as_the_orm_reads_them(make_user):
    """The written-out statement gives the same person, every field converted, with the unit loaded."""
    unit = UnitFactory(name="Finance Bureau", code="finance")
    person = make_user(Role.CADRE, unit=unit, position="Section chief", is_leading_cadre=True, full_name="王 芳")
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])
    without_unit = make_user(Role.OFFICER, unit=None)
    for someone in (person, without_unit):
        expected = User.objects.select_related("unit").get(pk=someone.pk)
        loaded = person_with_unit(str(someone.pk))  # as the session holds it
        assert [getattr(loaded, f.attname) for f in User._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in User._meta.concrete_fields
        ]
        assert not loaded._state.adding and loaded._state.db == "default"
        with CaptureQueriesContext(connection) as captured:
            unit_of = loaded.unit
        assert captured.captured_queries == []
        if expected.unit is None:
            assert unit_of is None
        else:
            assert [getattr(unit_of, f.attname) for f in Unit._meta.concrete_fields] == [
                getattr(expected.unit, f.attname) for f in Unit._meta.concrete_fields
            ]
    loaded.full_name = "Changed"
    loaded.save(update_fields=["full_name"])  # an ordinary model instance
    assert User.objects.get(pk=without_unit.pk).full_name == "Changed"


def test_no_person_for_an_unknown_or_malformed_id(db):
    assert person_with_unit("987654321") is None
    assert person_with_unit("not-a-number") is None
    assert person_with_unit(str(2**70)) is None  # beyond any id column
    assert UnitAwareBackend().get_user("not-a-number") is None


def test_the_async_reading_of_the_person_is_the_same(make_user):
    dept = UnitFactory(name="Dept", code="dept")
    person = make_user(Role.LIAISON, unit=dept)
    user = async_to_sync(UnitAwareBackend().aget_user)(str(person.pk))
    assert user == person and role_of(user) == Role.LIAISON
    with CaptureQueriesContext(connection) as captured:
        assert user.unit == dept
    assert captured.captured_queries == []
