"""Evidence from the execution side: feedback (and, where present, tasks and acknowledgements)."""

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability.feedback.models import Feedback, Kind, ReviewSuggestion
from accountability.feedback.models import Status as FeedbackStatus
from accountability.feedback.selectors import review_suggested
from integrity.baked import baked
from integrity.selectors import grouped

from .evidence import EvidenceSection, register_evidence


def _by_kind(qs):
    return (
        qs.order_by().values("kind").annotate(n=Count("pk"), open=Count("pk", filter=~Q(status=FeedbackStatus.CLOSED)))
    )


@baked
def _feedback_by_kind(*, rule_id):
    return _by_kind(Feedback.objects.filter(rule_id=rule_id))


@baked
def _feedback_by_kind_since(*, rule_id, since):
    return _by_kind(Feedback.objects.filter(rule_id=rule_id, received_at__date__gte=since))


@register_evidence
def feedback_evidence(rule, since):
    """Feedback on the rule since the last review, by kind and by status."""
    # One grouped statement: the items of each kind, and the open ones among them.
    if since:
        per_kind = _feedback_by_kind_since.list(rule_id=rule.pk, since=since)
    else:
        per_kind = _feedback_by_kind.list(rule_id=rule.pk)
    by_kind = {row["kind"]: row["n"] for row in per_kind}
    still_open = sum(row["open"] for row in per_kind)
    figures = [
        (_("feedback items"), sum(by_kind.values()), "neutral"),
        (_("still open"), still_open, "warn" if still_open else "neutral"),
    ]
    figures += [
        (Kind(kind).label, n, "bad" if kind in ("infeasible", "outdated", "conflict") else "neutral")
        for kind, n in sorted(by_kind.items())
    ]
    rows = [(_("Open the feedback on this rule"), f"{reverse('feedback:queue')}?rule={rule.code}")]
    note = _("Feedback suggests a review of this rule.") if review_suggested(rule=rule) else ""
    return EvidenceSection(title=_("Feedback"), figures=figures, rows=rows, note=note, order=30)


def take_up_review_suggestion(*, rule, review, actor):
    """An open "review suggested" flag on the rule is resolved by the review that takes it up."""
    from accountability.feedback.services import review_suggestion_resolve

    suggestion = ReviewSuggestion.objects.filter(rule=rule, resolved_at__isnull=True).first()
    if suggestion is not None:
        review_suggestion_resolve(
            suggestion=suggestion, actor=actor, resolution=_("Taken up by review #%(id)d") % {"id": review.pk}
        )


def lead_unit_top_leader(rule):
    from accountability.models import ResponsibleUnit, UnitRole

    lead = (
        ResponsibleUnit.objects.filter(assignment__rule=rule, role=UnitRole.LEAD, is_active=True)
        .select_related("unit__top_leader")
        .first()
    )
    return lead.unit.top_leader if lead else None


@baked
def _tasks_by_state(*, rule_id, today):
    from accountability.models import Task

    return grouped(
        Task.objects.filter(rule_id=rule_id),
        "state",
        late=Q(updated_at__date__gt=F("deadline")),
        past=Q(deadline__lt=today),
    )


@register_evidence
def task_evidence(rule, since):
    """Implementation tasks of the rule: done on time, late, open, overdue."""
    from accountability.models import TaskState

    counts = dict.fromkeys(("total", "accepted", "late", "overdue"), 0)
    for row in _tasks_by_state.list(rule_id=rule.pk, today=timezone.localdate()):
        counts["total"] += row["n"]
        if row["state"] == TaskState.ACCEPTED:
            counts["accepted"] += row["n"]
            counts["late"] += row["n"] if row["late"] else 0
        elif row["state"] != TaskState.CANCELLED and row["past"]:
            counts["overdue"] += row["n"]
    figures = [
        (_("tasks"), counts["total"], "neutral"),
        (_("accepted on time"), counts["accepted"] - counts["late"], "ok"),
        (_("accepted late"), counts["late"], "warn" if counts["late"] else "neutral"),
        (_("overdue now"), counts["overdue"], "bad" if counts["overdue"] else "neutral"),
    ]
    rows = [
        (_("Open the implementation of this rule"), reverse("accountability:rule-implementation", args=[rule.code]))
    ]
    return EvidenceSection(title=_("Implementation tasks"), figures=figures, rows=rows, order=40)


@baked
def _acknowledgements_by_leading(*, version_id):
    from accountability.models import Acknowledgement

    return grouped(
        Acknowledgement.objects.filter(version_id=version_id),
        "user__is_leading_cadre",
        done=Q(acknowledged_at__isnull=False),
    )


@register_evidence
def acknowledgement_evidence(rule, since):
    """Acknowledgement of the version in force: everyone, leading cadres apart."""
    if rule.current_version_id is None:
        return None
    counts = dict.fromkeys(("owed", "done", "leading_owed", "leading_done"), 0)
    for row in _acknowledgements_by_leading.list(version_id=rule.current_version_id):
        leading, n = row["user__is_leading_cadre"], row["n"]
        counts["owed"] += n
        counts["done"] += n if row["done"] else 0
        counts["leading_owed"] += n if leading else 0
        counts["leading_done"] += n if leading and row["done"] else 0

    def percent(done, owed):
        return f"{round(100 * done / owed)}%" if owed else "—"

    figures = [
        (_("acknowledged"), f"{counts['done']} / {counts['owed']}", "neutral"),
        (_("completion"), percent(counts["done"], counts["owed"]), "neutral"),
        (_("leading cadres"), percent(counts["leading_done"], counts["leading_owed"]), "neutral"),
    ]
    return EvidenceSection(title=_("Acknowledgement of the version in force"), figures=figures, order=50)
