"""Read-side queries of assignments: responsible units, supervised rules, rules without units."""

from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import (
    Count,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from integrity.baked import baked
from integrity.models import Unit
from integrity.permissions import is_top_leader, led_unit_paths
from integrity.selectors import count_of, not_inactive
from rules.selectors import long_texts

from ..models import (
    CLOSED_STATES,
    Acknowledgement,
    Assignment,
    AssignmentStatus,
    ResponsibleUnit,
    Task,
    TaskState,
)
from ..permissions import (
    responsible_unit_paths,
)


@baked
def _assignment_with_supervisor(*, rule_id):
    return Assignment.objects.filter(rule_id=rule_id).select_related("supervisor").order_by("pk")


def rule_supervisor(*, rule_id):
    """The officer supervising the rule's implementation, or None."""
    assignment = _assignment_with_supervisor.first(rule_id=rule_id)
    return assignment.supervisor if assignment else None


@baked
def _assignment_of(*, rule_id):
    return (
        Assignment.objects.select_related("supervisor", "version")
        .defer(*long_texts(version="version"))
        .filter(rule_id=rule_id)
        .order_by("pk")
    )


def rule_assignment(*, rule):
    """The rule's assignment with its supervisor and covered version, or None."""
    assignment = _assignment_of.first(rule_id=rule.pk)
    if assignment is not None:
        assignment.rule = rule
    return assignment


def _units_of(assignment_id, active_only: bool):
    qs = ResponsibleUnit.objects.filter(assignment_id=assignment_id).select_related(
        "unit", "unit__top_leader", "responsible_person"
    )
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("-is_active", "-role", "unit__path")


_UNITS_OF = {
    active_only: baked(lambda *, assignment_id, active_only=active_only: _units_of(assignment_id, active_only))
    for active_only in (False, True)
}


def assignment_units(*, assignment, active_only: bool = True) -> list:
    """The assignment's responsible units (active first, the lead first), with their units and people."""
    if assignment is None:
        return []
    units = _UNITS_OF[bool(active_only)].list(assignment_id=assignment.pk)
    for responsible in units:
        responsible.assignment = assignment  # as assignment.units.all() sets it
    return units


def _open_task_filters(today=None) -> dict:
    """What each figure counts among a rule's (or a unit's) open tasks: all of them, those past their
    deadline, those awaiting acceptance. One definition for the correlated counts and the grouped ones."""
    today = today or timezone.localdate()
    return {
        "tasks_open": Q(),
        "tasks_overdue": Q(deadline__lt=today),
        "tasks_submitted": Q(state=TaskState.SUBMITTED),
    }


def _task_counts_for(outer_rule, today=None):
    """The figures of _open_task_filters as correlated counts, per row of the outer query's rule."""
    base = Task.objects.filter(rule_id=OuterRef(outer_rule)).exclude(state__in=CLOSED_STATES)
    return {name: count_of(base.filter(condition), "rule_id") for name, condition in _open_task_filters(today).items()}


def supervised_assignments(*, actor, status: str = AssignmentStatus.ACTIVE):
    """The rules the officer supervises, with task counts per rule (acknowledgements: a page at a time,
    with_acknowledgement_figures)."""
    return _supervised(actor.pk, status, timezone.localdate())


def _supervised(supervisor_id, status, today):
    qs = (
        Assignment.objects.filter(supervisor_id=supervisor_id)
        .select_related("rule", "version")
        .defer(*long_texts(rule="rule", version="version"))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        lead_unit=Subquery(
            ResponsibleUnit.objects.filter(assignment=OuterRef("pk"), is_active=True, role="lead")
            .order_by("unit__path")
            .values("unit__name")[:1]
        ),
        **_task_counts_for("rule_id", today),
    ).order_by("rule__code")


# The supervised rules' page, through baked queries: its first rows and their number.
_supervised_rows = baked(lambda *, supervisor_id, status, today: _supervised(supervisor_id, status, today))
_supervised_counted = baked(
    lambda *, supervisor_id, status: Assignment.objects.filter(supervisor_id=supervisor_id, status=status)
)


def supervised_pages(*, actor, status: str = AssignmentStatus.ACTIVE):
    """(first_rows, count_rows) for the paginator of supervised_assignments(actor=actor, status=status);
    (None, None) for every status. Counted apart: the day reaches only the rows' task figures."""
    if not status:
        return None, None
    values = {"supervisor_id": actor.pk, "status": str(status)}
    today = timezone.localdate()
    return (
        lambda n: _supervised_rows.list(today=today, limit=n, **values),
        lambda n: _supervised_counted.count(limit=n, **values),
    )


@baked
def _acknowledgement_figures_of(*, version_ids):
    return (
        Acknowledgement.objects.filter(not_inactive("user"), version_id__in=version_ids)
        .values("version_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(acknowledged_at__isnull=False)))
        .order_by()
    )


def with_acknowledgement_figures(assignments) -> list:
    """Sets ack_total and ack_done (the acknowledgements of each rule's version in force) on a page of
    supervised assignments: one grouped statement for the page. (As a count per row they referred to the
    rule's current version, which joined every rule into the count of the officer's assignments.)"""
    assignments = list(assignments)
    versions = {a.rule.current_version_id for a in assignments if a.rule.current_version_id}
    rows = _acknowledgement_figures_of.list(version_ids=sorted(versions)) if versions else []
    figures = {row["version_id"]: row for row in rows}  # no versions: no statement at all
    for assignment in assignments:
        row = figures.get(assignment.rule.current_version_id, {})
        assignment.ack_total, assignment.ack_done = row.get("total", 0), row.get("done", 0)
    return assignments


def my_units(*, actor):
    """The units whose work the person follows on their "my unit" page: a liaison their unit; a top
    leader or responsible person their units and everything below them."""
    if actor.unit_id is None and not is_top_leader(actor):
        return Unit.objects.none()
    paths = [*led_unit_paths(actor), *responsible_unit_paths(actor)]
    query = Q(pk=actor.unit_id) if actor.unit_id else Q(pk__in=[])
    if paths:
        query |= reduce(or_, [Q(path__startswith=p) for p in paths])
    return Unit.objects.filter(query)


def unit_responsibilities(*, units):
    """Active responsibilities of these units (their task counts: with_task_counts, for the page shown).
    (Each table joined multiplies PostgreSQL's planning: the assigned version, which the page does not
    show, is left out; with it, planning took 5 ms for 0.4 ms of execution.)"""
    return (
        ResponsibleUnit.objects.active()
        .filter(unit__in=units)
        .select_related("unit", "responsible_person", "assignment__rule")
        .defer(*long_texts(rule="assignment__rule"))
        .order_by("unit__path", "assignment__rule__code")
    )


def with_task_counts(responsibilities) -> list:
    """Sets tasks_open, tasks_overdue and tasks_submitted (the unit's tasks under the rule) on a page of
    responsibilities: one grouped statement for the page, instead of three correlated counts per row,
    which cost more to build and compile than to run."""
    responsibilities = list(responsibilities)
    if not responsibilities:
        return responsibilities
    figures = _open_task_filters()
    counts = (
        Task.objects.filter(
            rule_id__in={r.assignment.rule_id for r in responsibilities},
            unit_id__in={r.unit_id for r in responsibilities},
        )
        .exclude(state__in=CLOSED_STATES)
        .values("rule_id", "unit_id")
        .annotate(**{name: Count("pk", filter=condition) for name, condition in figures.items()})
        .order_by()
    )
    by_pair = {(row["rule_id"], row["unit_id"]): row for row in counts}
    for responsibility in responsibilities:
        row = by_pair.get((responsibility.assignment.rule_id, responsibility.unit_id), {})
        for name in figures:
            setattr(responsibility, name, row.get(name, 0))
    return responsibilities


def rules_without_assignment():
    from rules.models import Rule

    return Rule.objects.in_force().filter(assignment__isnull=True)


UNASSIGNED_RULES_KEY = "accountability:unassigned-rule-ids"
UNASSIGNED_RULES_SECONDS = 60


def unassigned_rules():
    """Rules in force without responsible units, by code. Finding them checks every rule in force
    against every assignment (30 ms at province size, for a handful of rows), so their ids are
    cached for a minute and forgotten as soon as a rule is assigned (forget_unassigned_rules)."""

    ids = cache.get_or_set(
        UNASSIGNED_RULES_KEY,
        lambda: list(rules_without_assignment().order_by("code").values_list("pk", flat=True)),
        UNASSIGNED_RULES_SECONDS,
    )
    return _unassigned_among(ids)


def _unassigned_among(ids):
    from rules.models import Rule

    return Rule.objects.in_force().filter(pk__in=ids, assignment__isnull=True).order_by("code")


_unassigned_rows = baked(lambda *, ids: _unassigned_among(ids))


def unassigned_rules_pages():
    """(first_rows, count_rows) for the paginator of unassigned_rules(), through baked queries."""
    ids = cache.get_or_set(
        UNASSIGNED_RULES_KEY,
        lambda: list(rules_without_assignment().order_by("code").values_list("pk", flat=True)),
        UNASSIGNED_RULES_SECONDS,
    )
    return _unassigned_rows.pages(ids=ids)


def forget_unassigned_rules():
    cache.delete(UNASSIGNED_RULES_KEY)
