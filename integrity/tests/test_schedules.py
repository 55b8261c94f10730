"""Periodic schedules: declared in integrity/schedules.py, kept in the database for admins to change."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django_celery_beat.models import PeriodicTask

from integrity import schedules
from integrity.celery import app
from integrity.demo import seed_demo_schedules

pytestmark = pytest.mark.django_db


def test_every_declared_schedule_is_in_the_database_after_migrate():
    for schedule in schedules.SCHEDULES:
        row = PeriodicTask.objects.select_related("crontab").get(name=schedule.name)
        assert row.task == schedule.task
        assert row.enabled
        assert row.crontab.minute == schedule.crontab["minute"]
        assert row.crontab.hour == schedule.crontab["hour"]
    assert PeriodicTask.objects.get(name="integrity.reminder-sweep").crontab.hour == "7"


def test_every_declared_task_exists():
    app.loader.import_default_modules()
    for schedule in [*schedules.SCHEDULES, *schedules.DEMO_SCHEDULES]:
        assert schedule.task in app.tasks, schedule.task


def test_a_time_changed_in_admin_survives_the_next_migrate():
    row = PeriodicTask.objects.select_related("crontab").get(name="integrity.daily-digest")
    row.crontab.hour = "18"
    row.crontab.save()
    row.enabled = False
    row.save()
    schedules.sync_schedules_after_migrate(sender=None, apps=apps)
    row.refresh_from_db()
    assert row.crontab.hour == "18"
    assert row.enabled is False


def test_a_schedule_declared_later_appears_after_migrate_without_a_migration():
    new = schedules.Schedule(
        name="rules.bring-into-force", task="rules.tasks.x", crontab={"minute": "5", "hour": "0"}, kwargs={"a": 1}
    )
    schedules.register_schedule(new)
    try:
        with pytest.raises(ValueError, match="already declared"):
            schedules.register_schedule(new)
        schedules.sync_schedules_after_migrate(sender=None, apps=apps)
        row = PeriodicTask.objects.get(name="rules.bring-into-force")
        assert (row.crontab.minute, row.crontab.hour, json.loads(row.kwargs)) == ("5", "0", {"a": 1})
    finally:
        schedules.SCHEDULES.remove(new)


def test_a_schedule_needs_exactly_one_timing():
    with pytest.raises(ValueError, match="exactly one"):
        schedules.Schedule(name="x", task="y")
    with pytest.raises(ValueError, match="exactly one"):
        schedules.Schedule(name="x", task="y", crontab={"minute": "0"}, every=timedelta(minutes=1))


def test_the_demo_sweeps_every_minute():
    seed_demo_schedules()
    seed_demo_schedules()  # idempotent
    row = PeriodicTask.objects.select_related("interval").get(name="demo.reminder-sweep-every-minute")
    assert (row.interval.every, row.interval.period) == (1, "minutes")
    assert row.task == "integrity.tasks.run_reminder_sweep"
    assert PeriodicTask.objects.filter(name="demo.reminder-sweep-every-minute").count() == 1
