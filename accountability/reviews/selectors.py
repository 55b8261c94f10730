"""Read-side queries for review and campaign pages (aggregates in the database)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from integrity.baked import baked

from .models import ACTIVE_REVIEW_STATUSES, Campaign, Outcome, Review, ReviewStatus, Score


@dataclass
class ReviewFilters:
    status: str = ""
    kind: str = ""
    mine: bool = False
    overdue: bool = False
    campaign: int | None = None
    rule: str = ""
    q: str = ""


def review_list(*, actor, filters: ReviewFilters):
    qs = Review.objects.select_related("rule", "proposed_by").prefetch_related("reviewers")
    if filters.status == "active":
        qs = qs.filter(status__in=ACTIVE_REVIEW_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.mine:
        qs = qs.filter(reviewers=actor)
    if filters.overdue:
        qs = qs.filter(status__in=ACTIVE_REVIEW_STATUSES, deadline__lt=timezone.localdate())
    if filters.campaign:
        qs = qs.filter(campaigns=filters.campaign)
    if filters.rule:
        qs = qs.filter(rule__code=filters.rule)
    if filters.q:
        qs = qs.filter(Q(rule__code__icontains=filters.q) | Q(rule__title__icontains=filters.q))
    return qs.order_by("deadline", "pk")


def campaign_list():
    return (
        Campaign.objects.select_related("opened_by", "scope_issuing_unit")
        .annotate(
            review_count=Count("reviews", distinct=True),
            decided_count=Count("reviews", filter=Q(reviews__status=ReviewStatus.DECIDED), distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


@baked
def _campaign_reviews_by_status(*, campaign_id, today):
    return (
        Review.objects.filter(campaigns=campaign_id)
        .values("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__lt=today)))
        .order_by()
    )


@baked
def _campaign_reviewers(*, campaign_id):
    return (
        get_user_model()
        .objects.filter(reviews__campaigns=campaign_id)
        .annotate(
            assigned=Count("reviews", filter=Q(reviews__campaigns=campaign_id), distinct=True),
            done=Count(
                "reviews",
                filter=Q(
                    reviews__campaigns=campaign_id, reviews__status__in=[ReviewStatus.PROPOSED, ReviewStatus.DECIDED]
                ),
                distinct=True,
            ),
        )
        .order_by("-assigned", "username")
    )


def campaign_progress(*, campaign: Campaign) -> dict:
    """Reviews by state, per reviewer, and the share decided."""
    # Per state: how many, and how many past their deadline (overdue = those of the active states).
    rows = _campaign_reviews_by_status.list(campaign_id=campaign.pk, today=timezone.localdate())
    by_status = {row["status"]: row["n"] for row in rows}
    total = sum(by_status.values())
    decided = by_status.get(ReviewStatus.DECIDED, 0) + by_status.get(ReviewStatus.CANCELLED, 0)
    overdue = sum(row["late"] for row in rows if row["status"] in ACTIVE_REVIEW_STATUSES)
    per_reviewer = _campaign_reviewers.list(campaign_id=campaign.pk)
    return {
        "by_status": [(ReviewStatus(s).label, s, by_status.get(s, 0)) for s in ReviewStatus.values],
        "total": total,
        "decided": decided,
        "overdue": overdue,
        "percent": round(100 * decided / total) if total else 0,
        "per_reviewer": per_reviewer,
    }


@baked
def _decided_outcomes_of(*, campaign_id):
    decided = Review.objects.filter(campaigns=campaign_id, status=ReviewStatus.DECIDED)
    return decided.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n").order_by()


def campaign_report(*, campaign: Campaign) -> dict:
    """How many rules were retained, amended, abolished, merged, given implementation rules."""
    counts = dict(_decided_outcomes_of.list(campaign_id=campaign.pk))
    outcomes = [(Outcome(o).label, o, counts.get(o, 0)) for o in Outcome.values]
    return {
        "outcomes": outcomes,
        "decided": sum(counts.values()),
        "chart": {"labels": [str(label) for label, _o, _n in outcomes], "values": [n for _l, _o, n in outcomes]},
    }


def campaign_report_rows(*, campaign: Campaign):
    return _report_rows(campaign.pk)


def _report_rows(campaign_id):
    return (
        Review.objects.filter(campaigns=campaign_id)
        .select_related("rule", "decided_by", "merge_target")
        .order_by("rule__code")
    )


_report_rows_baked = baked(lambda *, campaign_id: _report_rows(campaign_id))


def campaign_report_pages(*, campaign: Campaign):
    """(first_rows, count_rows) for the paginator of campaign_report_rows(), through a baked query."""
    return _report_rows_baked.pages(campaign_id=campaign.pk)


# The statements of the review and campaign pages, compiled once (integrity.baked).
@baked
def _scores_of(*, review_id):
    return Score.objects.filter(review_id=review_id).select_related("scored_by")


def review_scores(*, review: Review) -> list:
    """Every score of the review, with who scored it."""
    scores = _scores_of.list(review_id=review.pk)
    for score in scores:
        score.review = review  # as review.scores.all() sets it
    return scores


@baked
def _campaign_page_row(*, pk):
    return Campaign.objects.select_related("opened_by", "scope_issuing_unit").filter(pk=pk)


def campaign_page_row(*, pk) -> Campaign | None:
    """The campaign of a campaign page, with who opened it and its scope's issuing unit, or None."""
    try:
        return _campaign_page_row.first(pk=int(pk))
    except (ValueError, TypeError):
        return None


@baked
def _campaigns_of(*, review_id):
    return Campaign.objects.filter(reviews=review_id)


def review_campaigns(*, review: Review) -> list:
    """The cleanup campaigns the review belongs to (none or a few)."""
    return _campaigns_of.list(review_id=review.pk)


@baked
def _people_among(*, ids):
    return get_user_model().objects.filter(pk__in=ids)


def with_proposer_and_decider(review: Review) -> Review:
    """The review with whoever proposed and decided its outcome read in one statement (none at all while
    nobody has), instead of one lazily for each."""
    ids = sorted({pk for pk in (review.proposed_by_id, review.decided_by_id) if pk})
    people = {person.pk: person for person in _people_among.list(ids=ids)} if ids else {}
    for field in ("proposed_by", "decided_by"):
        person = people.get(getattr(review, f"{field}_id"))
        if person is not None:
            setattr(review, field, person)
    return review
