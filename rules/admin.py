from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Comment, Consultation, Rule, RuleVersion, Transition


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False  # rules and their records are kept forever


class ArticleInline(admin.TabularInline):
    model = Article
    extra = 0
    can_delete = False
    fields = ["number", "text"]


@admin.register(Rule)
class RuleAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "category", "status", "issuing_unit", "in_force_since", "next_review_on"]
    list_filter = ["status", "category"]
    search_fields = ["code", "title"]
    list_select_related = ["issuing_unit"]
    raw_id_fields = ["issuing_unit", "parent", "current_version", "replaced_by", "created_by"]
    filter_horizontal = ["audience_units"]
    readonly_fields = ["status", "current_version", "in_force_since", "ended_on", "end_reason", "replaced_by"]


@admin.register(RuleVersion)
class RuleVersionAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["rule", "number", "status", "effective_from", "effective_to", "authored_by", "approved_by"]
    list_filter = ["status"]
    search_fields = ["rule__code", "title"]
    list_select_related = ["rule", "authored_by", "approved_by"]
    raw_id_fields = ["rule", "authored_by", "approved_by"]
    readonly_fields = ["status", "lock_version"]
    inlines = [ArticleInline]


@admin.register(Article)
class ArticleAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["version", "number"]
    list_select_related = ["version__rule"]
    search_fields = ["text", "version__rule__code"]
    raw_id_fields = ["version"]


@admin.register(Transition)
class TransitionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["version", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["version__rule", "actor"]
    search_fields = ["version__rule__code", "reason"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Consultation)
class ConsultationAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["version", "opened_by", "opened_at", "ends_on", "closed_at"]
    list_select_related = ["version__rule", "opened_by"]
    raw_id_fields = ["version", "opened_by", "closed_by"]
    filter_horizontal = ["audience_units"]


@admin.register(Comment)
class CommentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ["consultation", "article", "author", "decision", "created_at"]
    list_filter = ["decision"]
    list_select_related = ["consultation__version__rule", "article", "author"]
    raw_id_fields = ["consultation", "article", "author", "decided_by"]
