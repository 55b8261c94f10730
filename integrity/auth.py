"""The authentication backend: Django's, with what every page asks about the person read up front.

Nearly every page decides scope from the user's unit (its path gives the units above and below), and
every page's header shows the person's role and whether they lead a unit. The unit is loaded with the
person; the role groups and the units they lead come back from one small statement, written out
rather than built by the ORM because every request pays for it (see `standing_of`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db import connection

from .models import Unit
from .permissions import begin_request_memo, remember_led_units
from .roles import remember_role, role_from


class UnitAwareBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("unit").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        group_names, led_paths = standing_of(user.pk)
        remember_role(user, role_from(is_superuser=user.is_superuser, group_names=group_names))
        remember_led_units(user, led_paths)
        begin_request_memo(user)
        return user


def standing_of(user_id) -> tuple[list[str], list[str]]:
    """The names of the person's groups and the paths of the units they are the top leader of: one
    round trip in portable SQL (PostgreSQL and SQLite)."""
    memberships = get_user_model().groups.through._meta
    user_column = memberships.get_field("user").column
    group_column = memberships.get_field("group").column
    group_table = Group._meta.db_table
    unit_table = Unit._meta.db_table
    leader_column = Unit._meta.get_field("top_leader").column
    path_column = Unit._meta.get_field("path").column
    # Table and column names from the models' metadata; values are bound parameters.
    sql = (
        f"SELECT 'group', g.name FROM {memberships.db_table} m JOIN {group_table} g ON g.id = m.{group_column} "  # noqa: S608
        f"WHERE m.{user_column} = %s "
        f"UNION ALL SELECT 'led', {path_column} FROM {unit_table} WHERE {leader_column} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        rows = cursor.fetchall()
    return [value for kind, value in rows if kind == "group"], [value for kind, value in rows if kind == "led"]
