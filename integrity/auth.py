"""The authentication backend: Django's, with what every page needs about the person read in the same
query as the person.

Every page decides scope from the user's unit (its path gives the units above and below), its
navigation from the user's role, and its header from whether the person leads a unit. Loading the
unit with the person, and the role groups and top leadership as EXISTS columns of the same row,
saves three queries on each request; ``role_of`` and ``is_top_leader`` then read what was loaded.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .roles import ROLE_PRIORITY, Role, role_from


def _member_of(role):
    return f"member_of_{role.value}"


class UnitAwareBackend(ModelBackend):
    def get_user(self, user_id):
        from .models import Unit

        user_model = get_user_model()
        memberships = user_model.groups.through.objects.filter(user_id=OuterRef("pk"))
        people = user_model._default_manager.select_related("unit").annotate(
            leads_a_unit=Exists(Unit.objects.filter(top_leader_id=OuterRef("pk"))),
            **{_member_of(role): Exists(memberships.filter(group__name=role.value)) for role in ROLE_PRIORITY},
        )
        try:
            user = people.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        groups = {role.value for role in ROLE_PRIORITY if getattr(user, _member_of(role))}
        user._integrity_role = Role.ADMIN if user.is_superuser else role_from(groups)
        user._integrity_is_top_leader = user.leads_a_unit
        return user
