"""Execution-side reminders: tasks, acknowledgement campaigns, versions coming into force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accountability import services
from accountability.models import Task
from accountability.tests.factories import task
from integrity.models import Notification
from integrity.reminders.sweep import reminder_sweep

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def sent(occasion, person=None):
    qs = Notification.objects.filter(occasion=occasion)
    return qs.filter(recipient=person) if person else qs


def test_overdue_task_escalates_from_owner_to_liaison_to_top_leader(
    rule, assignment, officer, unit, cadre, liaison, leader
):
    item = task(rule, officer=officer, unit=unit, owner=cadre, days=5)
    Task.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - DAY)
    now = timezone.now()
    reminder_sweep(occasion="task_due", now=now)
    assert (sent("task_due", cadre).count(), sent("task_due", liaison).count(), sent("task_due", leader).count()) == (
        1,
        0,
        0,
    )
    reminder_sweep(occasion="task_due", now=now + 3 * DAY)
    assert sent("task_due", liaison).count() == 1 and sent("task_due", leader).count() == 0
    reminder_sweep(occasion="task_due", now=now + 10 * DAY)
    assert sent("task_due", leader).count() == 1
    reminder_sweep(occasion="task_due", now=now + 10 * DAY)
    assert sent("task_due").count() == 3  # nothing twice
    # each message links to the task (built when sent, once per task)
    assert set(sent("task_due").values_list("url", flat=True)) == {item.get_absolute_url()}


def test_a_task_marked_done_is_not_chased(rule, assignment, officer, unit, cadre):
    item = task(rule, officer=officer, unit=unit, owner=cadre, days=1)
    services.task_mark_done(task=item, actor=cadre, text="Done")
    reminder_sweep(occasion="task_due", now=timezone.now() + 5 * DAY)
    assert not sent("task_due").exists()


def test_acknowledgement_campaign_reminds_each_person_and_the_liaison(rule, officer, unit, cadre, liaison, leader):
    services.campaign_start(
        actor=officer, title="Gift rules", deadline=timezone.localdate() + 5 * DAY, rules=[rule], units=[unit]
    )
    services.acknowledge(version=rule.current_version, actor=leader)
    reminder_sweep(occasion="acknowledgement_pending")
    reminder_sweep(occasion="acknowledgement_unit_summary")
    assert sent("acknowledgement_pending", cadre).count() == 1
    assert not sent("acknowledgement_pending", leader).exists()  # already acknowledged
    summary = sent("acknowledgement_unit_summary", liaison).get()
    assert "still owe" in summary.subject
    reminder_sweep(occasion="acknowledgement_pending")
    assert (
        sent("acknowledgement_pending").count()
        == sent("acknowledgement_pending").values("recipient").distinct().count()
    )


def test_audience_is_told_when_a_version_comes_into_force(rule, cadre, leader):
    reminder_sweep(occasion="version_in_force")
    notice = sent("version_in_force", cadre).get()
    assert rule.code in notice.subject and "acknowledge" in notice.subject
    services.acknowledge(version=rule.current_version, actor=leader)
    assert sent("version_in_force", leader).count() <= 1
    reminder_sweep(occasion="version_in_force")
    assert sent("version_in_force", cadre).count() == 1
