"""Who may do what in the organisation part of the product. Every decision is made here."""

from django.db.models import Q
from django.http import Http404

from .baked import baked
from .models import Unit
from .roles import Role, role_of

# Actions that depend on the role alone.
ROLE_ACTIONS: dict[str, set[str]] = {
    "view_org_figures": {Role.ADMIN, Role.OFFICER},
    "view_all_units": {Role.ADMIN, Role.OFFICER},
    "view_unit_list": {Role.ADMIN, Role.OFFICER, Role.LIAISON},
    "use_admin_site": {Role.ADMIN},
    "use_inbox": {Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE},
}


def can(user, action: str) -> bool:
    """True when the user's role allows the action."""
    return role_of(user) in ROLE_ACTIONS[action]


def is_top_leader(user) -> bool:
    """True when the person is the top leader of at least one unit."""
    if not getattr(user, "is_authenticated", False):
        return False
    led = getattr(user, "_integrity_led_paths", None)
    if led is not None:
        return bool(led)
    cached = getattr(user, "_integrity_is_top_leader", None)
    if cached is None:
        cached = user.led_units.exists()
        user._integrity_is_top_leader = cached
    return cached


def led_unit_paths(user) -> list[str]:
    """The paths of the units this person is the top leader of (read with the person on each request
    by the authentication backend; read here for any other user object)."""
    led = getattr(user, "_integrity_led_paths", None)
    if led is not None:
        return led
    return list(user.led_units.values_list("path", flat=True))


def remember_led_units(user, paths) -> None:
    """Keep already-read led unit paths on the user object, for led_unit_paths() during this request."""
    user._integrity_led_paths = sorted(paths)


def begin_request_memo(user) -> None:
    """Mark a person loaded for one request (by the authentication backend): per_request() may keep
    what it computes on this object, which no other request sees."""
    user._integrity_request_memo = {}


def per_request(user, key: str, compute):
    """compute() once per request for a person loaded by the authentication backend (a fresh object on
    each request, so nothing outlives the request); computed on every call for any other user object."""
    memo = getattr(user, "_integrity_request_memo", None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def baked_row_or_404(query, pk):
    """The row a baked query finds by primary key (`query.first(pk=...)`), or 404 alike for a missing row
    and a key that is not a number."""
    try:
        row = query.first(pk=int(pk))
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise Http404
    return row


@baked
def _unit_page_row(*, pk):
    return Unit.objects.select_related("parent", "top_leader").filter(pk=pk)


def units_in_scope(user):
    """The units whose records this person may see: all for officers, else their unit (and, for
    liaisons and top leaders, the units below it)."""
    if can(user, "view_all_units"):
        return Unit.objects.all()
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return Unit.objects.none()
    led_paths = list(led_unit_paths(user))
    if role_of(user) == Role.LIAISON:
        led_paths.append(user.unit.path)
    if not led_paths:
        return Unit.objects.filter(pk=user.unit_id)
    query = Q(pk=user.unit_id)
    for path in led_paths:
        query |= Q(path__startswith=path)
    return Unit.objects.filter(query)


def can_view_unit(user, unit: Unit) -> bool:
    return units_in_scope(user).filter(pk=unit.pk).exists()


def get_unit_for(user, pk) -> Unit:
    """The unit, or 404 alike for a missing unit and one outside the user's scope."""
    if can(user, "view_all_units"):  # every unit, as units_in_scope gives them: read through a baked query
        return baked_row_or_404(_unit_page_row, pk)
    try:
        return units_in_scope(user).select_related("parent", "top_leader").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
