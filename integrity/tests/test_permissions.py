import pytest
from django.http import Http404

from integrity.permissions import ROLE_ACTIONS, can, get_unit_for, units_in_scope
from integrity.roles import Role, role_of
from integrity.services import unit_set_top_leader
from integrity.tests.factories import UnitFactory

# The expected matrix, written out by hand: role → actions allowed.
EXPECTED = {
    Role.ADMIN: {"view_org_figures", "view_all_units", "view_unit_list", "use_admin_site", "use_inbox"},
    Role.OFFICER: {"view_org_figures", "view_all_units", "view_unit_list", "use_inbox"},
    Role.LIAISON: {"view_unit_list", "use_inbox"},
    Role.CADRE: {"use_inbox"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(ROLE_ACTIONS))
def test_role_action_matrix(make_user, role, action):
    user = make_user(role)
    assert can(user, action) is (action in EXPECTED[role])


@pytest.mark.django_db
def test_anonymous_visitor_may_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert role_of(anonymous) is None
    assert not any(can(anonymous, action) for action in ROLE_ACTIONS)
    assert not units_in_scope(anonymous).exists()


@pytest.mark.django_db
def test_highest_role_wins_for_a_person_in_two_groups(make_user):
    from django.contrib.auth.models import Group

    user = make_user(Role.CADRE)
    user.groups.add(Group.objects.get(name="officer"))
    user = type(user).objects.get(pk=user.pk)
    assert role_of(user) == Role.OFFICER


@pytest.fixture
def tree(db):
    root = UnitFactory(name="Commission", code="root")
    dept = UnitFactory(name="Dept", code="dept", parent=root)
    sub = UnitFactory(name="Sub", code="sub", parent=dept)
    other = UnitFactory(name="Other", code="other", parent=root)
    return root, dept, sub, other


def test_cadre_sees_only_own_unit(make_user, tree):
    _, dept, sub, other = tree
    cadre = make_user(Role.CADRE, unit=dept)
    assert set(units_in_scope(cadre)) == {dept}
    with pytest.raises(Http404):
        get_unit_for(cadre, other.pk)


def test_liaison_sees_own_unit_and_those_below(make_user, tree):
    _, dept, sub, other = tree
    liaison = make_user(Role.LIAISON, unit=dept)
    assert set(units_in_scope(liaison)) == {dept, sub}
    assert get_unit_for(liaison, sub.pk) == sub
    with pytest.raises(Http404):
        get_unit_for(liaison, other.pk)


def test_top_leader_sees_the_subtree_they_lead(make_user, tree):
    root, dept, sub, other = tree
    leader = make_user(Role.CADRE, unit=dept)
    unit_set_top_leader(unit=dept, leader=leader)
    assert set(units_in_scope(leader)) == {dept, sub}


def test_officer_sees_every_unit(make_user, tree):
    officer = make_user(Role.OFFICER, unit=tree[0])
    assert set(units_in_scope(officer)) == set(tree)


def test_missing_and_forbidden_units_answer_alike(make_user, tree):
    cadre = make_user(Role.CADRE, unit=tree[1])
    for pk in (tree[3].pk, 999999, "not-a-number"):
        with pytest.raises(Http404):
            get_unit_for(cadre, pk)


@pytest.mark.django_db
def test_a_baked_row_by_primary_key_or_404():
    from django.http import Http404

    from integrity.baked import baked
    from integrity.models import Unit
    from integrity.permissions import baked_row_or_404
    from integrity.tests.factories import UnitFactory

    unit = UnitFactory()
    by_pk = baked(lambda *, pk: Unit.objects.filter(pk=pk))
    assert baked_row_or_404(by_pk, unit.pk) == unit and baked_row_or_404(by_pk, str(unit.pk)) == unit
    for missing in (unit.pk + 1000, "abc", None, 2**70):
        with pytest.raises(Http404):
            baked_row_or_404(by_pk, missing)
