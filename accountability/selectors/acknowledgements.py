"""Read-side queries of acknowledgements: a person's rules, completion figures, campaigns.

Completion figures are aggregated in the database (COUNT ... FILTER), grouped per unit or per rule,
so a page costs the same few queries for ten people or ten thousand.
"""

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
)
from django.utils import timezone

from integrity.baked import baked
from integrity.models import Unit
from integrity.selectors import count_of
from rules.models import RuleVersion, Status

from ..models import (
    Acknowledgement,
    Campaign,
)
from ..permissions import (
    audience_q,
    may_owe_acknowledgements,
    unit_ancestors,
)


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


def pending_count(*, user) -> int:
    """The number of my_rules(user=user, state="pending"), counted through a baked query."""
    if not may_owe_acknowledgements(user):
        return 0
    query = _MY_RULES[(bool(user.is_leading_cadre), "pending")]
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
