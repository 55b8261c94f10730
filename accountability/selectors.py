"""Read-side queries for the execution pages, each scoped to what the actor may see.

Completion figures are aggregated in the database (COUNT ... FILTER), grouped per unit or per rule,
so a page costs the same few queries for ten people or ten thousand.
"""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.utils import timezone

from integrity.baked import baked
from integrity.models import Unit
from integrity.permissions import is_top_leader, led_unit_paths
from integrity.roles import role_of
from integrity.selectors import count_of, counts_by, grouped, not_inactive
from rules.models import RuleVersion, Status
from rules.selectors import long_texts

from .models import (
    CLOSED_STATES,
    Acknowledgement,
    Assignment,
    AssignmentStatus,
    Campaign,
    ResponsibleUnit,
    Task,
    TaskState,
    TaskTransition,
)
from .permissions import (
    audience_q,
    can,
    may_owe_acknowledgements,
    responsible_unit_paths,
    tasks_visible_to,
    unit_ancestors,
)

# --- tasks ----------------------------------------------------------------------------------

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


# --- assignments ----------------------------------------------------------------------------


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
    lambda *, supervisor_id, status: (
        Assignment.objects.filter(supervisor_id=supervisor_id, status=status).order_by().values("pk")
    )
)


def supervised_first_rows(*, actor, status: str = AssignmentStatus.ACTIVE):
    """first_rows(n) for the paginator: the first n of supervised_assignments(actor=actor, status=status)."""
    if not status:
        return None
    today = timezone.localdate()
    return lambda n: _supervised_rows.list(supervisor_id=actor.pk, status=str(status), today=today, limit=n)


def supervised_count_rows(*, actor, status: str = AssignmentStatus.ACTIVE):
    """count_rows(n) for the paginator: the number of supervised_assignments(actor=actor, status=status)."""
    if not status:
        return None
    return lambda n: _supervised_counted.count(supervisor_id=actor.pk, status=str(status), limit=n)


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
_unassigned_counted = baked(lambda *, ids: _unassigned_among(ids).order_by().values("pk"))


def unassigned_rules_pages():
    """(first_rows, count_rows) for the paginator of unassigned_rules(), through baked queries."""
    ids = cache.get_or_set(
        UNASSIGNED_RULES_KEY,
        lambda: list(rules_without_assignment().order_by("code").values_list("pk", flat=True)),
        UNASSIGNED_RULES_SECONDS,
    )
    return (lambda n: _unassigned_rows.list(ids=ids, limit=n)), (lambda n: _unassigned_counted.count(ids=ids, limit=n))


def forget_unassigned_rules():
    cache.delete(UNASSIGNED_RULES_KEY)


# --- acknowledgements -----------------------------------------------------------------------


def my_rules(*, user, state: str = ""):
    """The person's acknowledgement rows of the versions in force of rules that apply to them (a row is
    owed from the day a version comes into force), with `acknowledged`; what they still owe comes
    first. Starts from the person's own rows (index on user, acknowledged_at), not from every rule."""
    if not may_owe_acknowledgements(user):
        return Acknowledgement.objects.none()
    return _my_rules(user.pk, unit_ancestors(user), user.is_leading_cadre, state)


def _my_rules(user_id, ancestors, leading: bool, state: str):
    qs = (
        Acknowledgement.objects.filter(
            user_id=user_id, rule__status=Status.IN_FORCE, version_id=F("rule__current_version_id")
        )
        .filter(audience_q(ancestors, leading, "rule__"))
        .select_related("rule", "version")
        .annotate(acknowledged=ExpressionWrapper(Q(acknowledged_at__isnull=False), output_field=BooleanField()))
    )
    if state == "pending":
        qs = qs.filter(acknowledged_at__isnull=True)
    elif state == "done":
        qs = qs.filter(acknowledged_at__isnull=False)
    return qs.order_by("acknowledged", "-rule__in_force_since", "rule__code")


_MY_RULES = {
    (leading, state): baked(
        lambda *, user_id, ancestors, leading=leading, state=state: _my_rules(user_id, ancestors, leading, state)
    )
    for leading in (False, True)
    for state in ("", "pending", "done")
}


def my_rules_first_rows(*, user, state: str = ""):
    """first_rows(n) for the paginator: the first n of my_rules(user=user, state=state), through a baked
    query (None where my_rules has nothing to read)."""
    if not may_owe_acknowledgements(user) or (state and state not in ("pending", "done")):
        return None
    query = _MY_RULES[(bool(user.is_leading_cadre), state)]
    return lambda n: query.list(user_id=user.pk, ancestors=unit_ancestors(user), limit=n)


_MY_PENDING_COUNTED = {
    leading: baked(
        lambda *, user_id, ancestors, leading=leading: (
            _my_rules(user_id, ancestors, leading, "pending").order_by().values("pk")
        )
    )
    for leading in (False, True)
}


def pending_count(*, user) -> int:
    """The number of my_rules(user=user, state="pending"), counted through a baked query."""
    if not may_owe_acknowledgements(user):
        return 0
    query = _MY_PENDING_COUNTED[bool(user.is_leading_cadre)]
    return query.count(user_id=user.pk, ancestors=unit_ancestors(user))


def _top_leader_q():
    return Q(user_id__in=Unit.objects.filter(top_leader__isnull=False).values("top_leader_id"))


def _current(qs):
    return qs.filter(version__status=Status.IN_FORCE, user__is_active=True)


def rule_acknowledgements(*, rule):
    """Acknowledgement rows of the rule's version in force."""
    return _acknowledgements_of_version(rule.current_version_id)


def _acknowledgements_of_version(version_id):
    return Acknowledgement.objects.filter(version_id=version_id, user__is_active=True)


def campaign_versions(*, campaign: Campaign):
    """The versions in force of the campaign's rules (a queryset of ids)."""
    return RuleVersion.objects.filter(rule__in=campaign.rules.all(), status=Status.IN_FORCE).values("pk")


def campaign_acknowledgements(
    *, campaign: Campaign, unit: int | None = None, rule: int | None = None, paths=None, versions=None
):
    """Rows of the campaign: versions in force of its rules, people of its units (and below them).
    `paths`: the campaign's units' paths, and `versions`: the ids of campaign_versions(), when the caller
    has read them already. A page that runs several statements on the rows reads the versions first (a
    handful of ids), so that none of its statements joins the rules, the campaign's rules and the
    versions, each join multiplying PostgreSQL's planning; a single statement takes them as a subquery."""
    paths = list(campaign.units.values_list("path", flat=True)) if paths is None else paths
    if not paths:
        return Acknowledgement.objects.none()
    versions = campaign_versions(campaign=campaign) if versions is None else versions
    qs = Acknowledgement.objects.filter(version_id__in=versions, user__is_active=True)
    qs = qs.filter(reduce(or_, [Q(user__unit__path__startswith=p) for p in paths]))
    if unit:
        qs = qs.filter(user__unit_id=unit)
    if rule:
        qs = qs.filter(rule_id=rule)
    return qs


def campaign_units(*, campaign: Campaign, paths=None):
    """Units the campaign covers: the chosen units and the units below them (`paths` as above)."""
    paths = list(campaign.units.values_list("path", flat=True)) if paths is None else paths
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, [Q(path__startswith=p) for p in paths])).order_by("path")


def all_current_acknowledgements():
    """Rows of every version in force, for everyone."""
    return _current(Acknowledgement.objects.all())


ORGANISATION_COMPLETION_SECONDS = 300


def organisation_completion() -> dict:
    """completion_totals() over every acknowledgement owed in the organisation. It aggregates about a
    million rows at province size (half a second), and it is the same for every officer, so it is
    cached for five minutes; numbers only, and the date is in the key."""
    return cache.get_or_set(
        f"accountability:completion:organisation:{timezone.localdate().isoformat()}",
        lambda: completion_totals(all_current_acknowledgements()),
        ORGANISATION_COMPLETION_SECONDS,
    )


def units_acknowledgements(*, units):
    """Rows of every version in force, for the people of these units."""
    return _current(Acknowledgement.objects.filter(user__unit__in=units))


ROW_FIGURES = ("total", "done", "leading_total", "leading_done")  # counted in SQL (_figures)
FIGURES = (*ROW_FIGURES, "top_total", "top_done")


def _figures():
    done = Q(acknowledged_at__isnull=False)
    leading = Q(user__is_leading_cadre=True)
    return {
        "total": Count("pk"),
        "done": Count("pk", filter=done),
        "leading_total": Count("pk", filter=leading),
        "leading_done": Count("pk", filter=leading & done),
    }


def _grouped(qs, *fields, **keys) -> list[dict]:
    """The figures of each group of rows (fields, and keys: name -> expression), leading cadres and top
    leaders apart.

    Whether a person is a top leader is a test against every unit's top leader (a hashed subplan built
    from the units table). As a filter of each top-leader figure it was built once per figure; as a
    grouping key it is built once per statement: the rows come back split by it and are added up here."""
    return _merged(_grouped_statement(qs, *fields, **keys), [*fields, *keys])


def _grouped_statement(qs, *fields, **keys):
    is_top = ExpressionWrapper(_top_leader_q(), output_field=BooleanField())
    return qs.values(*fields, **keys, is_top=is_top).annotate(**_figures()).order_by()


def _merged(rows, names) -> list[dict]:
    """The rows of _grouped_statement added up per group (top leaders and the rest together)."""
    merged = {}
    for row in rows:
        group = merged.setdefault(
            tuple(row[name] for name in names), {**{name: row[name] for name in names}, **dict.fromkeys(FIGURES, 0)}
        )
        for figure in ROW_FIGURES:
            group[figure] += row[figure]
        if row["is_top"]:
            group["top_total"] += row["total"]
            group["top_done"] += row["done"]
    groups = list(merged.values())
    for group in groups:
        group["percent"] = group["done"] * 100 / group["total"] if group["total"] else None
    return groups


def percent(done: int, total: int):
    return None if not total else round(done * 100 / total, 1)


def completion_totals(qs) -> dict:
    """Owed, done and % overall, for leading cadres and for top leaders: one aggregate query."""
    return completion_totals_of(_grouped(qs))


def completion_totals_of(groups) -> dict:
    """completion_totals() added up from per-unit (or per-rule) rows already read: the same figures
    without a second pass over the acknowledgements."""
    return _with_percents({key: sum(group[key] for group in groups) for key in FIGURES})


def _with_percents(figures: dict) -> dict:
    figures["percent"] = percent(figures["done"], figures["total"])
    figures["leading_percent"] = percent(figures["leading_done"], figures["leading_total"])
    figures["top_percent"] = percent(figures["top_done"], figures["top_total"])
    return figures


def _sorted(rows: list[dict], sort: str, name: str) -> list[dict]:
    """Lowest completion first ("percent"), highest first ("-percent"), ties by name; or by unit path."""
    if sort == "name":
        return sorted(rows, key=lambda row: (row["path"], row["name"]))
    rows = sorted(rows, key=lambda row: row[name])
    return sorted(rows, key=lambda row: row["percent"], reverse=sort == "-percent")


COMPLETION_SORTS = ("percent", "-percent", "name")


_UNIT_KEYS = {"unit_id": F("user__unit_id"), "name": F("user__unit__name"), "path": F("user__unit__path")}


def completion_by_unit(qs, *, sort: str = "percent") -> list[dict]:
    """One row per unit (the unit people belong to): owed, done, %, and the same for leading cadres and
    top leaders; lowest completion first by default."""
    return _sorted(_grouped(qs, **_UNIT_KEYS), sort if sort in COMPLETION_SORTS else "percent", "name")


# A rule's completion page: its per-unit figures and the first page of who is missing, compiled once.
@baked
def _rule_completion_by_unit(*, version_id):
    return _grouped_statement(_acknowledgements_of_version(version_id), **_UNIT_KEYS)


@baked
def _rule_missing_people(*, version_id):
    return missing_people(_acknowledgements_of_version(version_id))


def rule_completion_by_unit(*, rule, sort: str = "percent") -> list[dict]:
    """completion_by_unit(rule_acknowledgements(rule=rule)), read through a baked query."""
    if rule.current_version_id is None:
        return completion_by_unit(rule_acknowledgements(rule=rule), sort=sort)
    rows = _merged(_rule_completion_by_unit.list(version_id=rule.current_version_id), list(_UNIT_KEYS))
    return _sorted(rows, sort if sort in COMPLETION_SORTS else "percent", "name")


def rule_missing_first_rows(*, rule):
    """first_rows(n) for the paginator: the first n rows of missing_people(rule_acknowledgements(rule))."""
    if rule.current_version_id is None:
        return None
    return lambda n: _rule_missing_people.list(version_id=rule.current_version_id, limit=n)


def completion_by_rule(qs) -> list[dict]:
    """One row per rule: owed, done and %, with leading cadres and top leaders apart; lowest first."""
    rows = _grouped(qs, "rule_id", code=F("rule__code"), title=F("rule__title"), number=F("version__number"))
    return _sorted(rows, "percent", "code")


def missing_people(qs):
    """Who has not acknowledged yet: top leaders first, then leading cadres (lever 2), then by unit."""
    is_top = Exists(Unit.objects.filter(top_leader_id=OuterRef("user_id")))
    return (
        qs.filter(acknowledged_at__isnull=True)
        .select_related("user", "user__unit", "rule", "version")
        .annotate(is_top_leader=is_top)
        .order_by("-is_top_leader", "-user__is_leading_cadre", "user__unit__path", "user__username", "rule__code")
    )


def campaigns_open(*, today: date | None = None):
    """Campaigns whose deadline has not passed (for "acknowledgement pending" reminders)."""
    return Campaign.objects.filter(deadline__gte=today or timezone.localdate())


def acknowledgements_pending(*, campaign: Campaign):
    """Who still owes an acknowledgement in a campaign, one row per person and rule."""
    return (
        campaign_acknowledgements(campaign=campaign)
        .filter(acknowledged_at__isnull=True)
        .select_related("user", "user__unit", "rule", "version")
    )


def campaign_list(*, actor):
    return (
        Campaign.objects.select_related("created_by")
        .annotate(
            rule_count=count_of(Campaign.rules.through.objects.filter(campaign_id=OuterRef("pk")), "campaign_id"),
            unit_count=count_of(Campaign.units.through.objects.filter(campaign_id=OuterRef("pk")), "campaign_id"),
        )
        .order_by("-deadline", "-pk")
    )
