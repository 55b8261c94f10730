"""Feedback on rules from cadres, public reports with a receipt code, and the officers' triage of both.

Nothing here is ever deleted. No IP address, user agent or any other trace of the sender's
connection is stored; an anonymous sender is not stored at all (no user, no history user).
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import ChoiceLabelsMixin
from integrity.history import HistoricalRecords
from integrity.links import link
from rules.models import Article, Rule


def attachment_path(instance, filename):
    """A random file name: stored files cannot be guessed from what the sender called them."""
    extension = os.path.splitext(filename)[1].lower()[:10]
    return f"feedback/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class Kind(models.TextChoices):
    AMBIGUOUS = "ambiguous", _("Ambiguous wording")
    INFEASIBLE = "infeasible", _("Cannot be carried out in practice")
    OUTDATED = "outdated", _("Outdated")
    CONFLICT = "conflict", _("Conflicts with another rule")
    MISSING_DETAILS = "missing_details", _("Missing implementation details")
    SUGGESTION = "suggestion", _("Suggestion")
    IMPLEMENTATION = "implementation", _("Rule not implemented properly")
    VIOLATION = "violation", _("Suspected violation")
    OTHER = "other", _("Other")


# The kinds a cadre chooses from, and the kinds of the public reporting channel.
CADRE_KINDS = (
    Kind.AMBIGUOUS,
    Kind.INFEASIBLE,
    Kind.OUTDATED,
    Kind.CONFLICT,
    Kind.MISSING_DETAILS,
    Kind.SUGGESTION,
    Kind.OTHER,
)
PUBLIC_KINDS = (Kind.IMPLEMENTATION, Kind.VIOLATION, Kind.OTHER)
# Feedback of these kinds counts towards "review suggested" for its rule.
REVIEW_KINDS = (Kind.INFEASIBLE, Kind.OUTDATED, Kind.CONFLICT)


class Channel(models.TextChoices):
    CADRE = "cadre", _("Cadre feedback form")
    PUBLIC = "public", _("Public reporting channel")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred to review")
    CLOSED = "closed", _("Closed")


# Waiting for an officer: these count towards "overdue" once the response date has passed.
AWAITING_RESPONSE = (Status.RECEIVED, Status.TRIAGED)
OPEN_STATUSES = (Status.RECEIVED, Status.TRIAGED, Status.ANSWERED, Status.REFERRED)


class FeedbackQuerySet(models.QuerySet):
    def awaiting_response(self):
        return self.filter(status__in=AWAITING_RESPONSE)

    def overdue(self, today=None):
        """Waiting for an officer past the response date."""
        return self.awaiting_response().filter(response_due_on__lt=today or timezone.localdate())

    def of_sender(self, user):
        """What the person sent under their name (anonymous feedback is linked to nobody)."""
        return self.filter(sender=user, is_anonymous=False)


class Feedback(ChoiceLabelsMixin, models.Model):
    """One feedback item or public report, from its receipt to its closing."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.CADRE)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    conflicting_rule = models.ForeignKey(
        Rule,
        verbose_name=_("conflicting rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conflict_feedback",
    )
    text = models.TextField(_("text"))
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    contact = models.CharField(
        _("contact details given by the reporter"), max_length=200, blank=True, help_text=_("Optional; public reports.")
    )
    # The sender, for feedback sent under one's name; empty for anonymous feedback and public reports.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_feedback",
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    # HMAC-SHA256 of the receipt code (anonymous senders follow up with it); never the code itself.
    receipt_hash = models.CharField(_("receipt code hash"), max_length=64, null=True, blank=True, unique=True)
    # SHA-256 of the form's one-time token: a resubmitted form finds the item it already created.
    submission_key = models.CharField(_("submission key"), max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_feedback",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    response_due_on = models.DateField(_("response due on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_reply_at = models.DateTimeField(_("last reply at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["receipt_hash", "submission_key"])
    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "response_due_on"], name="feedback_status_due_idx"),
            models.Index(fields=["rule", "kind", "received_at"], name="feedback_rule_kind_idx"),
            models.Index(fields=["assignee", "status"], name="feedback_assignee_idx"),
            models.Index(fields=["sender", "received_at"], name="feedback_sender_idx"),
            # The triage queue's default order (-received_at, -pk).
            models.Index(F("received_at").desc(), F("id").desc(), name="feedback_received_idx"),
            # The same order over the items still awaiting an answer (the "overdue" view reads only these).
            models.Index(
                F("received_at").desc(),
                F("id").desc(),
                name="feedback_awaiting_idx",
                condition=Q(status__in=AWAITING_RESPONSE),
            ),
            # The overdue items, most overdue first: where the "overdue" figures lead (sort=due).
            models.Index(
                "response_due_on", "id", name="feedback_awaiting_due_idx", condition=Q(status__in=AWAITING_RESPONSE)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | Q(sender__isnull=True), name="feedback_anonymous_has_no_sender"
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return link("feedback:detail", pk=self.pk)

    @property
    def reference(self):
        return f"FB-{self.pk:05d}" if self.pk else "FB-new"

    @property
    def badge_status(self):
        return f"feedback-{self.status}"

    @property
    def is_overdue(self):
        return self.status in AWAITING_RESPONSE and self.response_due_on < timezone.localdate()

    @property
    def response_done(self):
        """No answer is awaited from an officer (the due date no longer matters)."""
        return self.status not in AWAITING_RESPONSE

    @property
    def is_closed(self):
        return self.status == Status.CLOSED


class MessageKind(models.TextChoices):
    REPLY = "reply", _("Reply to the sender")
    SENDER = "sender", _("From the sender")
    NOTE = "note", _("Internal note")


class Message(models.Model):
    """One entry of the conversation: an officer's reply, the sender's message, or an internal note."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback item"), on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    # Empty when the sender is anonymous.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, blank=True, on_delete=models.PROTECT
    )
    text = models.TextField(_("text"))
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    submission_key = models.CharField(_("submission key"), max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["feedback", "kind"], name="feedback_message_kind_idx")]

    def __str__(self):
        return f"{self.feedback}: {self.get_kind_display()}"

    @property
    def is_internal(self):
        return self.kind == MessageKind.NOTE


class EventAction(models.TextChoices):
    STATUS = "status", _("Status changed")
    ASSIGN = "assign", _("Assigned")


class Event(ChoiceLabelsMixin, models.Model):
    """The record of a status change or an assignment: who, when, from what to what, and why."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback item"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty for steps taken by an anonymous sender.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.feedback}: {self.get_action_display()}"


class ResponseTimeLimit(models.Model):
    """How many working days officers have to answer feedback of one kind (default: 15)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("working days to answer"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response time limit")
        verbose_name_plural = _("response time limits")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days}"


class ReviewSuggestion(models.Model):
    """A rule that gathered enough feedback of the review kinds within the window: review suggested."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="review_suggestions")
    items = models.ManyToManyField(Feedback, verbose_name=_("feedback items"), related_name="review_suggestions")
    created_at = models.DateTimeField(_("suggested at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Set when an evaluation review takes the suggestion up (or an officer dismisses it).
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review suggestion")
        verbose_name_plural = _("review suggestions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule"], condition=Q(resolved_at__isnull=True), name="feedback_one_open_review_suggestion"
            )
        ]

    def __str__(self):
        return _("Review suggested for %(rule)s") % {"rule": self.rule.code}

    @property
    def is_open(self):
        return self.resolved_at is None
