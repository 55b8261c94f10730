"""Reminder occasions of the execution layer: tasks, acknowledgements, versions coming into force."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from integrity.links import lazy_link
from integrity.models import User
from integrity.reminders import Escalation, Occasion, ReminderItem, batched, object_key
from integrity.roles import Role

from .models import Acknowledgement, Campaign, Task, TaskState

# Versions that came into force more than this many days ago are no longer announced.
ANNOUNCE_WINDOW_DAYS = 7


def liaisons_by_unit(unit_ids):
    """{unit id: [liaisons]} in one query."""
    found = defaultdict(list)
    for person in User.objects.filter(is_active=True, groups__name=Role.LIAISON.value, unit_id__in=set(unit_ids)):
        found[person.unit_id].append(person)
    return found


def task_due_items(window):
    """Tasks the unit still works on, due soon or overdue: owner, then liaison, then top leader.

    Rows are read as values and the people loaded once per batch (the liaisons once per unit),
    so a batch costs at most three queries and no model instance per task."""
    qs = (
        Task.objects.not_closed()
        .exclude(state=TaskState.SUBMITTED)  # done, waiting for the officer: nothing to chase
        .filter(**window.due_dates("deadline"))
        .values("pk", "deadline", "description", "owner_id", "unit_id", "unit__top_leader_id", "rule__code")
    )
    liaisons = {}
    for tasks in batched(qs, window.batch_size):
        new_units = {t["unit_id"] for t in tasks} - liaisons.keys()
        if new_units:
            found = liaisons_by_unit(new_units)
            liaisons.update({unit_id: found[unit_id] for unit_id in new_units})
        people = User.objects.in_bulk(
            {t["owner_id"] for t in tasks} | {t["unit__top_leader_id"] for t in tasks if t["unit__top_leader_id"]}
        )
        yield [
            ReminderItem(
                key=object_key(Task, pk=task["pk"]),
                due=task["deadline"],
                title=f"{task['rule__code']} · {task['description'][:80]}",
                url=lazy_link("accountability:task", pk=task["pk"]),
                recipients={
                    "primary": [people[task["owner_id"]]] if task["owner_id"] else liaisons[task["unit_id"]],
                    "liaison": liaisons[task["unit_id"]],
                    "top_leader": [people[task["unit__top_leader_id"]]] if task["unit__top_leader_id"] else [],
                },
            )
            for task in tasks
        ]


TASK_DUE = Occasion(
    code="task_due",
    label=_("Implementation task due"),
    items=task_due_items,
    before_days=(30, 7, 1),
    escalations=(
        Escalation("overdue"),
        Escalation("escalate-1", after_days=3, to="liaison"),
        Escalation("escalate-2", after_days=10, to="top_leader"),
    ),
    description=_("The task's owner before the deadline; then the unit's liaison and top leader."),
)


def _open_campaigns(window):
    today = timezone.localdate()
    return list(Campaign.objects.filter(deadline__gte=today, deadline__lte=window.due_until_date).order_by("pk"))


def _pending_in(campaign):
    from .selectors import acknowledgements_pending

    return acknowledgements_pending(campaign=campaign)


def acknowledgement_pending_items(window):
    """Each person who still owes acknowledgements in a campaign, before its deadline."""
    for campaign in _open_campaigns(window):
        owed = _pending_in(campaign).values("user_id").annotate(n=Count("pk")).order_by("user_id")
        for rows in batched(owed, window.batch_size, key="user_id"):
            people = User.objects.in_bulk([r["user_id"] for r in rows])
            yield [
                ReminderItem(
                    key=f"{object_key(campaign)}:user:{row['user_id']}",
                    due=campaign.deadline,
                    title=ngettext(
                        "%(campaign)s: %(count)d rule to acknowledge",
                        "%(campaign)s: %(count)d rules to acknowledge",
                        row["n"],
                    )
                    % {"campaign": campaign.title, "count": row["n"]},
                    url=reverse("accountability:my-rules") + "?state=pending",
                    recipients={"primary": [people[row["user_id"]]]},
                )
                for row in rows
            ]


def acknowledgement_unit_summary_items(window):
    """Per unit, for its liaisons: how many people there still owe acknowledgements in a campaign."""
    for campaign in _open_campaigns(window):
        by_unit = list(
            _pending_in(campaign)
            .values("user__unit_id", "user__unit__name")
            .annotate(people=Count("user_id", distinct=True))
        )
        liaisons = liaisons_by_unit(row["user__unit_id"] for row in by_unit)
        items = [
            ReminderItem(
                key=f"{object_key(campaign)}:unit:{row['user__unit_id']}",
                due=campaign.deadline,
                title=ngettext(
                    "%(campaign)s: %(count)d person in %(unit)s still owes acknowledgements",
                    "%(campaign)s: %(count)d people in %(unit)s still owe acknowledgements",
                    row["people"],
                )
                % {"campaign": campaign.title, "count": row["people"], "unit": row["user__unit__name"]},
                url=campaign.get_absolute_url(),
                recipients={"primary": liaisons[row["user__unit_id"]]},
            )
            for row in by_unit
            if liaisons[row["user__unit_id"]]
        ]
        for start in range(0, len(items), window.batch_size):
            yield items[start : start + window.batch_size]


ACKNOWLEDGEMENT_PENDING = Occasion(
    code="acknowledgement_pending",
    label=_("Acknowledgement pending"),
    items=acknowledgement_pending_items,
    before_days=(7, 1),
    escalations=(Escalation("overdue"),),
    description=_("Each person who still owes acknowledgements before a campaign's deadline."),
)
ACKNOWLEDGEMENT_UNIT_SUMMARY = Occasion(
    code="acknowledgement_unit_summary",
    label=_("Acknowledgements missing in my unit"),
    items=acknowledgement_unit_summary_items,
    before_days=(7, 1),
    escalations=(),
    description=_("The unit's liaison: how many people there still owe acknowledgements before a campaign's deadline."),
)


def version_in_force_items(window):
    """The audience of a version that came into force (recently): read it and acknowledge it."""
    today = timezone.localdate()
    qs = Acknowledgement.objects.filter(
        acknowledged_at__isnull=True,
        version__effective_from__gte=today - timedelta(days=ANNOUNCE_WINDOW_DAYS),
        version__effective_from__lte=window.due_until_date,
    ).values("pk", "user_id", "rule__code", "version__title", "version__number", "version__effective_from")
    for acks in batched(qs, window.batch_size):
        people = User.objects.in_bulk({ack["user_id"] for ack in acks})
        yield [
            ReminderItem(
                key=object_key(Acknowledgement, pk=ack["pk"]),
                due=ack["version__effective_from"],
                title=f"{ack['rule__code']} {ack['version__title']} (v{ack['version__number']})",
                url=lazy_link("rules:detail", code=ack["rule__code"]),
                recipients={"primary": [people[ack["user_id"]]]},
            )
            for ack in acks
        ]


def _in_force_subject(occasion, item, step, now):
    return _("Now in force, please read and acknowledge: %(title)s") % {"title": item.title}


def _in_force_body(occasion, item, step, now):
    return _("%(title)s is in force from %(date)s. Read it and confirm that you will abide by it.") % {
        "title": item.title,
        "date": item.due_date.isoformat(),
    }


VERSION_IN_FORCE = Occasion(
    code="version_in_force",
    label=_("New rule in force"),
    items=version_in_force_items,
    before_days=(0,),
    escalations=(),
    subject=_in_force_subject,
    body=_in_force_body,
    description=_("Everyone a rule applies to, on the day a version of it comes into force."),
)

OCCASIONS = [TASK_DUE, ACKNOWLEDGEMENT_PENDING, ACKNOWLEDGEMENT_UNIT_SUMMARY, VERSION_IN_FORCE]
