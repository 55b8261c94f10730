"""Create the periodic schedules (django-celery-beat rows) of the organisation layer.

A frozen copy of integrity/schedules.py as it was when this migration was written, so the
migration keeps its meaning when that file changes. Schedules declared later are created by
integrity.schedules.sync_schedules_after_migrate; existing rows (and an admin's changes to
their times) are never overwritten.
"""

import json

from django.conf import settings
from django.db import migrations
from django.utils import timezone

SCHEDULES = [
    {
        "name": "integrity.reminder-sweep",
        "task": "integrity.tasks.run_reminder_sweep",
        "crontab": {"minute": "0", "hour": "7"},
        "description": "Send every reminder that has come due, for all registered occasions (catches up missed days).",
    },
    {
        "name": "integrity.daily-digest",
        "task": "integrity.tasks.send_daily_digests",
        "crontab": {"minute": "0", "hour": "8"},
        "description": "One e-mail per person who chose the daily digest, with all their new messages.",
    },
]


def create_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for spec in SCHEDULES:
        if PeriodicTask.objects.filter(name=spec["name"]).exists():
            continue
        values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
        values.update(spec["crontab"])
        crontab = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **values)[0]
        PeriodicTask.objects.create(
            name=spec["name"],
            task=spec["task"],
            crontab=crontab,
            kwargs=json.dumps({}),
            description=spec["description"],
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=[s["name"] for s in SCHEDULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0003_reminders_preferences_calendar"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
