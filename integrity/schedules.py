"""Every periodic schedule of the product, declared in one place.

Celery beat runs with django-celery-beat's DatabaseScheduler: the schedules live in the
database (``PeriodicTask`` rows) so that an administrator can change a time in Django admin.
This module is the one declaration those rows come from:

* ``SCHEDULES`` lists the schedules of the organisation layer; a higher app adds its own from
  its ``AppConfig.ready()`` with ``register_schedule(Schedule(...))`` (the layers import only to
  their left, so this module cannot list theirs).
* Migration ``0004_periodic_schedules`` creates the rows that existed when it was written
  (a frozen copy, so the migration never changes meaning when this file does).
* After every ``migrate``, ``sync_schedules_after_migrate`` creates the row of any declared
  schedule that is still missing — so a new entry appears without writing a migration.
  It never touches a row that exists: times changed by an administrator, or a schedule they
  disabled, stay as they are. To change the time of an existing schedule on every deployment,
  write a data migration (or change it in admin).

``DEMO_SCHEDULES`` are created only by ``seed_demo`` (a sweep every minute, so the embedded
run shows reminders in the inbox within a minute).
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Schedule:
    """One periodic task: a unique name, the task path and either a crontab or an interval."""

    name: str
    task: str
    crontab: dict | None = None  # {"minute": "0", "hour": "7", "day_of_week": "*"}, in settings.TIME_ZONE
    every: timedelta | None = None
    kwargs: dict = field(default_factory=dict)
    description: str = ""

    def __post_init__(self):
        if (self.crontab is None) == (self.every is None):
            raise ValueError(f"Schedule {self.name!r} needs exactly one of crontab or every.")


SCHEDULES: list[Schedule] = [
    Schedule(
        name="integrity.reminder-sweep",
        task="integrity.tasks.run_reminder_sweep",
        crontab={"minute": "0", "hour": "7"},
        description="Send every reminder that has come due, for all registered occasions (catches up missed days).",
    ),
    Schedule(
        name="integrity.daily-digest",
        task="integrity.tasks.send_daily_digests",
        crontab={"minute": "0", "hour": "8"},
        description="One e-mail per person who chose the daily digest, with all their new messages.",
    ),
]

DEMO_SCHEDULES: list[Schedule] = [
    Schedule(
        name="demo.reminder-sweep-every-minute",
        task="integrity.tasks.run_reminder_sweep",
        every=timedelta(minutes=1),
        description="Demo only (seed_demo): sweep reminders every minute.",
    ),
]


def register_schedule(schedule: Schedule) -> Schedule:
    """Declare a periodic schedule (call from AppConfig.ready()); its row is created after migrate."""
    if any(s.name == schedule.name for s in SCHEDULES):
        raise ValueError(f"A schedule named {schedule.name!r} is already declared.")
    SCHEDULES.append(schedule)
    return schedule


def _interval(apps, every: timedelta):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    seconds = int(every.total_seconds())
    for period, size in (("days", 86400), ("hours", 3600), ("minutes", 60), ("seconds", 1)):
        if seconds % size == 0:
            return interval_model.objects.get_or_create(every=seconds // size, period=period)[0]
    raise ValueError(every)


def _crontab(apps, spec: dict):
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    values = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
    values.update(spec)
    return crontab_model.objects.get_or_create(timezone=settings.TIME_ZONE, **values)[0]


def ensure_schedules(apps, schedules) -> list[str]:
    """Create the PeriodicTask row of each schedule that has none; existing rows are left alone.

    Takes an app registry (the migration's, or django.apps.apps) so migrations can call it.
    Returns the names created.
    """
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    existing = set(task_model.objects.filter(name__in=[s.name for s in schedules]).values_list("name", flat=True))
    created = []
    for schedule in schedules:
        if schedule.name in existing:
            continue
        task_model.objects.create(
            name=schedule.name,
            task=schedule.task,
            kwargs=json.dumps(schedule.kwargs),
            description=schedule.description,
            crontab=_crontab(apps, schedule.crontab) if schedule.crontab else None,
            interval=_interval(apps, schedule.every) if schedule.every else None,
        )
        created.append(schedule.name)
    if created:
        # Tell a running beat to reload (signals do not fire for historical models).
        apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )
    return created


def sync_schedules_after_migrate(sender, apps=None, using="default", **kwargs):
    """post_migrate: create the rows of schedules declared since the last migrate."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    try:
        registry.get_model("django_celery_beat", "PeriodicTask")
    except LookupError:
        return
    ensure_schedules(registry, SCHEDULES)
