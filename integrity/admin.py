from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, Unit, User


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
    list_display = ["subject", "recipient", "created_at", "read_at", "emailed_at"]
    list_filter = ["read_at", "emailed_at"]
    search_fields = ["subject", "recipient__username"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
