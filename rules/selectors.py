"""Read-side queries for the rule pages, each scoped to what the actor may see."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from integrity.baked import baked
from integrity.selectors import grouped

from .models import (
    ELEMENTS,
    HAS_BEEN_IN_FORCE,
    OPEN_STATUSES,
    Article,
    Comment,
    Decision,
    Rule,
    RuleVersion,
    Status,
    Transition,
)
from .permissions import rules_visible_to
from .search import search_rules

# Each sort ends on the primary key in the same direction, so that an index serves it whole.
SORTS = {
    "code": ("code",),
    "-code": ("-code",),
    "title": ("title", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "next_review": ("next_review_on", "pk"),
    "category": ("category", "code"),
}

VERSION_LONG_FIELDS = (*(name for name, _label in ELEMENTS), "change_summary", "operability_justification")


def long_texts(*, rule: str | None = None, version: str | None = None) -> list[str]:
    """What a list that shows rules' codes and titles and versions' numbers leaves in the database, for
    .defer(): the rule's search document and the version's long texts. `rule` and `version` are the
    lookup paths to each ("" for the queryset's own model; None to leave it out)."""
    fields = []
    if rule is not None:
        fields.append(f"{rule}__search_text" if rule else "search_text")
    if version is not None:
        fields += [f"{version}__{name}" if version else name for name in VERSION_LONG_FIELDS]
    return fields


LIST_DEFERRED = long_texts(rule="", version="current_version")


@dataclass
class RegisterFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    issuing_unit: str = ""  # a unit's code, or part of its name
    in_force_on: date | None = None
    review_due_before: date | None = None
    sort: str = "-updated"


def rule_list(*, actor, filters: RegisterFilters):
    """The register: rules the actor may see, filtered, searched and sorted."""
    qs = rules_visible_to(actor).select_related("issuing_unit", "current_version").defer(*LIST_DEFERRED)
    if filters.status in OPEN_STATUSES:
        # A rule in force may have an amendment in preparation: match either.
        in_preparation = RuleVersion.objects.filter(status=filters.status).values("rule_id")
        qs = qs.filter(Q(status=filters.status) | Q(pk__in=in_preparation))
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.issuing_unit:
        qs = qs.filter(
            Q(issuing_unit__code=filters.issuing_unit) | Q(issuing_unit__name__icontains=filters.issuing_unit)
        )
    if filters.review_due_before:
        qs = qs.filter(status=Status.IN_FORCE, next_review_on__lte=filters.review_due_before)
    qs = search_rules(qs, filters.q)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-updated"]))


def versions_in_force_on(*, actor, day: date, filters: RegisterFilters):
    """Point in time: for each rule, the version that was in force on `day`, in that wording."""
    rules = rule_list(actor=actor, filters=RegisterFilters(**{**filters.__dict__, "status": "", "in_force_on": None}))
    qs = (
        RuleVersion.objects.filter(status__in=HAS_BEEN_IN_FORCE, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))
        .select_related("rule", "rule__issuing_unit")
    )
    if rules.query.where:  # filters, or a reader's scope; an officer's whole register needs no semi-join
        qs = qs.filter(rule__in=rules.values("pk"))
    sort = [
        f"-rule__{f[1:]}" if f.startswith("-") else f"rule__{f}" for f in SORTS.get(filters.sort, SORTS["-updated"])
    ]
    return qs.order_by(*sort)


def notice_board(*, q: str = ""):
    """Rules in force, for everyone, newest first."""
    qs = Rule.objects.in_force().select_related("issuing_unit", "current_version").defer(*LIST_DEFERRED)
    return search_rules(qs, q).order_by("category", "code")


# The statements of every rule page, compiled once (integrity.baked): building and compiling them cost
# more than running them.
@baked
def _versions_of(*, rule_id):
    return RuleVersion.objects.filter(rule_id=rule_id).select_related("authored_by", "approved_by").order_by("-number")


@baked
def _versions_in_force_of(*, rule_id):
    return (
        RuleVersion.objects.filter(rule_id=rule_id, status__in=HAS_BEEN_IN_FORCE)
        .select_related("authored_by", "approved_by")
        .order_by("-number")
    )


def rule_versions(*, rule: Rule, in_force_only: bool = False) -> list:
    """The rule's versions, newest first; `in_force_only`: those that have been in force."""
    versions = (_versions_in_force_of if in_force_only else _versions_of).list(rule_id=rule.pk)
    return _with_parent(versions, "rule", rule)


def _with_parent(rows: list, field: str, parent) -> list:
    """Rows read by their parent's key, with the parent object set on each, as the related manager
    (parent.<rows>.all()) sets it: a template that reaches it back sends no statement per row."""
    for row in rows:
        setattr(row, field, parent)
    return rows


@baked
def _implementation_rules_of(*, parent_id):
    return Rule.objects.filter(parent_id=parent_id).select_related("current_version").order_by("code")


def implementation_rules(*, rule: Rule) -> list:
    return _with_parent(_implementation_rules_of.list(parent_id=rule.pk), "parent", rule)


@baked
def _articles_of(*, version_id):
    return Article.objects.filter(version_id=version_id).order_by("number")


def version_articles(*, version: RuleVersion) -> list:
    return _with_parent(_articles_of.list(version_id=version.pk), "version", version)


@baked
def _transitions_of(*, version_id):
    return Transition.objects.filter(version_id=version_id).select_related("actor").order_by("at", "pk")


def version_transitions(*, version: RuleVersion) -> list:
    return _with_parent(_transitions_of.list(version_id=version.pk), "version", version)


@baked
def _comments_by_decision(*, version_id):
    return grouped(Comment.objects.filter(consultation__version_id=version_id), "decision")


def consultation_summary(*, version: RuleVersion) -> dict:
    """Counts by decision and every comment not (fully) adopted with its reason."""
    comments = Comment.objects.filter(consultation__version=version)
    by_decision = {row["decision"]: row["n"] for row in _comments_by_decision.list(version_id=version.pk)}
    counts = {
        "total": sum(by_decision.values()),
        "adopted": by_decision.get(Decision.ADOPTED, 0),
        "partly": by_decision.get(Decision.PARTLY, 0),
        "not_adopted": by_decision.get(Decision.NOT_ADOPTED, 0),
        "pending": by_decision.get(Decision.PENDING, 0),
    }
    unadopted = []
    if counts["partly"] or counts["not_adopted"]:  # read only when there are some
        unadopted = list(
            comments.filter(decision__in=[Decision.PARTLY, Decision.NOT_ADOPTED])
            .select_related("article", "author")
            .order_by("article__number", "created_at")
        )
    return {"counts": counts, "unadopted": unadopted}


def consultation_comments(*, consultation, author=None):
    qs = consultation.comments.select_related("article", "author", "decided_by").order_by(
        "article__number", "created_at"
    )
    if author is not None:
        qs = qs.filter(author=author)
    return qs


@dataclass
class HistoryRow:
    when: object
    who: object
    what: str
    changes: list  # [(field label, old, new)]
    reason: str


def rule_history(*, rule: Rule, limit: int = 200) -> list[HistoryRow]:
    """Field-by-field changes of the rule, its versions and their articles, newest first."""
    rows = []
    sources = [
        (rule.history.all(), lambda r: str(r.instance_type._meta.verbose_name).capitalize(), Rule),
        (
            RuleVersion.history.filter(rule_id=rule.pk),
            lambda r: f"{RuleVersion._meta.verbose_name.capitalize()} {r.number}",
            RuleVersion,
        ),
        (
            Article.history.filter(version__rule_id=rule.pk),
            lambda r: f"{Article._meta.verbose_name.capitalize()} {r.number}",
            Article,
        ),
    ]
    for records, label, model in sources:
        records = list(records.select_related("history_user").order_by("history_date", "history_id")[: limit * 4])
        previous_by_object = {}
        # Each field's label and choice labels once per call, not once per change.
        fields = [
            (f.attname, str(f.verbose_name), {k: str(v) for k, v in f.flatchoices} if f.choices else None)
            for f in model._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at", "lock_version")
        ]
        for record in records:
            before = previous_by_object.get(record.id)
            created = before is None and record.history_type == "+"
            changes = []
            for attname, field_label, choices in fields:
                new = getattr(record, attname, None)
                old = getattr(before, attname, None) if before is not None else None
                if created:
                    if new not in (None, ""):
                        changes.append((field_label, "", _display(new, choices)))
                elif old != new:
                    changes.append((field_label, _display(old, choices), _display(new, choices)))
            previous_by_object[record.id] = record
            if record.history_type == "~" and not changes:
                continue
            rows.append(
                HistoryRow(
                    when=record.history_date,
                    who=record.history_user,
                    what=f"{label(record)} · {record.get_history_type_display()}",
                    changes=changes,
                    reason=record.history_change_reason or "",
                )
            )
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows[:limit]


HISTORY_VALUE_SHOWN = 200  # characters of an old or new value shown in the history


def _display(value, choices=None):
    """A value as the history shows it: its choice label, cut to HISTORY_VALUE_SHOWN characters."""
    if value is None:
        return ""
    text = choices.get(value, str(value)) if choices is not None else str(value)
    if len(text) > HISTORY_VALUE_SHOWN:
        text = text[: HISTORY_VALUE_SHOWN - 1] + "…"
    return text
