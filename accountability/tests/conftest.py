import pytest

from integrity.roles import Role
from integrity.services import unit_set_top_leader
from integrity.tests.factories import UnitFactory

from .factories import assigned, in_force


@pytest.fixture
def leader(make_user, unit):
    """The top leader of the finance unit (a cadre and a leading cadre)."""
    person = make_user(Role.CADRE, username="leader-a", unit=unit, is_leading_cadre=True)
    unit_set_top_leader(unit=unit, leader=person)
    return person


@pytest.fixture
def sub_unit(unit):
    return UnitFactory(name="Budget Section", code="finance-budget", parent=unit)


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Housing Bureau", code="housing")


@pytest.fixture
def other_liaison(make_user, other_unit):
    return make_user(Role.LIAISON, username="liaison-other", unit=other_unit)


@pytest.fixture
def rule(officer, officer2, unit, cadre, liaison, leader):
    """A rule in force for the finance unit (and below it); its audience owes acknowledgements."""
    return in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)


@pytest.fixture
def assignment(rule, officer, unit, sub_unit):
    return assigned(rule, officer=officer, lead=unit, co=[sub_unit])
