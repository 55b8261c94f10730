"""People, organisation units and the in-app inbox."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
        return reverse("unit-detail", args=[self.pk])

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

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self):
        return str(self)


class Notification(models.Model):
    """One message in a person's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.subject

    @property
    def is_read(self):
        return self.read_at is not None
