"""Admin: read every record and its history; configure the response time limits. Nothing is deleted,
and the admin never shows who sent anonymous feedback (it is not stored) nor any receipt hash."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, Feedback, Message, ResponseTimeLimit, ReviewSuggestion


class ReadOnlyMixin:
    """Records change only through the services (the triage pages); admins read them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(ReadOnlyMixin, admin.TabularInline):
    model = Message
    fields = ["created_at", "kind", "author", "text", "attachment_name"]
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = Event
    fields = ["at", "action", "from_status", "to_status", "assignee", "actor", "reason"]
    readonly_fields = fields
    extra = 0


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["reference", "received_at", "channel", "kind", "rule", "status", "assignee", "response_due_on"]
    list_filter = ["status", "channel", "kind", "is_anonymous"]
    search_fields = ["text", "rule__code"]
    list_select_related = ["rule", "assignee"]
    date_hierarchy = "received_at"
    show_full_result_count = False
    fields = [
        "channel",
        "kind",
        "rule",
        "article",
        "conflicting_rule",
        "text",
        "attachment_name",
        "contact",
        "sender_display",
        "status",
        "assignee",
        "received_at",
        "response_due_on",
        "answered_at",
        "closed_at",
    ]
    readonly_fields = fields
    inlines = [MessageInline, EventInline]
    history_list_display = ["status", "assignee"]

    @admin.display(description=_("sender"))
    def sender_display(self, obj):
        return _("anonymous") if obj.is_anonymous or obj.sender_id is None else str(obj.sender)

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return obj.reference


@admin.register(Message)
class MessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["feedback", "kind", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["text"]
    list_select_related = ["feedback", "author"]
    fields = ["feedback", "kind", "author", "text", "attachment_name", "created_at"]
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["feedback", "action", "from_status", "to_status", "assignee", "actor", "at"]
    list_filter = ["action", "to_status"]
    list_select_related = ["feedback", "assignee", "actor"]
    fields = ["feedback", "action", "from_status", "to_status", "assignee", "actor", "at", "reason"]
    readonly_fields = fields


@admin.register(ResponseTimeLimit)
class ResponseTimeLimitAdmin(SimpleHistoryAdmin):
    """Working days to answer, per kind; kinds without a row use FEEDBACK_RESPONSE_DAYS (15)."""

    list_display = ["kind", "days"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewSuggestion)
class ReviewSuggestionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["rule", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    list_select_related = ["rule"]
    fields = ["rule", "items", "created_at", "resolved_at", "resolution"]
    readonly_fields = fields
