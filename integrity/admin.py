from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarDay, Notification, NotificationPreference, ReminderRecord, Unit, User


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "parent", "top_leader", "is_active"]
    list_filter = ["kind", "is_active", *Unit.KEY_AREA_FIELDS]
    search_fields = ["name", "code"]
    list_select_related = ["parent", "top_leader"]
    autocomplete_fields = ["parent", "top_leader"]
    readonly_fields = ["path", "depth"]

    def has_delete_permission(self, request, obj=None):
        return False  # units are deactivated, never deleted


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "position", "is_leading_cadre", "is_active"]
    list_filter = ["is_leading_cadre", "is_active", "groups", "is_staff"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Organisation"), {"fields": ("full_name", "unit", "position", "is_leading_cadre")}),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # people are deactivated, never deleted


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "occasion", "created_at", "read_at", "emailed_at", "in_digest"]
    list_filter = ["read_at", "emailed_at", "in_digest", "occasion"]
    search_fields = ["subject", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery", "muted_occasions", "language", "updated_at"]
    list_filter = ["delivery"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(ReminderRecord)
class ReminderRecordAdmin(admin.ModelAdmin):
    """The sent-records are evidence of what went out: read-only, never deleted."""

    list_display = ["occasion", "object_key", "recipient", "step", "due_at", "sent_at"]
    list_filter = ["occasion", "step", "sent_at"]
    search_fields = ["object_key", "recipient__username", "recipient__full_name"]
    list_select_related = ["recipient"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = ["is_working_day"]
    search_fields = ["note"]
    date_hierarchy = "date"
