"""The four roles, kept as auth groups, and how a person's role is read."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Role(TextChoices):
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Discipline officer")
    LIAISON = "liaison", _("Unit liaison")
    CADRE = "cadre", _("Cadre")


# Highest first: a person in several groups acts in the highest role.
ROLE_PRIORITY = [Role.ADMIN, Role.OFFICER, Role.LIAISON, Role.CADRE]


def role_of(user) -> str | None:
    """The role a person acts in, or None for anonymous visitors and people without a role."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_integrity_role", "unset")
    if cached != "unset":
        return cached
    # The groups' query is lazy: role_from() reads it only for a person who is not a superuser.
    role = role_from(is_superuser=user.is_superuser, group_names=user.groups.values_list("name", flat=True))
    user._integrity_role = role
    return role


def role_from(*, is_superuser: bool, group_names) -> str | None:
    """The role given by superuser status or, else, by the highest of the person's groups."""
    if is_superuser:
        return Role.ADMIN
    names = set(group_names)
    return next((r for r in ROLE_PRIORITY if r.value in names), None)


def remember_role(user, role) -> None:
    """Keep an already-read role on the user object, for role_of() during this request."""
    user._integrity_role = role


def role_label(user) -> str:
    role = role_of(user)
    return Role(role).label if role else ""


def ensure_role_groups(group_model):
    """Create the four role groups if missing; returns {role: group}."""
    return {role: group_model.objects.get_or_create(name=role.value)[0] for role in Role}


def sync_role_permissions(group_model, permission_model):
    """Give admins every model permission and officers every view permission (for Django admin)."""
    groups = ensure_role_groups(group_model)
    all_perms = list(permission_model.objects.all())
    groups[Role.ADMIN].permissions.set(all_perms)
    groups[Role.OFFICER].permissions.set([p for p in all_perms if p.codename.startswith("view_")])


def sync_role_permissions_after_migrate(sender, using="default", apps=None, **kwargs):
    """post_migrate: permissions exist only after migrate, so attach them to the roles here."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    try:
        group_model = registry.get_model("auth", "Group")
        permission_model = registry.get_model("auth", "Permission")
    except LookupError:
        return
    sync_role_permissions(group_model, permission_model)
