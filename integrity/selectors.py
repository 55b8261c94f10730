"""Read-side queries of the organisation layer, scoped to what the actor may see."""

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .baked import baked
from .models import Notification, Unit, User
from .permissions import units_in_scope


def count_each(**querysets) -> dict[str, int]:
    """The number of rows of each queryset, all in one statement: one scalar COUNT subquery per
    queryset, so each is still answered from its own index, without a round trip and a compiled
    query apiece. For pages that show several independent counts (home panels, queue headlines)."""
    counts = {name: 0 for name, qs in querysets.items() if qs.query.is_empty()}  # .none(): nothing to ask
    asked = [name for name in querysets if name not in counts]
    if not asked:
        return counts
    statements = [
        querysets[name].order_by().values("pk").query.get_compiler(connection.alias).as_sql() for name in asked
    ]
    counts.update(zip(asked, _counted_together(statements), strict=True))
    return {name: counts[name] for name in querysets}


def _counted_together(statements) -> list[int]:
    """The number of rows of each (sql, params) statement, in one statement of scalar COUNT subqueries."""
    parts, params = [], []
    for index, (sql, statement_params) in enumerate(statements):
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{index})")  # noqa: S608 (compiled by the ORM; values are params)
        params.extend(statement_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        return [int(n) for n in cursor.fetchone()]


def counts_by(qs, *fields, **flags) -> list[dict]:
    """The rows of the queryset grouped by the fields and the flags (``name=Q(...)``, each a yes/no
    column), every group with its number of rows as ``n``: one statement of a few rows, whose figures the
    caller adds up. One filtered COUNT per figure gives the same numbers, but building each COUNT with its
    filter costs the ORM more than the statement costs PostgreSQL."""
    return list(grouped(qs, *fields, **flags))


def grouped(qs, *fields, **flags):
    """The statement of counts_by, not yet run: for a baked query (integrity.baked) to build."""
    columns = {name: ExpressionWrapper(condition, output_field=BooleanField()) for name, condition in flags.items()}
    return qs.order_by().values(*fields, **columns).annotate(n=Count("pk"))


def count_each_baked(**counted) -> dict[str, int]:
    """count_each for baked queries ({name: (query, values)}): all in one statement, and nothing
    compiled after the first time."""
    statements = [query.statement(counting=True, **values) for query, values in counted.values()]
    return dict(zip(counted, _counted_together(statements), strict=True))


def not_inactive(field: str = "user") -> Q:
    """Rows whose person (`field`) has not left: the same rows as filter(user__is_active=True), as a test
    against the few people who left (their own index) instead of a join to every person. For counts
    that need nothing else of the person."""
    return ~Q(**{f"{field}_id__in": User.objects.filter(is_active=False).values("pk")})


def unit_list(*, actor, q: str = ""):
    """Units the actor may see, with member counts."""
    qs = units_in_scope(actor).select_related("top_leader", "parent")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    # Counted per listed unit (a correlated subquery): only the page's 25 units are counted, instead of
    # grouping every person of the organisation before the first page can be cut.
    members = User.objects.filter(unit=OuterRef("pk"), is_active=True)
    return qs.annotate(member_count=count_of(members, "unit")).order_by("path")


def count_of(qs, group_field):
    """A correlated COUNT subquery, 0 when nothing matches: counted only for the rows the outer query
    returns, and several of them on one row never multiply each other."""
    counted = qs.order_by().values(group_field).annotate(c=Count("pk")).values("c")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def unit_members(*, unit: Unit):
    return _members_of(unit.pk)


def _members_of(unit_id):
    return User.objects.filter(unit_id=unit_id, is_active=True).order_by("-is_leading_cadre", "full_name", "username")


_members_of_baked = baked(lambda *, unit_id: _members_of(unit_id))


def unit_members_pages(*, unit: Unit):
    """(first_rows, count_rows) for the paginator of unit_members(unit=unit), through a baked query."""
    return _members_of_baked.pages(unit_id=unit.pk)


ORG_FIGURES_SECONDS = 300


def org_figures():
    """Counts for the officers' home page: the same for every officer, and counting 200,000 people
    on each visit would cost more than the rest of the page, so they are cached for five minutes."""
    return cache.get_or_set("integrity:org-figures", _count_org_figures, ORG_FIGURES_SECONDS)


def _count_org_figures():
    people = User.objects.filter(is_active=True).aggregate(
        total=Count("pk"), leading=Count("pk", filter=Q(is_leading_cadre=True))
    )
    units = Unit.objects.filter(is_active=True).aggregate(
        total=Count("pk"), top_leaders=Count("pk", filter=Q(top_leader__isnull=False))
    )
    return {
        "people": people["total"],
        "leading_cadres": people["leading"],
        "units": units["total"],
        "units_with_leader": units["top_leaders"],
    }


UNREAD_SHOWN_UP_TO = 99


def unread_count(*, user) -> int:
    """Unread notifications, counted up to 100 (the badge then reads "99+"): a count that stops early
    stays cheap for an officer with thousands of unread reminders, on every page. Written out (portable
    SQL, served by the recipient/read_at index) because every page's header runs it."""
    meta = Notification._meta
    recipient, read_at = meta.get_field("recipient").column, meta.get_field("read_at").column
    # Table and column names from the models' metadata; values are bound parameters.
    sql = (
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {meta.db_table} "  # noqa: S608
        f"WHERE {recipient} = %s AND {read_at} IS NULL LIMIT %s) unread"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, UNREAD_SHOWN_UP_TO + 1])
        return cursor.fetchone()[0]


def inbox(*, user, unread_only: bool = False):
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def officers():
    """The discipline officers: active members of the officer and admin groups, and superusers (who
    supervise, review and answer feedback). Ids first — the groups', their members' through the
    membership index, the superusers' — so no DISTINCT over everyone joined to their groups."""
    from django.contrib.auth.models import Group

    from .roles import Role

    group_ids = list(Group.objects.filter(name__in=[Role.OFFICER.value, Role.ADMIN.value]).values_list("pk", flat=True))
    ids = set(User.groups.through.objects.filter(group_id__in=group_ids).values_list("user_id", flat=True))
    ids.update(User.objects.filter(is_superuser=True).order_by().values_list("pk", flat=True))
    return User.objects.filter(pk__in=sorted(ids), is_active=True).order_by("full_name", "username")


def people_of(units):
    """Active people of these units and of the units below them."""
    paths = [u.path for u in units]
    if not paths:
        return User.objects.none()
    query = Q()
    for path in paths:
        query |= Q(unit__path__startswith=path)
    return User.objects.filter(query, is_active=True).select_related("unit").order_by("unit__path", "username")
