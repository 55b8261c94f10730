"""Evaluation reviews of rules and cleanup campaigns (清理) that review many rules at once."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import ChoiceLabelsMixin
from integrity.history import HistoricalRecords
from integrity.links import link
from integrity.models import Unit
from rules.models import Category, Rule, RuleVersion


class ReviewKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    FEEDBACK = "feedback", _("Triggered by feedback")
    SPECIAL = "special", _("Special")
    CAMPAIGN = "campaign", _("Cleanup campaign")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    PROPOSED = "proposed", _("Proposal awaiting decision")
    RETURNED = "returned", _("Returned to reviewers")
    DECIDED = "decided", _("Decided")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REVIEW_STATUSES = (ReviewStatus.OPEN, ReviewStatus.PROPOSED, ReviewStatus.RETURNED)


class Outcome(models.TextChoices):
    RETAIN = "retain", _("Retain")
    AMEND = "amend", _("Amend")
    ABOLISH = "abolish", _("Abolish")
    MERGE = "merge", _("Merge into another rule")
    IMPLEMENTATION = "implementation", _("Add implementation rules")


class Criterion(models.TextChoices):
    LEGALITY = "legality", _("Legality and consistency with higher rules")
    OPERABILITY = "operability", _("Operability")
    EFFECTIVENESS = "effectiveness", _("Effectiveness")
    COHERENCE = "coherence", _("Coherence: no duplication or conflict")
    TIMELINESS = "timeliness", _("Timeliness")


class ReviewQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_REVIEW_STATUSES)


class Review(ChoiceLabelsMixin, models.Model):
    """The evaluation (评估) of one rule: scores on five criteria, a proposed outcome, a decision."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices, default=ReviewKind.SPECIAL)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN, db_index=True
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), related_name="reviews")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    reason = models.TextField(_("why this review"), blank=True)
    evidence_since = models.DateField(_("evidence since"), null=True, blank=True)
    outcome = models.CharField(_("proposed outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what to change, or why"), blank=True)
    merge_target = models.ForeignKey(
        Rule, verbose_name=_("merge into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    amendment = models.ForeignKey(
        RuleVersion,
        verbose_name=_("amendment opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    implementation_rule = models.ForeignKey(
        Rule,
        verbose_name=_("implementation rules opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[reviewers])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule"],
                condition=Q(status__in=["open", "proposed", "returned"]),
                name="review_one_active_per_rule",
                violation_error_message=_("This rule is already under review."),
            ),
        ]

    def __str__(self):
        return _("Review of %(code)s") % {"code": self.rule.code}

    def get_absolute_url(self):
        return link("reviews:detail", pk=self.pk)

    @property
    def is_active(self):
        return self.status in ACTIVE_REVIEW_STATUSES

    @property
    def is_overdue(self):
        return self.is_active and self.deadline < timezone.localdate()


class Score(models.Model):
    """A reviewer's score (1–5) on one criterion, with a comment."""

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.PROTECT, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=20, choices=Criterion.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scored by"), on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.get_criterion_display()}: {self.score}"


class CampaignStatus(models.TextChoices):
    OPENING = "opening", _("Opening reviews")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class Campaign(ChoiceLabelsMixin, models.Model):
    """A cleanup campaign (清理): one review per rule in scope, a deadline, progress and a report."""

    title = models.CharField(_("title"), max_length=200)
    scope_category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    scope_issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_in_force_before = models.DateField(_("in force before"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewers"), related_name="campaigns_reviewing"
    )
    reviews = models.ManyToManyField(Review, verbose_name=_("reviews"), related_name="campaigns", blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.OPENING
    )
    rules_in_scope = models.PositiveIntegerField(_("rules in scope"), default=0)
    rules_processed = models.PositiveIntegerField(_("rules processed"), default=0)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cleanup campaign")
        verbose_name_plural = _("cleanup campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("reviews:campaign", pk=self.pk)

    @property
    def opening_percent(self):
        if not self.rules_in_scope:
            return 100
        return min(100, round(100 * self.rules_processed / self.rules_in_scope))
