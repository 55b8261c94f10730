"""Rules, their versions and articles, consultations and the record of every transition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from integrity.choices import ChoiceLabelsMixin
from integrity.history import HistoricalRecords
from integrity.links import link
from integrity.models import Unit


class Category(models.TextChoices):
    INTEGRITY = "integrity", _("Integrity and self-discipline")
    THREE_MAJOR = "three_major", _("“Three major and one major” decisions")
    OFFICIAL_CONSUMPTION = "official_consumption", _("Official consumption")
    PROCUREMENT = "procurement", _("Procurement")
    CONSTRUCTION = "construction", _("Engineering construction")
    LAND_TRANSFER = "land_transfer", _("Land transfer")
    RESOURCES = "resources", _("Resource development")
    PERSONNEL = "personnel", _("Personnel selection")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """The status of a version; a rule shows the status of the version that speaks for it."""

    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("In consultation")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    ABOLISHED = "abolished", _("Abolished")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (Status.DRAFT, Status.CONSULTATION, Status.PENDING_APPROVAL, Status.APPROVED)
EDITABLE_STATUSES = (Status.DRAFT,)
HAS_BEEN_IN_FORCE = (Status.IN_FORCE, Status.SUPERSEDED, Status.ABOLISHED, Status.EXPIRED)

# The nine elements that make a rule operable (who, when, where, tasks, conditions, goals,
# standards, responsibilities, measures).
ELEMENTS = (
    ("element_who", _("Who")),
    ("element_when", _("When")),
    ("element_where", _("Where")),
    ("element_tasks", _("Tasks")),
    ("element_conditions", _("Conditions")),
    ("element_goals", _("Goals")),
    ("element_standards", _("Standards")),
    ("element_responsibilities", _("Responsibilities")),
    ("element_measures", _("Measures")),
)


class RuleQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(status=Status.IN_FORCE)

    def visible_to_readers(self):
        """Rules that have been in force at some time (readable by every logged-in person)."""
        return self.filter(status__in=HAS_BEEN_IN_FORCE)


class Rule(ChoiceLabelsMixin, models.Model):
    """A rule of the register; its wording lives in its versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, default=Category.INTEGRITY)
    issuing_unit = models.ForeignKey(
        Unit, verbose_name=_("issuing unit"), on_delete=models.PROTECT, related_name="issued_rules"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent rule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implementation_rules",
        help_text=_("Implementation rules hang under the rule they implement."),
    )
    audience_units = models.ManyToManyField(
        Unit,
        verbose_name=_("audience units"),
        blank=True,
        related_name="audience_rules",
        help_text=_("The units whose people the rule applies to (and the units below them). Empty: everyone."),
    )
    audience_leading_only = models.BooleanField(_("leading cadres only"), default=False)
    review_interval_months = models.PositiveSmallIntegerField(_("review interval (months)"), default=24)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    current_version = models.ForeignKey(
        "RuleVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_force_since = models.DateField(_("in force since"), null=True, blank=True)
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "category", "code"], name="rule_status_category_idx"),
            models.Index(fields=["issuing_unit", "status"], name="rule_unit_status_idx"),
            models.Index(models.F("updated_at").desc(), models.F("id").desc(), name="rule_updated_idx"),
            # The same order over the rules that have been in force: the whole register of a cadre, and an
            # officer's "in force" filter (status = in_force implies the condition). Walking the full index
            # instead passes every draft and pending rule edited since.
            models.Index(
                models.F("updated_at").desc(),
                models.F("id").desc(),
                name="rule_published_updated_idx",
                condition=Q(status__in=HAS_BEEN_IN_FORCE),
            ),
            # The register's search also finds a rule by its exact code, in any case (code__iexact).
            models.Index(Upper("code"), name="rule_code_upper_idx"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return link("rules:detail", code=self.code)

    @property
    def is_in_force(self):
        return self.status == Status.IN_FORCE

    @cached_property
    def open_version(self):
        """The version in preparation (at most one: a constraint), read once per rule object."""
        return self.versions.filter(status__in=OPEN_STATUSES).first()

    @property
    def review_overdue(self):
        return bool(
            self.next_review_on and self.status == Status.IN_FORCE and self.next_review_on < timezone.localdate()
        )


class RuleVersion(ChoiceLabelsMixin, models.Model):
    """One wording of a rule: numbered articles and the nine operability elements."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    element_who = models.TextField(_("Who"), blank=True, help_text=_("Who must act, and who is bound."))
    element_when = models.TextField(_("When"), blank=True, help_text=_("Time limits and occasions."))
    element_where = models.TextField(_("Where"), blank=True, help_text=_("Places, units and matters covered."))
    element_tasks = models.TextField(_("Tasks"), blank=True, help_text=_("What must be done."))
    element_conditions = models.TextField(_("Conditions"), blank=True, help_text=_("When the rule applies."))
    element_goals = models.TextField(_("Goals"), blank=True, help_text=_("What the rule is for."))
    element_standards = models.TextField(_("Standards"), blank=True, help_text=_("How compliance is judged."))
    element_responsibilities = models.TextField(
        _("Responsibilities"), blank=True, help_text=_("Who answers for implementation.")
    )
    element_measures = models.TextField(_("Measures"), blank=True, help_text=_("Consequences of a violation."))
    change_summary = models.TextField(_("change summary"), blank=True)
    operability_justification = models.TextField(_("justification for open operability items"), blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave empty for a rule without an end date.")
    )
    authored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(_("edit counter"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        ordering = ["rule", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_number_unique"),
            models.UniqueConstraint(
                fields=["rule"],
                condition=Q(status__in=["draft", "consultation", "pending_approval", "approved"]),
                name="rule_one_open_version",
                violation_error_message=_("A rule can have only one version in preparation at a time."),
            ),
            models.UniqueConstraint(fields=["rule"], condition=Q(status="in_force"), name="rule_one_version_in_force"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rule_version_dates_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["effective_from", "effective_to"], name="version_effective_idx"),
            # The point-in-time register: the versions in force on a day, counted from the index alone. The
            # latest start first: those are the versions most likely still in force on the day asked.
            models.Index(
                fields=["-effective_from", "effective_to"],
                include=["id", "rule_id"],
                name="version_in_force_on_idx",
                condition=Q(status__in=HAS_BEEN_IN_FORCE),
            ),
            # "My drafts" and "mine awaiting approval" on the officer's home page.
            models.Index(fields=["authored_by", "status"], name="version_author_status_idx"),
        ]

    def __str__(self):
        return f"{self.rule.code} v{self.number}"

    def get_absolute_url(self):
        return link("rules:version", code=self.rule.code, number=self.number)

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    def elements(self):
        """[(field name, label, value)] for the nine operability elements."""
        return [(name, label, getattr(self, name)) for name, label in ELEMENTS]


class Article(models.Model):
    """A numbered article of one version; anchors (#article-3) point at it."""

    version = models.ForeignKey(
        RuleVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="articles"
    )
    number = models.PositiveIntegerField(_("article number"))
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="article_number_unique")]

    def __str__(self):
        return _("Article %(number)s") % {"number": self.number}


class Transition(ChoiceLabelsMixin, models.Model):
    """One step of a version's lifecycle: who moved it, when, from what to what, and why."""

    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.version}: {self.from_status} → {self.to_status}"


class Consultation(models.Model):
    """A period of consultation (征求意见) on a draft version, with an end date and an audience."""

    version = models.ForeignKey(
        RuleVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="consultations"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    ends_on = models.DateField(_("comments close after"))
    audience_units = models.ManyToManyField(Unit, verbose_name=_("audience units"), related_name="consultations")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opened_at"]
        indexes = [
            # The open consultations, soonest to close first: the consultations page reads them in this order.
            models.Index(fields=["ends_on", "id"], name="consultation_open_idx", condition=Q(closed_at__isnull=True)),
        ]

    def __str__(self):
        return _("Consultation on %(version)s") % {"version": self.version}

    @property
    def is_open(self):
        return self.closed_at is None and timezone.localdate() <= self.ends_on


class Decision(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class Comment(ChoiceLabelsMixin, models.Model):
    """A comment made in a consultation, on one article or on the whole draft."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("consultation"), on_delete=models.PROTECT, related_name="comments"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, blank=True, on_delete=models.PROTECT, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]
