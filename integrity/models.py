"""People, organisation units and the in-app inbox."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .history import HistoricalRecords
from .links import link


class UnitKind(models.TextChoices):
    COMMISSION = "commission", _("Discipline inspection commission")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    DEPARTMENT = "department", _("Department")
    SUB_UNIT = "sub_unit", _("Sub-unit")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    INSTITUTION = "institution", _("Public institution")


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit):
        """The unit and every unit below it, at any depth."""
        return self.filter(path__startswith=unit.path)

    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    """An organisation unit; units form a tree (commission → departments → sub-units)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of primary keys ("1/4/9/"): subtree queries without recursion.
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    top_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("top leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
    )
    key_area_funds = models.BooleanField(_("manages large sums of money"), default=False)
    key_area_procurement = models.BooleanField(_("procurement"), default=False)
    key_area_construction = models.BooleanField(_("engineering construction"), default=False)
    key_area_land_resources = models.BooleanField(_("land transfer and resource development"), default=False)
    key_area_personnel = models.BooleanField(_("personnel selection"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    KEY_AREA_FIELDS = (
        "key_area_funds",
        "key_area_procurement",
        "key_area_construction",
        "key_area_land_resources",
        "key_area_personnel",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return link("unit-detail", pk=self.pk)

    @property
    def key_areas(self):
        """Verbose names of the key areas this unit works in."""
        return [self._meta.get_field(f).verbose_name for f in self.KEY_AREA_FIELDS if getattr(self, f)]

    @property
    def is_key_area(self):
        return any(getattr(self, f) for f in self.KEY_AREA_FIELDS)


class User(AbstractUser):
    """A person: officer, liaison, cadre or admin; belongs to one unit."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_leading_cadre = models.BooleanField(
        _("leading cadre"), default=False, help_text=_("Leading cadres are shown apart: they go first.")
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["username"]
        indexes = [
            # The few superusers among hundreds of thousands of people, found without a scan.
            models.Index(fields=["id"], condition=models.Q(is_superuser=True), name="user_superuser_idx"),
            # The few people who left (selectors.not_inactive): excluded from a count without joining everyone.
            models.Index(fields=["id"], condition=models.Q(is_active=False), name="user_inactive_idx"),
        ]

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self):
        return str(self)


class Notification(models.Model):
    """One message in a person's in-app inbox."""

    # No index of its own: the inbox and unread indexes below both start with the recipient, and every
    # reminder sent inserts a row (one index fewer to keep up).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # Which reminder occasion produced the message ("" for other messages): the digest groups by it.
    occasion = models.CharField(_("occasion"), max_length=60, blank=True)
    # Waiting for the recipient's daily digest e-mail; emailed_at is set when the digest goes out.
    in_digest = models.BooleanField(_("e-mail in the daily digest"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                "recipient", models.F("created_at").desc(), models.F("id").desc(), name="notification_inbox_idx"
            ),
            models.Index(
                fields=["recipient"],
                name="notification_digest_due_idx",
                condition=models.Q(in_digest=True, emailed_at__isnull=True),
            ),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail per reminder, straight away")
    DIGEST = "digest", _("One e-mail a day with everything (daily digest)")


class NotificationPreference(models.Model):
    """How a person wants reminders: e-mail straight away or in a daily digest, and which to mute.

    Muting silences only the steps addressed to the person as the one who must act; escalations
    (to a supervisor or a top leader) always arrive. The inbox always receives every reminder that is sent.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("e-mail delivery"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    # Occasion codes (integrity.reminders registry); a JSON list works on PostgreSQL and SQLite alike.
    muted_occasions = models.JSONField(_("muted reminders"), default=list, blank=True)
    language = models.CharField(
        _("language of reminders"), max_length=10, blank=True, help_text=_("Empty: the site's language.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    @property
    def wants_digest(self):
        return self.delivery == DeliveryMode.DIGEST


class ReminderRecord(models.Model):
    """A reminder that was sent: one row per (occasion, object, recipient, step), never deleted.

    The unique constraint is what makes every reminder go out once, whatever the sweep timing:
    a rerun, a retried task or two workers sweeping together insert nothing new and so send nothing.
    """

    occasion = models.CharField(_("occasion"), max_length=60)
    object_key = models.CharField(_("object"), max_length=120, help_text=_('Like "accountability.task:42".'))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("step"), max_length=40)
    due_at = models.DateTimeField(_("due at"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)
    # Set by the sweep batch that inserted the row: selecting by it tells which rows were new.
    sweep_token = models.UUIDField(_("sweep batch"), editable=False, db_index=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "object_key", "recipient", "step"], name="reminder_sent_once_per_step"
            )
        ]

    def __str__(self):
        return f"{self.occasion} {self.object_key} → {self.recipient_id} ({self.step})"


class CalendarDay(models.Model):
    """An exception to the weekly pattern: a public holiday on a weekday, or a make-up working day
    on a weekend (调休). Days not listed are working days from Monday to Friday."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), default=False)
    note = models.CharField(_("note"), max_length=100, blank=True, help_text=_("For example: National Day."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}".strip()
