"""Evidence from the execution side: feedback (and, where present, tasks and acknowledgements)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accountability.feedback.models import Feedback, Kind, ReviewSuggestion
from accountability.feedback.models import Status as FeedbackStatus

from .evidence import EvidenceSection, register_evidence


@register_evidence
def feedback_evidence(rule, since):
    """Feedback on the rule since the last review, by kind and by status."""
    qs = Feedback.objects.filter(rule=rule)
    if since:
        qs = qs.filter(received_at__date__gte=since)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    counts = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status=FeedbackStatus.CLOSED)),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
    )
    figures = [
        (_("feedback items"), counts["total"], "neutral"),
        (_("still open"), counts["open"], "warn" if counts["open"] else "neutral"),
    ]
    figures += [
        (Kind(kind).label, n, "bad" if kind in ("infeasible", "outdated", "conflict") else "neutral")
        for kind, n in sorted(by_kind.items())
    ]
    rows = [(_("Open the feedback on this rule"), f"{reverse('feedback:queue')}?rule={rule.code}")]
    suggestion = ReviewSuggestion.objects.filter(rule=rule, resolved_at__isnull=True).first()
    note = _("Feedback suggests a review of this rule.") if suggestion else ""
    return EvidenceSection(title=_("Feedback"), figures=figures, rows=rows, note=note, order=30)


def take_up_review_suggestion(*, rule, review, actor):
    """An open "review suggested" flag on the rule is resolved by the review that takes it up."""
    from accountability.feedback.services import review_suggestion_resolve

    suggestion = ReviewSuggestion.objects.filter(rule=rule, resolved_at__isnull=True).first()
    if suggestion is not None:
        review_suggestion_resolve(
            suggestion=suggestion, actor=actor, resolution=_("Taken up by review #%(id)d") % {"id": review.pk}
        )
