from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Campaign, Review, Score


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "score", "comment", "scored_by", "scored_at"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["rule", "kind", "status", "deadline", "outcome", "decided_at"]
    list_filter = ["status", "kind", "outcome"]
    search_fields = ["rule__code", "rule__title"]
    list_select_related = ["rule"]
    raw_id_fields = [
        "rule",
        "merge_target",
        "amendment",
        "implementation_rule",
        "opened_by",
        "proposed_by",
        "decided_by",
    ]
    filter_horizontal = ["reviewers"]
    inlines = [ScoreInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ["review", "criterion", "score", "scored_by"]
    list_select_related = ["review__rule", "scored_by"]
    raw_id_fields = ["review", "scored_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "deadline", "rules_in_scope", "rules_processed", "opened_by"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["opened_by", "scope_issuing_unit"]
    filter_horizontal = ["reviewers"]
    readonly_fields = ["reviews"]

    def has_delete_permission(self, request, obj=None):
        return False
