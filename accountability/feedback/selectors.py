"""Read-side queries for the feedback pages, each scoped to what the actor may see."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from integrity.baked import baked
from integrity.selectors import count_each_baked, counts_by, grouped
from rules.models import Rule

from . import receipts
from .models import AWAITING_RESPONSE, OPEN_STATUSES, Event, Feedback, Message, MessageKind, ReviewSuggestion, Status
from .permissions import can, feedback_visible_to

SORTS = {
    "-received": ("-received_at", "-pk"),
    "received": ("received_at", "pk"),
    "due": ("response_due_on", "pk"),
    "-due": ("-response_due_on", "-pk"),
    "rule": ("rule__code", "-received_at", "-pk"),
    "status": ("status", "-received_at", "-pk"),
}


@dataclass
class QueueFilters:
    q: str = ""
    status: str = ""  # a status, "open" or "" (any)
    kind: str = ""
    channel: str = ""
    assignee: str = ""  # "me", "none" or a user id
    rule: str = ""  # rule code
    overdue: bool = False
    review_suggested: bool = False
    sort: str = "-received"


def _open_suggestion():
    return ReviewSuggestion.objects.filter(rule_id=OuterRef("rule_id"), resolved_at__isnull=True)


def feedback_queue(*, actor, filters: QueueFilters):
    """The triage queue: every item the actor may see, filtered, searched and sorted (two queries a page)."""
    shape, values = _queue_shape(actor, filters)
    qs = _queue_statement(feedback_visible_to(actor), shape, **values)
    q = (filters.q or "").strip()
    if q:
        search = Q(text__icontains=q) | Q(rule__code__icontains=q) | Q(rule__title__icontains=q)
        reference = q.upper().removeprefix("FB-").lstrip("0")
        if reference.isdigit():
            search |= Q(pk=int(reference))
        qs = qs.filter(search)
    return qs


def _queue_shape(actor, filters: QueueFilters) -> tuple[tuple, dict]:
    """The filters (the search apart) as the statement's shape, and the values that go into it."""
    values = {}
    status = "open" if filters.status == "open" else "one" if filters.status else ""
    if status == "one":
        values["status"] = filters.status
    for name in ("kind", "channel"):
        if getattr(filters, name):
            values[name] = getattr(filters, name)
    assignee = ""
    if filters.assignee == "me" or filters.assignee.isdigit():
        assignee, values["assignee_id"] = "one", actor.pk if filters.assignee == "me" else int(filters.assignee)
    elif filters.assignee == "none":
        assignee = "none"
    if filters.rule:
        values["rule_code"] = filters.rule
    if filters.overdue:
        values["today"] = timezone.localdate()
    sort = filters.sort if filters.sort in SORTS else "-received"
    shape = (status, *(name in values for name in ("kind", "channel", "rule_code", "today")), assignee)
    return (*shape, bool(filters.review_suggested), sort), values


def _queue_statement(qs, shape, **values):
    status, kind, channel, rule, overdue, assignee, review_suggested, sort = shape
    qs = qs.select_related("rule", "article", "assignee", "sender").annotate(
        review_suggested=Exists(_open_suggestion())
    )
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "one":
        qs = qs.filter(status=values["status"])
    if kind:
        qs = qs.filter(kind=values["kind"])
    if channel:
        qs = qs.filter(channel=values["channel"])
    if assignee == "one":
        qs = qs.filter(assignee_id=values["assignee_id"])
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    if rule:
        qs = qs.filter(rule__code=values["rule_code"])
    if overdue:
        qs = qs.filter(status__in=AWAITING_RESPONSE, response_due_on__lt=values["today"])
    if review_suggested:
        qs = qs.filter(review_suggested=True)
    return qs.order_by(*SORTS[sort])


_QUEUE_PAGES: dict = {}  # shape -> a baked query of the queue, built as shapes are asked


def queue_pages(*, actor, filters: QueueFilters):
    """(first_rows, count_rows) for the paginator of feedback_queue() for an officer (who sees every item),
    through a baked query; (None, None) for a search (its pattern is not a plain value) or anyone else."""
    if not can(actor, "view_queue") or (filters.q or "").strip():
        return None, None
    shape, values = _queue_shape(actor, filters)
    query = _QUEUE_PAGES.get(shape)
    if query is None:
        query = _QUEUE_PAGES[shape] = baked(lambda **v: _queue_statement(Feedback.objects.all(), shape, **v))
    return query.pages(**values)


def my_feedback(*, actor):
    """What the person sent under their name, newest first, with the number of replies."""
    return _sent_by(actor.pk)


def _sent_by(sender_id):
    return (
        Feedback.objects.filter(sender_id=sender_id, is_anonymous=False)  # Feedback.objects.of_sender
        .select_related("rule", "article")
        .annotate(reply_count=Count("messages", filter=Q(messages__kind=MessageKind.REPLY)))
        .order_by("-received_at", "-pk")
    )


_sent_by_baked = baked(lambda *, sender_id: _sent_by(sender_id))


def my_feedback_pages(*, actor):
    """(first_rows, count_rows) for the paginator of my_feedback(), through a baked query."""
    return _sent_by_baked.pages(sender_id=actor.pk)


@baked
def _messages_of(*, feedback_id):
    return Message.objects.filter(feedback_id=feedback_id).select_related("author").order_by("created_at", "pk")


@baked
def _messages_to_sender_of(*, feedback_id):
    return (
        Message.objects.filter(feedback_id=feedback_id)
        .exclude(kind=MessageKind.NOTE)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def conversation(*, feedback, include_internal: bool) -> list:
    """The messages of an item in order; internal notes only for officers."""
    messages = (_messages_of if include_internal else _messages_to_sender_of).list(feedback_id=feedback.pk)
    for message in messages:
        message.feedback = feedback  # the item is known: no statement per message that reaches it back
    return messages


@baked
def _events_of(*, feedback_id):
    return Event.objects.filter(feedback_id=feedback_id).select_related("actor", "assignee").order_by("at", "pk")


def feedback_events(*, feedback) -> list:
    events = _events_of.list(feedback_id=feedback.pk)
    for event in events:
        event.feedback = feedback
    return events


def feedback_by_receipt(*, code: str) -> Feedback | None:
    """The item a receipt code opens, or None for a wrong or malformed code (no difference either way)."""
    code_hash = receipts.lookup_hash(code)
    feedback = Feedback.objects.select_related("rule", "article").filter(receipt_hash=code_hash).first()
    if feedback is None or not receipts.matches(code_hash, feedback.receipt_hash):
        return None
    return feedback


@baked
def _open_suggestions_of(*, rule_id):
    return open_review_suggestions().filter(rule_id=rule_id)


@baked
def _latest_open_suggestions():
    return open_review_suggestions()


@baked
def _open_suggestions_of_rule_code(*, code):
    return open_review_suggestions().filter(rule__code=code)


def queue_review_suggestions(*, rule_code: str = "") -> list:
    """The queue's "review suggested" panel: the rule's flag when the queue is filtered by a rule, else the
    ten latest flags, each with its items."""
    if rule_code:
        return _open_suggestions_of_rule_code.list(code=rule_code)
    return _latest_open_suggestions.list(limit=10)


def rule_review_suggestions(*, rule: Rule) -> list:
    """The rule's open "review suggested" flag (none or one), with the triggering items."""
    return _open_suggestions_of.list(rule_id=rule.pk)


def open_review_suggestions(*, rule: Rule | None = None):
    """Rules flagged "review suggested", with the triggering items."""
    qs = ReviewSuggestion.objects.filter(resolved_at__isnull=True).select_related("rule")
    if rule is not None:
        qs = qs.filter(rule=rule)
    items = Feedback.objects.select_related("article").order_by("-received_at")
    return qs.prefetch_related(Prefetch("items", queryset=items)).order_by("-created_at")


@baked
def _feedback_by_status_of_rule(*, rule_id):
    return grouped(Feedback.objects.filter(rule_id=rule_id), "status")


def rule_feedback_summary(*, rule: Rule) -> dict:
    """Counts for the rule page tab: all items and open ones, and whether a review is suggested."""
    by_status = {row["status"]: row["n"] for row in _feedback_by_status_of_rule.list(rule_id=rule.pk)}
    return {
        "total": sum(by_status.values()),
        "open": sum(n for status, n in by_status.items() if status in OPEN_STATUSES),
        "review_suggested": review_suggested(rule=rule),
    }


@baked
def _open_suggestion_of(*, rule_id):
    return ReviewSuggestion.objects.filter(rule_id=rule_id, resolved_at__isnull=True).values_list("pk")


def review_suggested(*, rule: Rule) -> bool:
    """Whether an unresolved review suggestion stands on the rule. Kept on the rule object for the rest
    of the request: the feedback tab and the reviews tab of a rule page both ask."""
    known = getattr(rule, "_review_suggested", None)
    if known is None:
        known = bool(_open_suggestion_of.list(rule_id=rule.pk, limit=1))
        rule._review_suggested = known
    return known


def officer_counts(*, actor) -> dict:
    """The queue's headline counts. One COUNT each, so that each is answered from its own index
    (assignee/status, status/due date) instead of one pass over every feedback item; all four in one
    statement."""
    return count_each_baked(
        unassigned=(_unassigned_items, {}),
        overdue=(_overdue_items, {"today": timezone.localdate()}),
        mine=(_items_awaiting_of, {"assignee_id": actor.pk}),
        review_suggested=(_open_suggestion_flags, {}),
    )


_unassigned_items = baked(lambda: Feedback.objects.filter(assignee__isnull=True, status__in=OPEN_STATUSES))
_overdue_items = baked(
    lambda *, today: Feedback.objects.filter(status__in=AWAITING_RESPONSE, response_due_on__lt=today)
)
_items_awaiting_of = baked(
    lambda *, assignee_id: Feedback.objects.filter(assignee_id=assignee_id, status__in=AWAITING_RESPONSE)
)
_open_suggestion_flags = baked(lambda: ReviewSuggestion.objects.filter(resolved_at__isnull=True))


def sender_counts(*, actor) -> dict:
    by_status = {row["status"]: row["n"] for row in counts_by(Feedback.objects.of_sender(actor), "status")}
    return {
        "answered": by_status.get(Status.ANSWERED, 0),
        "waiting": sum(n for status, n in by_status.items() if status in AWAITING_RESPONSE),
    }


def recent_replies(*, actor, limit: int = 5):
    """The sender's items with the latest replies."""
    return list(
        Feedback.objects.of_sender(actor)
        .filter(last_reply_at__isnull=False)
        .select_related("rule")
        .order_by("-last_reply_at")[:limit]
    )


OFFICER_CHOICES_KEY = "feedback:officer-choices"
OFFICER_CHOICES_SECONDS = 300


def officers():
    """The people feedback can be assigned to: the discipline officers."""
    from integrity.selectors import officers as discipline_officers

    return discipline_officers()


def officer_choices() -> list[tuple[int, str]]:
    """(id, name) of the officers, for the forms and filters that list them; cached five minutes (the
    list changes rarely). Choosing one is checked against the database again (OfficerField)."""

    def compute():
        return [
            (user.pk, str(user)) for user in officers().only("pk", "full_name", "first_name", "last_name", "username")
        ]

    return cache.get_or_set(OFFICER_CHOICES_KEY, compute, OFFICER_CHOICES_SECONDS)


def export_rows(qs):
    """Plain rows for the CSV/XLSX download of exactly what the queue shows."""
    for f in qs.iterator(chunk_size=500):
        yield [
            f.reference,
            f.received_at.date().isoformat(),
            f.get_channel_display(),
            f.get_kind_display(),
            f.rule.code if f.rule_id else "",
            f.article.number if f.article_id else "",
            f.get_status_display(),
            str(f.assignee) if f.assignee_id else "",
            str(f.sender) if f.sender_id else "",
            f.response_due_on.isoformat(),
            "✓" if f.is_overdue else "",
            f.text[:1000],
        ]


def can_see_internal(user) -> bool:
    return can(user, "add_note")
