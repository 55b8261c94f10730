from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability import services
from accountability.models import (
    Acknowledgement,
    Assignment,
    ProgressReport,
    ResponsibleUnit,
    Task,
    TaskState,
    TaskTransition,
    UnitRole,
)
from accountability.transitions import TaskTransitionError
from integrity.models import Notification
from integrity.roles import Role
from integrity.services import ServiceError
from integrity.tests.factories import UnitFactory

from .factories import amended, assigned, in_force, pdf, task

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# --- assignment ------------------------------------------------------------------------------


def test_assigning_names_lead_and_co_units_with_their_top_leaders(rule, assignment, unit, sub_unit, leader, officer):
    units = {r.unit: r for r in assignment.units.all()}
    assert units[unit].role == UnitRole.LEAD and units[unit].responsible_person == leader
    assert units[sub_unit].role == UnitRole.CO_RESPONSIBLE and units[sub_unit].responsible_person is None
    assert assignment.supervisor == officer and assignment.version == rule.current_version
    assert Notification.objects.filter(recipient=leader, subject__contains=rule.code).exists()
    assert assignment.history.first().history_user == officer


def test_reassigning_swaps_the_lead_and_keeps_removed_units(rule, assignment, unit, sub_unit, other_unit, officer):
    services.rule_assign(rule=rule, actor=officer, lead_unit=sub_unit, co_units=[other_unit], supervisor=officer)
    active = {r.unit: r.role for r in ResponsibleUnit.objects.filter(assignment=assignment, is_active=True)}
    assert active == {sub_unit: UnitRole.LEAD, other_unit: UnitRole.CO_RESPONSIBLE}
    removed = ResponsibleUnit.objects.get(assignment=assignment, unit=unit)
    assert not removed.is_active and removed.removed_at is not None
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize(
    "case,message",
    [
        ("lead_in_co", "both the lead unit and a co-responsible unit"),
        ("cadre_actor", "Only discipline officers assign"),
        ("cadre_supervisor", "supervising officer must be an active discipline officer"),
    ],
)
def test_bad_assignments_are_refused_and_change_nothing(rule, unit, officer, cadre, case, message):
    kwargs = {"rule": rule, "actor": officer, "lead_unit": unit, "co_units": [], "supervisor": officer}
    if case == "lead_in_co":
        kwargs["co_units"] = [unit]
    elif case == "cadre_actor":
        kwargs["actor"] = cadre
    else:
        kwargs["supervisor"] = cadre
    with pytest.raises(ServiceError, match=message):
        services.rule_assign(**kwargs)
    assert not Assignment.objects.exists()


def test_only_a_rule_in_force_can_be_assigned(officer, unit):
    from rules.tests.factories import draft_rule

    draft = draft_rule(author=officer)
    with pytest.raises(ServiceError, match="Only a rule in force can be assigned"):
        assigned(draft, officer=officer, lead=unit)


def test_responsible_person_change_needs_a_reason_and_a_member(assignment, unit, cadre, other_liaison, officer):
    responsible = assignment.units.get(unit=unit)
    with pytest.raises(ServiceError, match="Say why"):
        services.responsible_person_change(responsible=responsible, person=cadre, reason=" ", actor=officer)
    with pytest.raises(ServiceError, match="active member of Finance Bureau"):
        services.responsible_person_change(responsible=responsible, person=other_liaison, reason="x", actor=officer)
    services.responsible_person_change(responsible=responsible, person=cadre, reason="Leader on leave", actor=officer)
    responsible.refresh_from_db()
    assert responsible.responsible_person == cadre and responsible.person_reason == "Leader on leave"


# --- tasks ----------------------------------------------------------------------------------


def test_task_deadline_in_the_past_is_refused_and_nothing_created(rule, assignment, unit, liaison, officer):
    with pytest.raises(ServiceError, match="deadline cannot be in the past"):
        services.task_create(
            rule=rule,
            actor=officer,
            unit=unit,
            owner=liaison,
            description="Register",
            deadline=TODAY() - timedelta(days=1),
        )
    assert not Task.objects.exists()


def test_tasks_go_only_to_responsible_units_and_their_members(
    rule, assignment, unit, other_unit, other_liaison, officer
):
    with pytest.raises(ServiceError, match="not a responsible unit"):
        task(rule, officer=officer, unit=other_unit, owner=other_liaison)
    with pytest.raises(ServiceError, match="owner must be an active member"):
        task(rule, officer=officer, unit=unit, owner=other_liaison)
    assert not Task.objects.exists()


def test_liaisons_cannot_create_tasks(rule, assignment, unit, liaison):
    with pytest.raises(ServiceError, match="Only discipline officers create"):
        task(rule, officer=liaison, unit=unit, owner=liaison)


def test_full_task_life_report_done_return_done_accept(rule, assignment, unit, liaison, officer):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    assert Notification.objects.filter(recipient=liaison, subject__contains="New implementation task").exists()
    services.task_report(task=item, actor=liaison, percent=50, text="Half the register", evidence=pdf())
    services.task_mark_done(task=item, actor=liaison, text="Complete")
    with pytest.raises(TaskTransitionError, match="A reason is required"):
        services.task_return(task=item, actor=officer, reason="")
    services.task_return(task=item, actor=officer, reason="Third quarter missing")
    item.refresh_from_db()
    assert item.state == TaskState.RETURNED and item.return_reason == "Third quarter missing"
    services.task_report(task=item, actor=liaison, percent=90)
    services.task_mark_done(task=item, actor=liaison)
    services.task_accept(task=item, actor=officer)
    item.refresh_from_db()
    assert (item.state, item.percent, item.is_closed) == (TaskState.ACCEPTED, 100, True)
    steps = list(TaskTransition.objects.filter(task=item).values_list("to_state", flat=True))
    assert steps == ["open", "in_progress", "submitted", "returned", "in_progress", "submitted", "accepted"]
    assert item.reports.count() == 4 and item.reports.filter(marks_done=True).count() == 2
    assert item.history.filter(history_user=officer).exists()
    with pytest.raises(TaskTransitionError, match="accepted; it is closed"):
        services.task_report(task=item, actor=liaison, percent=10)


@pytest.mark.parametrize("percent", [101, -1, None])
def test_progress_outside_0_to_100_is_refused_and_nothing_changes(rule, assignment, unit, liaison, officer, percent):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    with pytest.raises(ServiceError, match="from 0 to 100"):
        services.task_report(task=item, actor=liaison, percent=percent)
    item.refresh_from_db()
    assert (item.state, item.percent, item.reports.count()) == (TaskState.OPEN, 0, 0)


@pytest.mark.parametrize(
    "upload,message",
    [
        (pdf(size=10 * 1024 * 1024 + 1), "files can be at most 10.0"),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "not accepted"),
        (SimpleUploadedFile("fake.pdf", b"not a pdf"), "does not match"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(rule, assignment, unit, liaison, officer, upload, message):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    with pytest.raises(ServiceError, match=message):
        services.task_report(task=item, actor=liaison, percent=30, evidence=upload)
    item.refresh_from_db()
    assert (item.state, item.reports.count()) == (TaskState.OPEN, 0)


def test_two_reporters_append_and_never_overwrite(rule, assignment, unit, liaison, cadre, officer):
    item = task(rule, officer=officer, unit=unit, owner=cadre)
    services.task_report(task=item, actor=cadre, percent=30, text="Owner's view")
    services.task_report(task=item, actor=liaison, percent=40, text="Liaison's view")
    texts = sorted(ProgressReport.objects.filter(task=item).values_list("text", flat=True))
    assert texts == ["Liaison's view", "Owner's view"]


def test_reporting_on_another_units_task_is_refused(rule, assignment, unit, liaison, other_liaison, officer):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    with pytest.raises(TaskTransitionError, match="Only the task's owner and the liaisons of Finance Bureau"):
        services.task_report(task=item, actor=other_liaison, percent=10)
    with pytest.raises(TaskTransitionError, match="Only the task's owner"):
        services.task_report(task=item, actor=officer, percent=10)
    assert item.reports.count() == 0


def test_only_officers_accept(rule, assignment, unit, liaison, officer):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    services.task_mark_done(task=item, actor=liaison)
    with pytest.raises(TaskTransitionError, match="Only discipline officers accept"):
        services.task_accept(task=item, actor=liaison)
    item.refresh_from_db()
    assert item.state == TaskState.SUBMITTED


def test_a_stale_second_move_is_refused(rule, assignment, unit, liaison, officer, officer2):
    item = task(rule, officer=officer, unit=unit, owner=liaison)
    services.task_mark_done(task=item, actor=liaison)
    services.task_accept(task=item, actor=officer)
    with pytest.raises(TaskTransitionError, match="accepted; it is closed"):
        services.task_return(task=item, actor=officer2, reason="Too late")  # `item` still says submitted


# --- acknowledgements -----------------------------------------------------------------------


def test_acknowledging_twice_keeps_one_record(rule, cadre):
    first = services.acknowledge(version=rule.current_version, actor=cadre)
    again = services.acknowledge(version=rule.current_version, actor=cadre)
    assert first.pk == again.pk and again.acknowledged_at == first.acknowledged_at
    assert Acknowledgement.objects.filter(user=cadre).count() == 1


def test_acknowledging_outside_the_audience_is_refused(rule, other_liaison):
    with pytest.raises(ServiceError, match="does not apply to you"):
        services.acknowledge(version=rule.current_version, actor=other_liaison)
    assert not Acknowledgement.objects.filter(user=other_liaison).exists()


def test_acknowledging_a_version_not_in_force_is_refused(rule, cadre, officer, officer2):
    old = rule.current_version
    amended(rule, author=officer, approver=officer2)
    old.refresh_from_db()
    with pytest.raises(ServiceError, match="not in force"):
        services.acknowledge(version=old, actor=cadre)
    assert Acknowledgement.objects.get(user=cadre, version=old).acknowledged_at is None


def test_a_newcomer_can_acknowledge_without_an_owed_row(rule, make_user, unit):
    newcomer = make_user(Role.CADRE, username="newcomer", unit=unit)
    record = services.acknowledge(version=rule.current_version, actor=newcomer)
    assert record.acknowledged_at is not None and record.rule == rule


def test_campaign_adds_owed_rows_for_newcomers(rule, make_user, unit, officer):
    newcomer = make_user(Role.CADRE, username="newcomer", unit=unit)
    campaign = services.campaign_start(
        actor=officer, title="Spring", deadline=TODAY() + timedelta(days=7), rules=[rule], units=[unit]
    )
    assert list(campaign.rules.all()) == [rule]
    assert Acknowledgement.objects.filter(user=newcomer, version=rule.current_version).exists()


@pytest.mark.parametrize(
    "change,message",
    [
        ({"deadline": TODAY() - timedelta(days=1)}, "deadline cannot be in the past"),
        ({"units": []}, "at least one unit"),
        ({"rules": []}, "at least one rule"),
    ],
)
def test_bad_campaigns_are_refused(rule, unit, officer, change, message):
    kwargs = {"actor": officer, "title": "T", "deadline": TODAY(), "rules": [rule], "units": [unit], **change}
    with pytest.raises(ServiceError, match=message):
        services.campaign_start(**kwargs)


def test_campaign_refuses_a_rule_not_in_force(officer, unit, rule):
    from rules.tests.factories import draft_rule

    draft = draft_rule(author=officer, unit=UnitFactory())
    with pytest.raises(ServiceError, match="not in force"):
        services.campaign_start(actor=officer, title="T", deadline=TODAY(), rules=[rule, draft], units=[unit])


def test_acknowledgements_owe_is_idempotent(rule):
    version = rule.current_version
    count = Acknowledgement.objects.filter(version=version).count()
    assert services.acknowledgements_owe(version=version) == count
    assert Acknowledgement.objects.filter(version=version).count() == count


def test_in_force_rule_for_everyone_counts_people_with_a_unit(officer, officer2, cadre, make_user):
    make_user(Role.CADRE, username="no-unit", unit=None)
    rule = in_force(author=officer, approver=officer2)
    owing = set(Acknowledgement.objects.filter(version=rule.current_version).values_list("user__username", flat=True))
    assert "cadre-a" in owing and "no-unit" not in owing
