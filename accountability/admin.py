from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Acknowledgement, Assignment, Campaign, ProgressReport, ResponsibleUnit, Task, TaskTransition


class NoDeleteMixin:
    """Execution records are evidence: they end or are cancelled, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ResponsibleUnitInline(admin.TabularInline):
    model = ResponsibleUnit
    extra = 0
    raw_id_fields = ["unit", "responsible_person"]
    can_delete = False


@admin.register(Assignment)
class AssignmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["rule", "version", "supervisor", "status", "assigned_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["rule__code", "rule__title", "supervisor__username", "supervisor__full_name"]
    list_select_related = ["rule", "version", "supervisor"]
    raw_id_fields = ["rule", "version", "supervisor", "assigned_by"]
    inlines = [ResponsibleUnitInline]


@admin.register(ResponsibleUnit)
class ResponsibleUnitAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["assignment", "unit", "role", "responsible_person", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["assignment__rule__code", "unit__name", "responsible_person__full_name"]
    list_select_related = ["assignment__rule", "unit", "responsible_person"]
    raw_id_fields = ["assignment", "unit", "responsible_person"]


class ProgressReportInline(admin.TabularInline):
    model = ProgressReport
    extra = 0
    raw_id_fields = ["author"]
    can_delete = False


@admin.register(Task)
class TaskAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["rule", "unit", "owner", "deadline", "state", "percent"]
    list_filter = ["state", "deadline"]
    search_fields = ["description", "rule__code", "unit__name", "owner__username"]
    list_select_related = ["rule", "unit", "owner"]
    raw_id_fields = ["rule", "unit", "article", "owner", "created_by"]
    date_hierarchy = "deadline"
    inlines = [ProgressReportInline]
    show_full_result_count = False


@admin.register(ProgressReport)
class ProgressReportAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["task", "author", "percent", "marks_done", "created_at"]
    list_filter = ["marks_done"]
    search_fields = ["text", "task__rule__code", "author__username"]
    list_select_related = ["task", "author"]
    raw_id_fields = ["task", "author"]


@admin.register(TaskTransition)
class TaskTransitionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["task", "from_state", "to_state", "actor", "at"]
    list_filter = ["to_state"]
    list_select_related = ["task", "actor"]
    raw_id_fields = ["task", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Acknowledgement)
class AcknowledgementAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["user", "rule", "version", "owed_since", "acknowledged_at"]
    list_filter = ["acknowledged_at"]
    search_fields = ["user__username", "user__full_name", "rule__code"]
    # A version's name carries its rule's code: version__rule, or one query per row.
    list_select_related = ["user", "rule", "version__rule"]
    raw_id_fields = ["user", "rule", "version"]
    show_full_result_count = False  # a million rows: no second COUNT(*) of the whole table


@admin.register(Campaign)
class CampaignAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "deadline", "created_by", "created_at"]
    search_fields = ["title"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["rules", "units"]
