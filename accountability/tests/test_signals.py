from datetime import timedelta

import pytest
from django.utils import timezone

from accountability import services
from accountability.models import Acknowledgement, AssignmentStatus, Task, TaskState
from accountability.permissions import audience_users, rules_applying_to
from integrity.roles import Role
from integrity.tests.factories import UnitFactory
from rules import services as rule_services
from rules.models import RuleVersion
from rules.permissions import applies_to

from .factories import amended, assigned, committed, in_force, task

pytestmark = pytest.mark.django_db


def owing(version):
    return set(Acknowledgement.objects.filter(version=version).values_list("user__username", flat=True))


def test_coming_into_force_makes_the_audience_owe_and_nobody_else(rule, other_liaison):
    assert owing(rule.current_version) == {"cadre-a", "liaison-a", "leader-a"}
    assert not Acknowledgement.objects.filter(acknowledged_at__isnull=False).exists()


def test_audience_includes_sub_units_and_respects_leading_only(officer, officer2, unit, sub_unit, make_user):
    make_user(Role.CADRE, username="sub-cadre", unit=sub_unit)
    make_user(Role.CADRE, username="sub-leader", unit=sub_unit, is_leading_cadre=True)
    everyone = in_force(author=officer, approver=officer2, audience_units=[unit], unit=unit)
    leaders = in_force(author=officer, approver=officer2, audience_units=[unit], audience_leading_only=True, unit=unit)
    assert owing(everyone.current_version) == {"sub-cadre", "sub-leader"}
    assert owing(leaders.current_version) == {"sub-leader"}


def test_sql_audience_agrees_with_applies_to(officer, officer2, unit, sub_unit, other_unit, make_user):
    people = [
        make_user(Role.CADRE, unit=unit),
        make_user(Role.CADRE, unit=sub_unit, is_leading_cadre=True),
        make_user(Role.LIAISON, unit=other_unit),
        make_user(Role.CADRE, unit=other_unit, is_leading_cadre=True),
    ]
    rules = [
        in_force(author=officer, approver=officer2, unit=unit),
        in_force(author=officer, approver=officer2, audience_units=[sub_unit], unit=unit),
        in_force(author=officer, approver=officer2, audience_units=[unit, other_unit], unit=unit),
        in_force(author=officer, approver=officer2, audience_leading_only=True, unit=unit),
    ]
    for rule in rules:
        sql = set(audience_users(rule).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
        assert sql == {p.pk for p in people if applies_to(p, rule)}, rule.code
    for person in people:
        assert set(rules_applying_to(person)) == {r for r in rules if applies_to(person, r)}


def test_a_new_version_asks_again_and_the_assignment_carries_over(rule, assignment, cadre, officer, officer2):
    services.acknowledge(version=rule.current_version, actor=cadre)
    new = amended(rule, author=officer, approver=officer2)
    assert Acknowledgement.objects.get(user=cadre, version=new).acknowledged_at is None
    assignment.refresh_from_db()
    assert assignment.version == new and assignment.status == AssignmentStatus.ACTIVE
    assert assignment.units.filter(is_active=True).count() == 2
    assert assignment.history.first().history_change_reason == f"Carried over to version {new.number}"


def test_abolition_ends_the_assignment_and_cancels_open_tasks(rule, assignment, unit, liaison, officer):
    done = task(rule, officer=officer, unit=unit, owner=liaison)
    services.task_mark_done(task=done, actor=liaison)
    services.task_accept(task=done, actor=officer)
    open_task = task(rule, officer=officer, unit=unit, owner=liaison)
    committed(rule_services.rule_abolish, rule=rule, actor=officer, reason="Replaced by the 2026 rules")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ENDED and assignment.ended_at is not None
    assert "Replaced by the 2026 rules" in assignment.end_reason
    assert Task.objects.get(pk=open_task.pk).state == TaskState.CANCELLED
    assert Task.objects.get(pk=done.pk).state == TaskState.ACCEPTED
    assert assignment.units.count() == 2  # kept, not deleted


def test_expiry_ends_the_assignment(officer, officer2, unit):
    rule = in_force(author=officer, approver=officer2, unit=unit)
    assigned(rule, officer=officer, lead=UnitFactory())
    today = timezone.localdate()
    RuleVersion.objects.filter(pk=rule.current_version_id).update(
        effective_from=today - timedelta(days=10), expires_on=today - timedelta(days=1)
    )
    assert committed(rule_services.expire_due_rules) == 1
    rule.assignment.refresh_from_db()
    assert rule.assignment.status == AssignmentStatus.ENDED
