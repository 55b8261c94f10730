"""Who may do what with rules. Every decision about rules is made here.

Officers draft, consult, approve and abolish; cadres and liaisons read rules that have been in
force and comment in consultations whose audience they belong to; admins may do everything.
"""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.baked import baked
from integrity.roles import Role, role_of

from .models import HAS_BEEN_IN_FORCE, Consultation, Rule, Status
from .transitions import check_transition

MANAGERS = {Role.ADMIN, Role.OFFICER}
READERS = {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE}

ROLE_ACTIONS: dict[str, set[str]] = {
    "view_register": READERS,
    "view_drafts": MANAGERS,
    "draft_rule": MANAGERS,
    "edit_draft": MANAGERS,
    "open_consultation": MANAGERS,
    "decide_comment": MANAGERS,
    "submit_version": MANAGERS,
    "approve_version": MANAGERS,
    "send_back_version": MANAGERS,
    "withdraw_version": MANAGERS,
    "amend_rule": MANAGERS,
    "abolish_rule": MANAGERS,
    "comment_in_consultation": READERS,
    "export_register": MANAGERS,
}


def can(user, action: str) -> bool:
    return role_of(user) in ROLE_ACTIONS[action]


def _rule_scope(user) -> str | None:
    """ "all" for officers and admins, "in_force" (rules that have been in force) for everybody else with
    a role, None for nobody."""
    if can(user, "view_drafts"):
        return "all"
    return None if role_of(user) is None else "in_force"


def _rules_in(scope: str):
    return Rule.objects.all() if scope == "all" else Rule.objects.filter(status__in=HAS_BEEN_IN_FORCE)


def rules_visible_to(user):
    """Officers and admins see every rule; everybody else the rules that have been in force."""
    scope = _rule_scope(user)
    return Rule.objects.none() if scope is None else _rules_in(scope)


# The rule of a rule page, by code, for each scope: compiled once (integrity.baked). The parent and the
# replacing rule are read only when the rule has one (few do): joining both on every rule page cost more
# to plan and build than the two lookups they save.
_RULE_PAGE_ROW = {
    scope: baked(
        lambda *, code, scope=scope: (
            _rules_in(scope).select_related("issuing_unit", "current_version").filter(code=code).order_by("pk")
        )
    )
    for scope in ("all", "in_force")
}


def get_rule_for(user, code: str) -> Rule:
    """The rule, or 404 alike for a missing rule and one the user may not see."""
    scope = _rule_scope(user)
    rule = _RULE_PAGE_ROW[scope].first(code=str(code)) if scope else None
    if rule is None:
        raise Http404
    return rule


def _in_units(user, units_field):
    """Q over objects whose audience units contain the user's unit or one of its ancestors."""
    return Q(**{f"{units_field}__in": _ancestor_ids(user)})


def _ancestor_ids(user) -> list[int]:
    """The ids of the person's unit and the units above it (none without a unit)."""
    if user.unit_id is None:
        return []
    return [int(pk) for pk in user.unit.path.strip("/").split("/") if pk]


def consultations_open_to(user):
    """Open consultations whose audience includes the user's unit (or a unit above it).

    An open consultation's version is in consultation: the only way out of that status is closing the
    consultation (services.consultation_close). So the version's status is not tested here; tested, it
    made PostgreSQL misjudge how many rows match and sort every open consultation before the first page."""
    return _open_consultations(timezone.localdate(), _consultation_audience(user))


def _consultation_audience(user) -> list[int] | None:
    """None: every open consultation (officers); else the units whose consultations the person sees."""
    if can(user, "view_drafts"):
        return None
    return _ancestor_ids(user)


def _open_consultations(today, unit_ids: list[int] | None):
    qs = Consultation.objects.filter(closed_at__isnull=True, ends_on__gte=today)
    if unit_ids is None:
        return qs
    return qs.filter(audience_units__in=unit_ids).distinct() if unit_ids else qs.none()


def consultations_listed_to(user):
    """The open consultations the person sees, soonest to close first, with their versions and rules."""
    return _listed(consultations_open_to(user))


def _listed(consultations):
    return consultations.select_related("version", "version__rule").order_by("ends_on", "pk")


_all_open_consultations = baked(lambda *, today: _listed(_open_consultations(today, None)))
_open_consultations_of_units = baked(lambda *, today, unit_ids: _listed(_open_consultations(today, unit_ids)))


def consultation_list_pages(user):
    """(first_rows, count_rows) for the paginator of consultations_listed_to(user), through baked queries."""
    today, unit_ids = timezone.localdate(), _consultation_audience(user)
    if unit_ids is None:
        return _all_open_consultations.pages(today=today)
    return _open_consultations_of_units.pages(today=today, unit_ids=unit_ids)


def can_view_consultation(user, consultation) -> bool:
    if can(user, "view_drafts"):
        return True
    return Consultation.objects.filter(pk=consultation.pk).filter(_in_units(user, "audience_units")).exists()


def why_not_comment(user, consultation) -> str | None:
    """None when the user may comment now, else why not."""
    if not can(user, "comment_in_consultation"):
        return _("Your role cannot comment in consultations.")
    if not can_view_consultation(user, consultation):
        return _("This consultation is not open to your unit.")
    if consultation.closed_at is not None:
        return _("This consultation is closed.")
    if timezone.localdate() > consultation.ends_on:
        return _("This consultation ended on %(date)s.") % {"date": consultation.ends_on}
    return None


@baked
def _audience_unit_ids(*, rule_id):
    return Rule.audience_units.through.objects.filter(rule_id=rule_id).values_list("unit_id")


def applies_to(user, rule: Rule) -> bool:
    """True when the rule's audience includes this person."""
    if rule.audience_leading_only and not user.is_leading_cadre:
        return False
    prefetched = getattr(rule, "_prefetched_objects_cache", {}).get("audience_units")
    if prefetched is not None:
        units = [u.pk for u in prefetched]
    else:
        units = [row[0] for row in _audience_unit_ids.list(rule_id=rule.pk)]
    if not units:
        return True
    return user.unit_id is not None and any(f"/{pk}/" in f"/{user.unit.path}" for pk in units)


def version_actions(user, version) -> list[tuple[str, str, str | None]]:
    """[(action code, label, reason it is not allowed or None)] for the action panel."""
    rule = version.rule
    actions = []
    if not can(user, "edit_draft"):
        return actions

    def add(code, label, to=None, extra=None):
        problem = extra
        if problem is None and to is not None:
            problem = check_transition(version, to=to, actor=user, reason="-")
        actions.append((code, label, problem))

    if version.status == Status.DRAFT:
        add("edit", _("Edit draft"))
        add("open_consultation", _("Open consultation"), Status.CONSULTATION)
        add("submit", _("Submit for approval"), Status.PENDING_APPROVAL)
        add("withdraw", _("Withdraw draft"), Status.WITHDRAWN)
    elif version.status == Status.CONSULTATION:
        add("close_consultation", _("Close consultation"), Status.DRAFT)
    elif version.status == Status.PENDING_APPROVAL:
        add("approve", _("Approve"), Status.APPROVED)
        add("send_back", _("Send back"), Status.DRAFT)
    if rule.status == Status.IN_FORCE and version.pk == rule.current_version_id:
        has_open = rule.open_version is not None
        add("amend", _("Start an amendment"), extra=_("An amendment is already in preparation.") if has_open else None)
        add("abolish", _("Abolish"), extra=None)
        add("implementation_rule", _("Add implementation rules"), extra=None)
    return actions
