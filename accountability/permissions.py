"""Who may do what with assignments, tasks, acknowledgements and campaigns. Every decision is made here.

Officers (and admins) assign rules, create tasks and accept or return them, and run campaigns.
A task's owner and the liaisons of the task's own unit report on it — nobody else, not even an
officer, writes a unit's report. Everybody acknowledges only for themselves, and only what applies
to them.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from integrity.baked import baked
from integrity.models import Unit, User
from integrity.permissions import is_top_leader, per_request, units_in_scope
from integrity.roles import Role, role_of
from rules.models import HAS_BEEN_IN_FORCE, Rule, Status

from .models import Campaign, ResponsibleUnit, Task

MANAGERS = {Role.ADMIN, Role.OFFICER}
EVERYONE = {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE}

ROLE_ACTIONS: dict[str, set[str]] = {
    "assign_rule": MANAGERS,
    "create_task": MANAGERS,
    "review_task": MANAGERS,
    "view_all_tasks": MANAGERS,
    "view_supervised": MANAGERS,
    "run_campaign": MANAGERS,
    "view_campaigns": MANAGERS,
    "view_rule_completion": MANAGERS,
    "view_implementation": EVERYONE,
    "acknowledge": EVERYONE,
    "report_task": EVERYONE,  # narrowed per task by can_report_on_task
    "export_tasks": EVERYONE,
}


def can(user, action: str) -> bool:
    """True when the user's role allows the action."""
    return role_of(user) in ROLE_ACTIONS[action]


# --- audience -------------------------------------------------------------------------------


def audience_users(rule: Rule):
    """The people a rule applies to, as one query (rules.permissions.applies_to, in SQL): active people
    with a unit in the subtree of an audience unit (everyone when it has none), leading cadres only if
    the rule says so."""
    users = User.objects.filter(is_active=True, unit__isnull=False)
    if rule.audience_leading_only:
        users = users.filter(is_leading_cadre=True)
    paths = list(rule.audience_units.values_list("path", flat=True))
    if paths:
        users = users.filter(reduce(or_, [Q(unit__path__startswith=path) for path in paths]))
    return users


def in_audience(user, rule: Rule) -> bool:
    return audience_users(rule).filter(pk=user.pk).exists()


def rules_applying_to(user):
    """Rules in force whose audience includes the person (the mirror image of audience_users)."""
    if not may_owe_acknowledgements(user):
        return Rule.objects.none()
    return Rule.objects.in_force().filter(in_audience_q(user))


def may_owe_acknowledgements(user) -> bool:
    """Only active people with a unit are in any rule's audience."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.unit_id is not None)


def in_audience_q(user, rule_prefix: str = ""):
    """The condition "the person is in the rule's audience", on a rule reached through rule_prefix
    (e.g. "rule__" from an acknowledgement): no audience units or one of the person's unit's
    ancestors, and leading cadres only if the rule says so. Two indexed probes per rule."""
    return audience_q(unit_ancestors(user), user.is_leading_cadre, rule_prefix)


def unit_ancestors(user) -> list[int]:
    """The ids of the person's unit and of the units above it."""
    return [int(pk) for pk in user.unit.path.strip("/").split("/") if pk]


def audience_q(ancestors: list[int], leading: bool, rule_prefix: str = ""):
    """in_audience_q for a person whose unit and the units above it are `ancestors`, and who is a leading
    cadre or not."""
    through = Rule.audience_units.through
    has_audience = Exists(through.objects.filter(rule_id=OuterRef(f"{rule_prefix}pk")))
    mine = Exists(through.objects.filter(rule_id=OuterRef(f"{rule_prefix}pk"), unit_id__in=ancestors))
    condition = ~has_audience | mine
    if not leading:
        condition &= Q(**{f"{rule_prefix}audience_leading_only": False})
    return condition


# --- tasks ----------------------------------------------------------------------------------


def responsible_units_of(user):
    """Units where the person is named responsible person of an active assignment."""
    return Unit.objects.filter(
        pk__in=ResponsibleUnit.objects.active().filter(responsible_person=user).values("unit_id")
    )


def responsible_unit_paths(user) -> list[str]:
    """The paths of the units where the person is the responsible person (read once per request)."""
    if getattr(user, "pk", None) is None:
        return []
    return per_request(user, "responsible_unit_paths", lambda: _responsible_unit_paths.list(person_id=user.pk))


_responsible_unit_paths = baked(
    lambda *, person_id: Unit.objects.filter(
        pk__in=ResponsibleUnit.objects.active().filter(responsible_person_id=person_id).values("unit_id")
    ).values_list("path", flat=True)
)  # responsible_units_of(person), compiled once


def follows_units(user) -> bool:
    """Liaisons, top leaders and responsible persons have a "my unit" page."""
    return role_of(user) == Role.LIAISON or is_top_leader(user) or bool(responsible_unit_paths(user))


def task_units_in_scope(user):
    """Units whose tasks the person may see: all for officers; else their unit (and below it for
    liaisons and top leaders), plus the units they are the responsible person for, with sub-units."""
    if can(user, "view_all_tasks"):
        return Unit.objects.all()
    scope = units_in_scope(user)
    paths = responsible_unit_paths(user)
    if not paths:
        return scope
    return Unit.objects.filter(Q(pk__in=scope.values("pk")) | reduce(or_, [Q(path__startswith=p) for p in paths]))


def tasks_visible_to(user):
    """Tasks the person may see. The units in scope are read first (one small query), so that the
    tasks are found through the unit and owner indexes with exact estimates, instead of walking
    every task in the list's sort order and filtering them one by one."""
    if not getattr(user, "is_authenticated", False) or role_of(user) is None:
        return Task.objects.none()
    if can(user, "view_all_tasks"):
        return Task.objects.all()
    units = per_request(user, "task_unit_ids", lambda: list(task_units_in_scope(user).values_list("pk", flat=True)))
    return Task.objects.filter(Q(unit__in=units) | Q(owner=user))


def get_task_for(user, pk) -> Task:
    """The task, or 404 alike for a missing task and one outside the user's scope."""
    try:
        return (
            tasks_visible_to(user)
            # Six tables at most: two more (the rule's assignment and its supervisor) tripled PostgreSQL's
            # planning of this one-row statement; the page reads the supervisor on its own.
            .select_related("rule", "unit", "owner", "article", "created_by")
            .get(pk=pk)
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def why_not_report(user, task) -> str | None:
    """None when the person may report on (or mark done) this task, else why not."""
    if not can(user, "report_task"):
        return _("Your role cannot report on tasks.")
    if task.owner_id == user.pk:
        return None
    if role_of(user) == Role.LIAISON and user.unit_id == task.unit_id:
        return None
    return _("Only the task's owner and the liaisons of %(unit)s report on this task.") % {"unit": task.unit}


def can_report_on_task(user, task) -> bool:
    return why_not_report(user, task) is None


def why_not_review(user, task) -> str | None:
    """None when the person may accept, return or cancel tasks, else why not."""
    if not can(user, "review_task"):
        return _("Only discipline officers accept or return tasks.")
    return None


# --- rules and campaigns ------------------------------------------------------------------


def why_not_assign(user, rule: Rule) -> str | None:
    if not can(user, "assign_rule"):
        return _("Only discipline officers assign responsible units.")
    if rule.status != Status.IN_FORCE:
        return _("Only a rule in force can be assigned; this one is “%(status)s”.") % {
            "status": rule.get_status_display()
        }
    return None


def can_view_implementation(user, rule: Rule) -> bool:
    return can(user, "view_implementation") and rule.status in HAS_BEEN_IN_FORCE


def why_not_acknowledge(user, version, *, applies: bool | None = None) -> str | None:
    """None when the person may acknowledge this version now, else why not."""
    if not can(user, "acknowledge"):
        return _("Your role cannot acknowledge rules.")
    if version.status != Status.IN_FORCE:
        return _("Version %(number)s is not in force; only the version in force can be acknowledged.") % {
            "number": version.number
        }
    if applies is None:
        applies = in_audience(user, version.rule)
    if not applies:
        return _("This rule does not apply to you, so there is nothing to acknowledge.")
    return None


def get_campaign_for(user, pk) -> Campaign:
    """The campaign, or 404 alike for a missing one and for people who may not see campaigns."""
    if not can(user, "view_campaigns"):
        raise Http404
    try:
        return Campaign.objects.select_related("created_by").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
