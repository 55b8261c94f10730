"""Assigning a rule in force to its responsible units, and following the rule's life."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.models import Unit
from integrity.roles import role_of
from integrity.services import ServiceError, notification_send
from rules.models import Rule, RuleVersion, Status

from .. import selectors
from ..models import Assignment, AssignmentStatus, ResponsibleUnit, UnitRole
from ..permissions import MANAGERS, why_not_assign
from ._common import save


def _notify_responsible(responsible: ResponsibleUnit, rule: Rule):
    person = responsible.responsible_person
    if person is None:
        return
    notification_send(
        recipient=person,
        subject=_("%(unit)s is responsible for implementing %(code)s") % {"unit": responsible.unit, "code": rule.code},
        body=_("Role: %(role)s. You are named the responsible person.") % {"role": responsible.get_role_display()},
        url=reverse("accountability:rule-implementation", args=[rule.code]),
    )


@transaction.atomic
def rule_assign(*, rule: Rule, actor, lead_unit: Unit, co_units=(), supervisor) -> Assignment:
    """Name (or change) a rule's lead unit, co-responsible units and supervising officer.

    Units left out are removed (kept as inactive rows); new units get their top leader as the
    responsible person.
    """
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    problem = why_not_assign(actor, rule)
    if problem:
        raise ServiceError(problem)
    if supervisor is None or not supervisor.is_active or role_of(supervisor) not in MANAGERS:
        raise ServiceError(_("The supervising officer must be an active discipline officer."))
    co_units = list(dict.fromkeys(co_units))
    if lead_unit in co_units:
        raise ServiceError(_("%(unit)s cannot be both the lead unit and a co-responsible unit.") % {"unit": lead_unit})
    inactive = [u for u in [lead_unit, *co_units] if not u.is_active]
    if inactive:
        raise ServiceError(_("%(unit)s is no longer active and cannot be assigned.") % {"unit": inactive[0]})

    assignment = Assignment.objects.select_for_update().filter(rule=rule).first()
    if assignment is None:
        assignment = Assignment(rule=rule, version_id=rule.current_version_id, supervisor=supervisor, assigned_by=actor)
        save(assignment, actor)
        transaction.on_commit(selectors.forget_unassigned_rules)
    elif assignment.supervisor_id != supervisor.pk:
        assignment.supervisor = supervisor
        save(assignment, actor, ["supervisor", "updated_at"])

    wanted = {lead_unit.pk: UnitRole.LEAD, **{u.pk: UnitRole.CO_RESPONSIBLE for u in co_units}}
    current = {r.unit_id: r for r in assignment.units.select_for_update().filter(is_active=True)}
    now = timezone.now()
    # Order matters for the "one lead" constraint: remove, demote, then promote and add.
    for unit_id, responsible in current.items():
        if unit_id not in wanted:
            responsible.is_active = False
            responsible.removed_at = now
            save(responsible, actor, ["is_active", "removed_at"], reason=_("Removed from the assignment"))
    changed = [(r, wanted[u]) for u, r in current.items() if u in wanted and r.role != wanted[u]]
    for responsible, role in sorted(changed, key=lambda item: item[1] == UnitRole.LEAD):
        responsible.role = role
        save(responsible, actor, ["role"])
    units = Unit.objects.in_bulk(list(wanted))  # fresh rows: the top leader may have changed
    new = [unit_id for unit_id in wanted if unit_id not in current]
    for unit_id in new:
        unit = units[unit_id]
        responsible = ResponsibleUnit(
            assignment=assignment, unit=unit, role=wanted[unit_id], responsible_person_id=unit.top_leader_id
        )
        save(responsible, actor)
        _notify_responsible(responsible, rule)
    return assignment


@transaction.atomic
def responsible_person_change(*, responsible: ResponsibleUnit, person, reason: str, actor) -> ResponsibleUnit:
    """Name another responsible person for a unit (instead of its top leader); a reason is required."""
    responsible = (
        ResponsibleUnit.objects.select_for_update().select_related("unit", "assignment__rule").get(pk=responsible.pk)
    )
    problem = why_not_assign(actor, responsible.assignment.rule)
    if problem:
        raise ServiceError(problem)
    if not responsible.is_active or responsible.assignment.status != AssignmentStatus.ACTIVE:
        raise ServiceError(_("This unit is no longer responsible for the rule."))
    if not (reason or "").strip():
        raise ServiceError(_("Say why someone other than the default is the responsible person."))
    unit = responsible.unit
    if person is None or not person.is_active or person.unit is None or not person.unit.path.startswith(unit.path):
        raise ServiceError(_("The responsible person must be an active member of %(unit)s.") % {"unit": unit})
    responsible.responsible_person = person
    responsible.person_reason = reason.strip()
    save(responsible, actor, ["responsible_person", "person_reason"], reason=reason)
    _notify_responsible(responsible, responsible.assignment.rule)
    return responsible


@transaction.atomic
def assignment_carry_over(*, version: RuleVersion, actor=None) -> Assignment | None:
    """A new version came into force: the rule's assignment now covers it (units and people unchanged)."""
    assignment = (
        Assignment.objects.select_for_update().filter(rule_id=version.rule_id, status=AssignmentStatus.ACTIVE).first()
    )
    if assignment is None or assignment.version_id == version.pk:
        return assignment
    assignment.version = version
    save(
        assignment,
        actor,
        ["version", "updated_at"],
        reason=_("Carried over to version %(number)s") % {"number": version.number},
    )
    return assignment


@transaction.atomic
def assignment_end(*, rule: Rule, status: str, actor=None) -> Assignment | None:
    """The rule stopped being in force: its assignment ends (kept) and its unfinished tasks are cancelled."""
    from .tasks import tasks_cancel_for_rule

    assignment = Assignment.objects.select_for_update().filter(rule_id=rule.pk, status=AssignmentStatus.ACTIVE).first()
    reason = _("The rule is %(status)s.") % {"status": Status(status).label.lower()}
    if rule.end_reason:
        reason = f"{reason} {rule.end_reason}"
    if assignment is not None:
        assignment.status = AssignmentStatus.ENDED
        assignment.ended_at = timezone.now()
        assignment.end_reason = reason
        save(assignment, actor, ["status", "ended_at", "end_reason", "updated_at"], reason=reason)
    tasks_cancel_for_rule(rule=rule, reason=reason)
    return assignment
