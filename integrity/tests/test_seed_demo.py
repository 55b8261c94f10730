import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from integrity.models import Unit, User
from integrity.roles import Role, role_of

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_organisation_and_is_idempotent():
    call_command("seed_demo")
    counts = (Unit.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Unit.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 10
    assert 50 <= counts[1] <= 80
    assert Unit.objects.filter(kind="department").count() >= 8
    assert Unit.objects.filter(top_leader__isnull=False).count() == Unit.objects.count()


@pytest.mark.parametrize(
    "username,role",
    [
        ("admin", Role.ADMIN),
        ("officer", Role.OFFICER),
        ("officer2", Role.OFFICER),
        ("liaison", Role.LIAISON),
        ("cadre", Role.CADRE),
        ("leader", Role.CADRE),
    ],
)
def test_demo_accounts_log_in_with_the_documented_password(username, role):
    call_command("seed_demo")
    user = authenticate(username=username, password="demo-pass-2026")
    assert user is not None
    assert role_of(user) == role


def test_demo_leader_leads_the_liaisons_department():
    call_command("seed_demo")
    leader, liaison, cadre = (User.objects.get(username=n) for n in ("leader", "liaison", "cadre"))
    assert liaison.unit == cadre.unit == leader.unit
    assert leader.unit.top_leader == leader


def test_scale_multiplies_volumes():
    call_command("seed_demo")
    base_units, base_people = Unit.objects.count(), User.objects.count()
    call_command("seed_demo", "--scale", "3")
    assert Unit.objects.count() == base_units + 2 * (base_units - 1)
    assert User.objects.count() > 2 * base_people
    assert not Unit.objects.filter(path="").exists()
