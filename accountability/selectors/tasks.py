"""Read-side queries of implementation tasks: lists, counts, transitions."""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Q,
)
from django.utils import timezone

from integrity.baked import baked
from integrity.roles import role_of
from integrity.selectors import counts_by, grouped

from ..models import (
    CLOSED_STATES,
    Assignment,
    Task,
    TaskState,
    TaskTransition,
)
from ..permissions import (
    can,
    tasks_visible_to,
)

TASK_SORTS = {
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "unit": ("unit__path", "deadline", "pk"),
    "rule": ("rule__code", "deadline", "pk"),
    "state": ("state", "deadline", "pk"),
    "-updated": ("-updated_at", "-pk"),
}


@dataclass
class TaskFilters:
    q: str = ""
    state: str = ""
    overdue: bool = False
    unit: int | None = None
    rule: str = ""
    mine: bool = False
    supervised: bool = False
    sort: str = "deadline"


def task_list(*, actor, filters: TaskFilters, today: date | None = None):
    """Tasks the actor may see, filtered and sorted; overdue = deadline passed and not accepted."""
    qs = tasks_visible_to(actor)
    if filters.state == "open_all":
        qs = qs.not_closed()
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.overdue(today)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.rule:
        qs = qs.filter(rule__code=filters.rule)
    if filters.mine:
        qs = qs.filter(owner=actor)
    if filters.supervised:
        qs = qs.filter(rule_id__in=rules_supervised_by(actor))
    if filters.q:
        qs = qs.filter(Q(description__icontains=filters.q) | Q(rule__code__icontains=filters.q))
    if not can(actor, "view_all_tasks"):
        qs = _as_known_rows(qs)
    qs = qs.select_related("rule", "unit", "owner", "article")
    return qs.order_by(*TASK_SORTS.get(filters.sort, TASK_SORTS["deadline"]))


def rules_supervised_by(actor):
    """The ids of the rules whose implementation the actor supervises, as a subquery: a semi-join,
    which neither repeats a task nor passes through the rules table."""
    return Assignment.objects.filter(supervisor=actor).values("rule_id")


def _as_known_rows(qs, limit: int = 2000):
    """The same rows, named by primary key when they are few (a person's or a unit's tasks).

    PostgreSQL cannot tell how many tasks a list of units holds; guessing "many", it walks the whole
    table in the list's order and filters row by row. Reading the few matching ids first (through
    the unit and owner indexes) lets it sort just those. Above `limit` rows the query stays as it was.
    """
    ids = list(qs.order_by().values_list("pk", flat=True)[: limit + 1])
    if len(ids) > limit:
        return qs
    return qs.model.objects.filter(pk__in=ids)


def task_reports(*, task):
    return task.reports.select_related("author").order_by("-created_at", "-pk")


@baked
def _task_transitions_of(*, task_id):
    return TaskTransition.objects.filter(task_id=task_id).select_related("actor").order_by("at", "pk")


def task_transitions(*, task) -> list:
    transitions = _task_transitions_of.list(task_id=task.pk)
    for transition in transitions:
        transition.task = task  # as task.transitions.all() sets it
    return transitions


def tasks_due(*, start: date, end: date):
    """Tasks still being worked on whose deadline falls in [start, end] (for reminders: query a window)."""
    return Task.objects.due_between(start, end).select_related("rule", "unit", "owner")


def tasks_overdue(*, today: date | None = None):
    """Tasks past their deadline and not accepted (for reminders and escalation)."""
    return Task.objects.overdue(today).select_related("rule", "unit", "owner")


_COUNTED_STATES = {TaskState.SUBMITTED: "submitted", TaskState.RETURNED: "returned", TaskState.ACCEPTED: "accepted"}


def task_counts(qs, today: date | None = None) -> dict:
    """Counts by state (and overdue) in one statement: the tasks grouped by state and whether their
    deadline has passed (a dozen rows at most), added up here. (Six filtered counts in one aggregate
    gave the same figures, and took longer to build than to run.)"""
    today = today or timezone.localdate()
    return _added_up(counts_by(qs, "state", late=Q(deadline__lt=today)))


@baked
def _owned_tasks_by_state(*, owner_id, today):
    return grouped(Task.objects.filter(owner_id=owner_id), "state", late=Q(deadline__lt=today))


def owned_task_counts(*, user) -> dict:
    """task_counts of the tasks the person owns (every one of them is visible to them: tasks_visible_to
    adds their own), through a baked query."""
    if getattr(user, "pk", None) is None or role_of(user) is None:
        return _added_up([])
    return _added_up(_owned_tasks_by_state.list(owner_id=user.pk, today=timezone.localdate()))


def _added_up(rows) -> dict:
    counts = dict.fromkeys(("total", "open", "overdue", *_COUNTED_STATES.values()), 0)
    for row in rows:
        n = row["n"]
        counts["total"] += n
        if row["state"] not in CLOSED_STATES:
            counts["open"] += n
            counts["overdue"] += n if row["late"] else 0
        if row["state"] in _COUNTED_STATES:
            counts[_COUNTED_STATES[row["state"]]] += n
    return counts
