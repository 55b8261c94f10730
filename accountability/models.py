"""Responsible units, implementation tasks and acknowledgements of rules in force."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrity.choices import ChoiceLabelsMixin
from integrity.history import HistoricalRecords
from integrity.links import link
from integrity.models import Unit
from rules.models import Article, Rule, RuleVersion


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class UnitRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO_RESPONSIBLE = "co_responsible", _("Co-responsible unit")


class Assignment(ChoiceLabelsMixin, models.Model):
    """Who answers for implementing a rule in force: its responsible units and the supervising officer.

    One per rule. It follows the rule from version to version and ends (kept) when the rule ends.
    """

    rule = models.OneToOneField(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="assignment")
    version = models.ForeignKey(
        RuleVersion,
        verbose_name=_("version covered"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The version in force the assignment now covers; it moves on with each new version."),
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising officer"),
        on_delete=models.PROTECT,
        related_name="supervised_assignments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE, db_index=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "-pk"]

    def __str__(self):
        return str(self.rule)

    def get_absolute_url(self):
        return link("accountability:rule-implementation", code=self.rule.code)

    @property
    def is_active(self):
        return self.status == AssignmentStatus.ACTIVE


class ResponsibleUnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, assignment__status=AssignmentStatus.ACTIVE)


class ResponsibleUnit(ChoiceLabelsMixin, models.Model):
    """A unit that answers for a rule (lead or co-responsible), with its responsible person."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="units"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(_("role"), max_length=20, choices=UnitRole.choices)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
        help_text=_("By default the unit's top leader."),
    )
    person_reason = models.TextField(_("reason for the responsible person"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ResponsibleUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")
        ordering = ["assignment", "-role", "unit__path"]  # the lead unit first
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "unit"], condition=Q(is_active=True), name="responsible_unit_once_per_rule"
            ),
            models.UniqueConstraint(
                fields=["assignment"], condition=Q(is_active=True, role="lead"), name="responsible_unit_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.unit} ({self.get_role_display()})"


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Done, awaiting acceptance")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")
    CANCELLED = "cancelled", _("Cancelled")


# States in which the unit still has work to do (and in which a task can be overdue).
CLOSED_STATES = (TaskState.ACCEPTED, TaskState.CANCELLED)
WORKING_STATES = (TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.RETURNED)


class TaskQuerySet(models.QuerySet):
    def not_closed(self):
        return self.exclude(state__in=CLOSED_STATES)

    def overdue(self, today=None):
        """Deadline passed and not accepted (nor cancelled)."""
        return self.not_closed().filter(deadline__lt=today or timezone.localdate())

    def due_between(self, start, end):
        """Tasks the unit still works on whose deadline falls in [start, end] — a window, for reminders."""
        return self.filter(state__in=WORKING_STATES, deadline__gte=start, deadline__lte=end)


class Task(ChoiceLabelsMixin, models.Model):
    """An implementation task of a rule for one unit: what, which article, by when, who owns it."""

    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks")
    article = models.ForeignKey(
        Article,
        verbose_name=_("article implemented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    description = models.TextField(_("description"))
    deadline = models.DateField(_("deadline"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_tasks"
    )
    state = models.CharField(_("state"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    last_reported_at = models.DateTimeField(_("last report"), null=True, blank=True)
    return_reason = models.TextField(_("reason it was returned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("implementation task")
        verbose_name_plural = _("implementation tasks")
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["unit", "state"], name="task_unit_state_idx"),
            models.Index(fields=["rule", "state"], name="task_rule_state_idx"),
            models.Index(fields=["state", "deadline"], name="task_state_deadline_idx"),
            # Tasks awaiting acceptance, by rule: the supervising officer's "awaiting my acceptance" joins
            # them to the rules they supervise (a few thousand of 100,000 tasks).
            models.Index(fields=["rule"], name="task_submitted_idx", condition=Q(state=TaskState.SUBMITTED)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="task_percent_at_most_100"),
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return link("accountability:task", pk=self.pk)

    @property
    def is_closed(self):
        return self.state in CLOSED_STATES

    @property
    def is_overdue(self):
        return not self.is_closed and self.deadline < timezone.localdate()


def evidence_path(instance, filename):
    """Evidence files get an unguessable folder; the download view checks who may read them."""
    name = PurePath(filename).name[-100:]
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{name}"


class ProgressReport(models.Model):
    """One progress report on a task; append-only, so two reporters never overwrite each other."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("report"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, max_length=300, blank=True)
    marks_done = models.BooleanField(_("marked done"), default=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100")]

    def __str__(self):
        return f"{self.task_id}: {self.percent}%"

    @property
    def evidence_name(self):
        return PurePath(self.evidence.name).name if self.evidence else ""


class TaskTransition(ChoiceLabelsMixin, models.Model):
    """One step of a task's life: who moved it, when, from what to what, and why."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20, choices=TaskState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=TaskState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("task transition")
        verbose_name_plural = _("task transitions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.task_id}: {self.from_state} → {self.to_state}"


class Acknowledgement(models.Model):
    """A person's acknowledgement (学习确认) of one version in force: owed from the day it comes into
    force (acknowledged_at empty), given once ("I have read it and will abide by it")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    rule = models.ForeignKey(Rule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="acknowledgements")
    version = models.ForeignKey(
        RuleVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    owed_since = models.DateTimeField(_("owed since"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-owed_since", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="acknowledgement_once_per_version")]
        indexes = [
            models.Index(fields=["version", "acknowledged_at"], name="ack_version_done_idx"),
            models.Index(fields=["rule", "version"], name="ack_rule_version_idx"),
            # "Rules that apply to me" and the pending count start from the person's own rows.
            models.Index(fields=["user", "acknowledged_at"], name="ack_user_done_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.version_id}"

    @property
    def is_done(self):
        return self.acknowledged_at is not None


class Campaign(ChoiceLabelsMixin, models.Model):
    """An acknowledgement campaign: chosen rules, chosen units (with the units below them), a deadline."""

    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    rules = models.ManyToManyField(Rule, verbose_name=_("rules"), related_name="campaigns")
    units = models.ManyToManyField(
        Unit,
        verbose_name=_("units"),
        related_name="campaigns",
        help_text=_("The people of these units and of the units below them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("acknowledgement campaign")
        verbose_name_plural = _("acknowledgement campaigns")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("accountability:campaign", pk=self.pk)

    @property
    def is_open(self):
        return self.deadline >= timezone.localdate()
