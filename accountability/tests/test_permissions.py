"""Who may do what, as a matrix: each person × each action, through the permission functions and
through HTTP (where a refused write must also change nothing)."""

import pytest
from django.http import Http404

from accountability import services
from accountability.models import ProgressReport, Task, TaskState
from accountability.permissions import (
    ROLE_ACTIONS,
    can,
    get_task_for,
    why_not_acknowledge,
    why_not_assign,
    why_not_report,
    why_not_review,
)
from integrity.roles import Role

from .factories import task

pytestmark = pytest.mark.django_db

ACTIONS = ["assign", "create_task", "see_task", "report", "review", "acknowledge", "run_campaign"]
EXPECTED = {
    "admin": {"assign", "create_task", "see_task", "review", "run_campaign"},
    "officer": {"assign", "create_task", "see_task", "review", "run_campaign"},
    "liaison": {"see_task", "report", "acknowledge"},
    "owner": {"see_task", "report", "acknowledge"},
    "cadre": {"see_task", "acknowledge"},  # same unit, not the owner: sees, does not report
    "leader": {"see_task", "acknowledge"},  # the top leader follows the task, the unit reports
    "sub_liaison": {"acknowledge"},  # liaison of a sub-unit: not their unit's task
    "other_liaison": set(),  # another unit altogether
}


@pytest.fixture
def people(admin_user, officer, liaison, cadre, leader, make_user, unit, sub_unit, other_liaison):
    return {
        "admin": admin_user,
        "officer": officer,
        "liaison": liaison,
        "owner": make_user(Role.CADRE, username="owner-a", unit=unit),
        "cadre": cadre,
        "leader": leader,
        "sub_liaison": make_user(Role.LIAISON, username="liaison-sub", unit=sub_unit),
        "other_liaison": other_liaison,
    }


@pytest.fixture
def matrix_task(people, rule, assignment, unit, officer):
    services.acknowledgements_owe(version=rule.current_version)
    return task(rule, officer=officer, unit=unit, owner=people["owner"])


def allowed(person, action, rule, item):
    if action == "assign":
        return why_not_assign(person, rule) is None
    if action == "create_task":
        return can(person, "create_task")
    if action == "see_task":
        try:
            get_task_for(person, item.pk)
        except Http404:
            return False
        return True
    if action == "report":
        return why_not_report(person, item) is None
    if action == "review":
        return why_not_review(person, item) is None
    if action == "acknowledge":
        return why_not_acknowledge(person, rule.current_version) is None
    return can(person, action)


@pytest.mark.parametrize("persona", list(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
def test_person_action_matrix(people, rule, matrix_task, persona, action):
    assert allowed(people[persona], action, rule, matrix_task) is (action in EXPECTED[persona])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(ROLE_ACTIONS))
def test_role_table(make_user, role, action):
    managers_only = {
        "assign_rule",
        "create_task",
        "review_task",
        "view_all_tasks",
        "view_supervised",
        "run_campaign",
        "view_campaigns",
        "view_rule_completion",
    }
    expected = role in (Role.ADMIN, Role.OFFICER) or action not in managers_only
    assert can(make_user(role), action) is expected


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_reporting_over_http_only_by_owner_and_own_liaison(client, people, matrix_task, persona):
    client.force_login(people[persona])
    response = client.post(f"/tasks/{matrix_task.pk}/report/", {"percent": 20, "text": "progress"})
    created = ProgressReport.objects.filter(task=matrix_task).exists()
    if "report" in EXPECTED[persona]:
        assert response.status_code == 302 and created
    else:
        assert response.status_code in (400, 404) and not created
        assert Task.objects.get(pk=matrix_task.pk).state == TaskState.OPEN
        if response.status_code == 400:
            assert "report on this task" in response.content.decode() or "cannot report" in response.content.decode()


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_accepting_over_http_only_by_officers(client, people, matrix_task, persona):
    services.task_mark_done(task=matrix_task, actor=people["owner"])
    client.force_login(people[persona])
    response = client.post(f"/tasks/{matrix_task.pk}/accept/")
    state = Task.objects.get(pk=matrix_task.pk).state
    assert state == (TaskState.ACCEPTED if "review" in EXPECTED[persona] else TaskState.SUBMITTED)
    assert response.status_code in (302, 404)


def test_nobody_acknowledges_for_someone_else(client, people, rule):
    """The acknowledge endpoint has no "user" parameter: whatever is posted, it records the sender only."""
    client.force_login(people["liaison"])
    version = rule.current_version
    client.post(f"/my/rules/{rule.code}/acknowledge/", {"version": version.pk, "user": people["cadre"].pk})
    done = set(version.acknowledgements.filter(acknowledged_at__isnull=False).values_list("user_id", flat=True))
    assert done == {people["liaison"].pk}
