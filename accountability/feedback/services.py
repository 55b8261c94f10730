"""Business actions on feedback: submit, report, assign, reply, note, move, and the review trigger.

Each is a plain function with keyword-only arguments; each locks the rows it changes, checks the
move against transitions.TRANSITIONS and records who did it (nobody, for an anonymous sender:
the history user is set to None explicitly so the request's user never leaks into the history).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.history import save_as as _save
from integrity.services import ServiceError, notification_send
from rules.models import Article, Rule
from rules.models import Status as RuleStatus

from . import receipts
from .models import (
    CADRE_KINDS,
    PUBLIC_KINDS,
    REVIEW_KINDS,
    Channel,
    Event,
    EventAction,
    Feedback,
    Kind,
    Message,
    MessageKind,
    ResponseTimeLimit,
    ReviewSuggestion,
    Status,
)
from .permissions import can
from .transitions import ensure_transition

MAX_TEXT = 10_000
DEFAULT_RESPONSE_DAYS = 15
# A resubmitted public form shows the receipt code again only this soon after the first submission.
RESHOW_CODE_WITHIN = timedelta(minutes=30)


@dataclass
class Submission:
    """What a submission produced: the item, its receipt code (anonymous only) and whether it is new."""

    feedback: Feedback
    receipt_code: str | None
    created: bool


# Settings, read at call time.
def review_threshold() -> int:
    return int(getattr(settings, "FEEDBACK_REVIEW_THRESHOLD", 3))


def review_window_days() -> int:
    return int(getattr(settings, "FEEDBACK_REVIEW_WINDOW_DAYS", 180))


def response_days(kind: str) -> int:
    """Working days to answer feedback of this kind: the admin's table, else FEEDBACK_RESPONSE_DAYS (15)."""
    limit = ResponseTimeLimit.objects.filter(kind=kind).values_list("days", flat=True).first()
    return limit if limit is not None else int(getattr(settings, "FEEDBACK_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS))


# Every item of a kind received on the same day has the same response date: it is computed once and
# kept for RESPONSE_DUE_SECONDS (two statements fewer per submission, the public form's hot path). A
# change to the calendar or to the time limits forgets it (forget_response_dates, from the receivers).
RESPONSE_DUE_SECONDS = 300


def _response_due_key(kind: str, received_on) -> str:
    default_days = getattr(settings, "FEEDBACK_RESPONSE_DAYS", DEFAULT_RESPONSE_DAYS)
    return f"feedback:response-due:{kind}:{received_on.isoformat()}:{default_days}"


def response_due_on(*, kind: str, received_on):
    """The response date: the time limit counted in working days (integrity.calendar)."""
    from integrity.calendar import add_working_days

    key = _response_due_key(kind, received_on)
    due = cache.get(key)
    if due is None:
        due = add_working_days(received_on, response_days(kind))
        cache.set(key, due, RESPONSE_DUE_SECONDS)
    return due


def forget_response_dates(*, today=None) -> None:
    """Forget the response dates computed for yesterday, today and tomorrow (every kind): the calendar
    or a time limit changed. Older days are never asked for again; their entries simply expire."""
    today = today or timezone.localdate()
    days = [today + timedelta(days=offset) for offset in (-1, 0, 1)]
    cache.delete_many([_response_due_key(kind, day) for kind in Kind.values for day in days])


def _clean_text(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise ServiceError(_("Write what the feedback is about."))
    if len(text) > MAX_TEXT:
        raise ServiceError(
            _("The text is %(length)d characters long; at most %(max)d are accepted. Shorten it or attach a file.")
            % {"length": len(text), "max": MAX_TEXT}
        )
    return text


def _record(feedback, *, action, actor, from_status="", to_status="", assignee=None, reason=""):
    Event.objects.create(
        feedback=feedback,
        action=action,
        from_status=from_status,
        to_status=to_status,
        assignee=assignee,
        actor=actor,
        reason=reason,
    )


def _move(feedback, *, to, actor, reason="", via="") -> None:
    """Check and apply a status move on a locked item, and record it. The caller saves."""
    ensure_transition(feedback, to=to, reason=reason, via=via)
    _record(feedback, action=EventAction.STATUS, actor=actor, from_status=feedback.status, to_status=to, reason=reason)
    feedback.status = to
    if to == Status.CLOSED:
        feedback.closed_at = timezone.now()


def _existing(key: str) -> Feedback | None:
    return Feedback.objects.filter(submission_key=key).first()


def _validate_rule(rule, article, conflicting_rule, kind, kinds):
    if kind not in kinds:
        raise ServiceError(_("Choose one of the kinds offered."))
    if rule is not None and rule.status != RuleStatus.IN_FORCE:
        raise ServiceError(_("Feedback can be given only on a rule in force; %(code)s is not.") % {"code": rule.code})
    if article is not None and (rule is None or article.version_id != rule.current_version_id):
        raise ServiceError(_("The article must belong to the wording of the rule now in force."))
    if conflicting_rule is not None and rule is not None and conflicting_rule.pk == rule.pk:
        raise ServiceError(_("A rule cannot conflict with itself; choose the other rule."))


def _create(*, token, fields, actor, anonymous) -> Submission:
    """Create the item once per form token; a resubmitted form returns the item it created.

    The insert comes first: a resubmitted token hits the unique submission key (its savepoint is rolled
    back) and the item it created is read then. A new item, by far the common case, costs no lookup."""
    key = receipts.token_digest(token)
    code = receipts.code_for_token(token) if anonymous else None
    now = timezone.now()
    feedback = Feedback(
        submission_key=key,
        received_at=now,
        response_due_on=response_due_on(kind=fields["kind"], received_on=timezone.localdate(now)),
        receipt_hash=receipts.hash_code(code) if code else None,
        is_anonymous=anonymous,
        **fields,
    )
    try:
        with transaction.atomic():
            _save(feedback, None if anonymous else actor)
    except IntegrityError:
        existing = _existing(key)
        if existing is None:
            raise
        return Submission(existing, _code_if_fresh(existing, code), created=False)
    if feedback.rule_id and feedback.kind in REVIEW_KINDS:
        review_suggestion_refresh(rule=feedback.rule)
    return Submission(feedback, code, created=True)


def _code_if_fresh(feedback, code):
    if code and feedback.receipt_hash and timezone.now() - feedback.received_at <= RESHOW_CODE_WITHIN:
        return code
    return None


def _attachment_fields(attachment):
    if not attachment:
        return {}
    return {"attachment": attachment, "attachment_name": (attachment.name or "")[-200:]}


@transaction.atomic
def feedback_submit(
    *,
    actor,
    token: str,
    rule: Rule,
    kind: str,
    text: str,
    article: Article | None = None,
    conflicting_rule: Rule | None = None,
    attachment=None,
    anonymous: bool = False,
) -> Submission:
    """A person with an account sends feedback on a rule in force; anonymous feedback gets a receipt code."""
    if not can(actor, "submit_feedback"):
        raise ServiceError(_("Your account cannot send feedback."))
    if rule is None:
        raise ServiceError(_("Choose the rule the feedback is about."))
    _validate_rule(rule, article, conflicting_rule, kind, CADRE_KINDS)
    if kind == "conflict" and conflicting_rule is None:
        raise ServiceError(_("Say which rule it conflicts with."))
    fields = {
        "channel": Channel.CADRE,
        "kind": kind,
        "rule": rule,
        "article": article,
        "conflicting_rule": conflicting_rule if kind == "conflict" else None,
        "text": _clean_text(text),
        "sender": None if anonymous else actor,
        **_attachment_fields(attachment),
    }
    return _create(token=token, fields=fields, actor=actor, anonymous=anonymous)


@transaction.atomic
def report_submit(
    *,
    token: str,
    kind: str,
    text: str,
    rule: Rule | None = None,
    contact: str = "",
    attachment=None,
    receipt_code: str | None = None,
) -> Submission:
    """Anyone reports through the public channel, without an account; they get a receipt code.

    receipt_code: a code chosen by the caller instead of the derived one (documented demo data only).
    """
    _validate_rule(rule, None, None, kind, PUBLIC_KINDS)
    fields = {
        "channel": Channel.PUBLIC,
        "kind": kind,
        "rule": rule,
        "text": _clean_text(text),
        "contact": (contact or "").strip()[:200],
        **_attachment_fields(attachment),
    }
    submission = _create(token=token, fields=fields, actor=None, anonymous=True)
    if receipt_code and submission.created:
        Feedback.objects.filter(pk=submission.feedback.pk).update(receipt_hash=receipts.hash_code(receipt_code))
        submission.receipt_code = receipts.format_code(receipts.normalise(receipt_code))
    return submission


def _lock(feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def _require(actor, action):
    if not can(actor, action):
        raise ServiceError(_("Your role does not allow this action."))


def _assign(feedback, *, assignee, actor) -> bool:
    if not can(assignee, "be_assigned"):
        raise ServiceError(
            _("%(name)s is not an officer; feedback can be assigned only to officers.") % {"name": assignee}
        )
    if feedback.assignee_id == assignee.pk:
        return False
    fields = ["assignee", "updated_at"]
    _record(feedback, action=EventAction.ASSIGN, actor=actor, assignee=assignee)
    feedback.assignee = assignee
    if feedback.status == Status.RECEIVED:
        _move(feedback, to=Status.TRIAGED, actor=actor)
        fields.append("status")
    _save(feedback, actor, fields)
    if assignee.pk != actor.pk:
        notification_send(
            recipient=assignee,
            subject=_("Feedback %(ref)s was assigned to you") % {"ref": feedback.reference},
            body=_("Answer by %(date)s.") % {"date": feedback.response_due_on.isoformat()},
            url=feedback.get_absolute_url(),
        )
    return True


@transaction.atomic
def feedback_assign(*, feedback: Feedback, assignee, actor) -> Feedback:
    """Assign an item to an officer; a received item is triaged by it."""
    _require(actor, "assign_feedback")
    feedback = _lock(feedback)
    if feedback.status == Status.CLOSED:
        raise ServiceError(_("%(ref)s is closed; reopen it before assigning it.") % {"ref": feedback.reference})
    _assign(feedback, assignee=assignee, actor=actor)
    return feedback


@transaction.atomic
def feedback_bulk_assign(*, feedback_ids, assignee, actor) -> int:
    """Assign several items at once, all or nothing; returns how many changed hands."""
    _require(actor, "assign_feedback")
    ids = sorted({int(pk) for pk in feedback_ids})
    if not ids:
        raise ServiceError(_("Select at least one item to assign."))
    items = list(Feedback.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(items) != len(ids):
        raise ServiceError(_("Some of the selected items no longer exist; reload the list."))
    closed = [f.reference for f in items if f.status == Status.CLOSED]
    if closed:
        raise ServiceError(_("Closed items cannot be assigned: %(refs)s.") % {"refs": ", ".join(closed)})
    return sum(_assign(f, assignee=assignee, actor=actor) for f in items)


@transaction.atomic
def feedback_reply(*, feedback: Feedback, actor, text: str, token: str | None = None) -> Message:
    """Reply to the sender (they read it on their page or through the receipt code)."""
    _require(actor, "reply_feedback")
    feedback = _lock(feedback)
    if feedback.status == Status.CLOSED:
        raise ServiceError(_("%(ref)s is closed; reopen it to reply.") % {"ref": feedback.reference})
    message = _message(feedback, kind=MessageKind.REPLY, author=actor, text=text, token=token)
    if message is None:
        return feedback.messages.get(submission_key=receipts.token_digest(token))
    now = message.created_at
    fields = ["last_reply_at", "answered_at", "updated_at"]
    if feedback.status in (Status.RECEIVED, Status.TRIAGED):
        _move(feedback, to=Status.ANSWERED, actor=actor, via="reply")
        fields.append("status")
    feedback.answered_at = feedback.answered_at or now
    feedback.last_reply_at = now
    if feedback.assignee_id is None:
        feedback.assignee = actor
        fields.append("assignee")
    _save(feedback, actor, fields)
    if feedback.sender_id and not feedback.is_anonymous:
        notification_send(
            recipient=feedback.sender,
            subject=_("Reply to your feedback %(ref)s") % {"ref": feedback.reference},
            body=message.text[:500],
            url=feedback.get_absolute_url(),
        )
    return message


@transaction.atomic
def feedback_note_add(*, feedback: Feedback, actor, text: str) -> Message:
    """An internal note: officers only, never shown to the sender."""
    _require(actor, "add_note")
    feedback = _lock(feedback)
    return _message(feedback, kind=MessageKind.NOTE, author=actor, text=text, token=None)


@transaction.atomic
def sender_message_add(*, feedback: Feedback, text: str, token: str, actor=None, attachment=None) -> Message:
    """The sender answers a question or adds information; an answered item goes back to the officers.

    actor: the sender when the item was sent under their name; None for an anonymous sender
    (whoever is logged in, nothing about them is recorded).
    """
    feedback = _lock(feedback)
    author = None if feedback.is_anonymous else actor
    if not feedback.is_anonymous and (actor is None or actor.pk != feedback.sender_id):
        raise ServiceError(_("Only the sender can add information to this item."))
    if feedback.status == Status.CLOSED:
        raise ServiceError(_("This item is closed. If there is something new, send new feedback or a new report."))
    message = _message(feedback, kind=MessageKind.SENDER, author=author, text=text, token=token, attachment=attachment)
    if message is None:
        return feedback.messages.get(submission_key=receipts.token_digest(token))
    fields = ["updated_at"]
    if feedback.status == Status.ANSWERED:
        _move(feedback, to=Status.TRIAGED, actor=author, reason=_("The sender added information."), via="sender")
        feedback.response_due_on = response_due_on(kind=feedback.kind, received_on=timezone.localdate())
        feedback.answered_at = None
        fields += ["status", "response_due_on", "answered_at"]
    _save(feedback, author, fields)
    if feedback.assignee_id:
        notification_send(
            recipient=feedback.assignee,
            subject=_("The sender of %(ref)s added information") % {"ref": feedback.reference},
            body=message.text[:500],
            url=feedback.get_absolute_url(),
        )
    return message


def _message(feedback, *, kind, author, text, token, attachment=None) -> Message | None:
    """Create a message once per form token; None when this token already created one."""
    key = receipts.token_digest(token) if token else None
    if key and Message.objects.filter(submission_key=key).exists():
        return None
    message = Message(
        feedback=feedback,
        kind=kind,
        author=author,
        text=_clean_text(text),
        submission_key=key,
        **_attachment_fields(attachment),
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if key and Message.objects.filter(submission_key=key).exists():
            return None
        raise
    return message


@transaction.atomic
def feedback_move(*, feedback: Feedback, to: str, actor, reason: str = "") -> Feedback:
    """An officer refers an item to review, closes it or reopens it (the table says which moves exist)."""
    _require(actor, "change_status")
    feedback = _lock(feedback)
    reason = (reason or "").strip()
    _move(feedback, to=to, actor=actor, reason=reason)
    fields = ["status", "closed_at", "updated_at"]
    if to == Status.TRIAGED:  # reopened: a fresh time limit
        feedback.closed_at = None
        feedback.answered_at = None
        feedback.response_due_on = response_due_on(kind=feedback.kind, received_on=timezone.localdate())
        fields += ["answered_at", "response_due_on"]
    _save(feedback, actor, fields, reason=reason)
    return feedback


@transaction.atomic
def review_suggestion_refresh(*, rule: Rule) -> ReviewSuggestion | None:
    """Flag the rule "review suggested" when it has enough feedback of the review kinds in the window."""
    Rule.objects.select_for_update().filter(pk=rule.pk).first()  # one refresh per rule at a time
    since = timezone.now() - timedelta(days=review_window_days())
    items = list(
        Feedback.objects.filter(rule=rule, kind__in=REVIEW_KINDS, received_at__gte=since).values_list("pk", flat=True)
    )
    suggestion = ReviewSuggestion.objects.filter(rule=rule, resolved_at__isnull=True).first()
    if len(items) < review_threshold():
        return suggestion
    if suggestion is None:
        suggestion = ReviewSuggestion(rule=rule)
        _save(suggestion, None)
    suggestion.items.add(*items)
    return suggestion


@transaction.atomic
def review_suggestion_resolve(*, suggestion: ReviewSuggestion, actor, resolution: str) -> ReviewSuggestion:
    """Mark a suggestion as taken up (by an evaluation review) or dismissed, with what became of it.
    actor None: the system took it up (a periodic review opened by the schedule)."""
    if actor is not None:
        _require(actor, "change_status")
    suggestion = ReviewSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.resolved_at is not None:
        raise ServiceError(_("This suggestion was already resolved."))
    if not (resolution or "").strip():
        raise ServiceError(_("Say what became of the suggestion."))
    suggestion.resolved_at = timezone.now()
    suggestion.resolution = resolution.strip()
    _save(suggestion, actor, ["resolved_at", "resolution", "updated_at"])
    return suggestion
