"""Business actions on evaluation reviews and cleanup campaigns.

Approving a proposal applies its outcome through the rules services, inside one transaction:
a failure midway changes nothing.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from integrity.history import save_as as _save
from integrity.queue import enqueue_on_commit
from integrity.services import ServiceError
from rules import services as rule_services
from rules.models import ELEMENTS, Rule, Status

from .models import ACTIVE_REVIEW_STATUSES, Campaign, CampaignStatus, Criterion, Outcome, Review, ReviewKind, Score
from .models import ReviewStatus as S
from .sources import take_up_review_suggestion
from .transitions import ensure_review_transition

DEFAULT_OPEN_DAYS_BEFORE = 30


def _lock(review):
    return Review.objects.select_for_update().select_related("rule").get(pk=review.pk)


@transaction.atomic
def review_open(
    *, rule: Rule, actor, deadline: date, reviewers, kind: str = ReviewKind.SPECIAL, reason: str = ""
) -> Review:
    """Open a review of a rule in force; refused when the rule is already under review."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != Status.IN_FORCE:
        raise ServiceError(
            _("Only a rule in force can be reviewed; this one is “%(status)s”.") % {"status": rule.get_status_display()}
        )
    if deadline < timezone.localdate():
        raise ServiceError(_("The review deadline cannot be in the past."))
    if not reviewers:
        raise ServiceError(_("Name at least one reviewer."))
    if Review.objects.filter(rule=rule, status__in=ACTIVE_REVIEW_STATUSES).exists():
        raise ServiceError(_("%(code)s is already under review; open that review instead.") % {"code": rule.code})
    last = Review.objects.filter(rule=rule, status=S.DECIDED).order_by("-decided_at").first()
    review = Review(
        rule=rule,
        kind=kind,
        deadline=deadline,
        opened_by=actor,
        reason=reason,
        evidence_since=(timezone.localtime(last.decided_at).date() if last else rule.in_force_since),
    )
    try:
        with transaction.atomic():
            _save(review, actor)
    except IntegrityError:
        raise ServiceError(
            _("%(code)s is already under review; open that review instead.") % {"code": rule.code}
        ) from None
    review.reviewers.set(reviewers)
    take_up_review_suggestion(rule=rule, review=review, actor=actor)
    return review


def scores_version(*, review: Review, scores: list | None = None) -> str:
    """A token that changes whenever any score of the review is saved. `scores`: every score of the review,
    where the caller has read them already (the review page), else they are counted here."""
    if scores is None:
        seen = review.scores.aggregate(n=Count("pk"), latest=Max("scored_at"))
    else:
        seen = {"n": len(scores), "latest": max((s.scored_at for s in scores), default=None)}
    return f"{seen['n']}:{seen['latest'].isoformat() if seen['latest'] else ''}"


@transaction.atomic
def review_score(*, review: Review, actor, scores: dict, seen_version: str | None = None) -> Review:
    """Record scores {criterion: (score 1–5, comment)}; a later score on a criterion replaces the earlier.

    seen_version is scores_version() as the form showed it: when someone else saved scores since,
    nothing is saved and the reviewer is told, so that nobody overwrites another's scores unseen."""
    review = _lock(review)
    if review.status not in (S.OPEN, S.RETURNED):
        raise ServiceError(_("Scores can be changed only while the review is open."))
    if seen_version is not None and seen_version != scores_version(review=review):
        raise ServiceError(
            _("Another reviewer saved scores while you were scoring. Nothing of yours was saved: check theirs below.")
        )
    for criterion, (score, _comment) in scores.items():
        if criterion not in Criterion.values:
            raise ServiceError(_("Unknown criterion."))
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ServiceError(_("Each score must be a whole number from 1 to 5."))
    for criterion, (score, comment) in scores.items():
        existing = Score.objects.filter(review=review, criterion=criterion).first()
        if existing is None:
            existing = Score(review=review, criterion=criterion, score=score, comment=comment, scored_by=actor)
        else:
            existing.score, existing.comment, existing.scored_by, existing.scored_at = (
                score,
                comment,
                actor,
                timezone.now(),
            )
        _save(existing, actor)
    return review


@transaction.atomic
def review_propose(*, review: Review, actor, outcome: str, note: str = "", merge_target: Rule | None = None) -> Review:
    """Propose an outcome once every criterion is scored; each outcome has the field it needs."""
    review = _lock(review)
    ensure_review_transition(review, to=S.PROPOSED, actor=actor)
    missing = set(Criterion.values) - set(review.scores.values_list("criterion", flat=True))
    if missing:
        raise ServiceError(
            _("Score all five criteria before proposing an outcome (%(count)d missing).") % {"count": len(missing)}
        )
    note = (note or "").strip()
    if outcome not in Outcome.values:
        raise ServiceError(_("Choose an outcome."))
    if outcome == Outcome.AMEND and not note:
        raise ServiceError(_("Say what to change in the amendment."))
    if outcome == Outcome.ABOLISH and not note:
        raise ServiceError(_("Give the reason for abolition."))
    if outcome == Outcome.IMPLEMENTATION and not note:
        raise ServiceError(_("Say what the implementation rules must settle."))
    if outcome == Outcome.MERGE:
        if merge_target is None:
            raise ServiceError(_("Choose the rule to merge into."))
        if merge_target.pk == review.rule_id:
            raise ServiceError(_("A rule cannot be merged into itself."))
        if Rule.objects.get(pk=merge_target.pk).status != Status.IN_FORCE:
            raise ServiceError(_("A rule can only be merged into a rule in force."))
    review.outcome, review.outcome_note = outcome, note
    review.merge_target = merge_target if outcome == Outcome.MERGE else None
    review.proposed_by, review.proposed_at = actor, timezone.now()
    review.status = S.PROPOSED
    _save(
        review, actor, ["outcome", "outcome_note", "merge_target", "proposed_by", "proposed_at", "status", "updated_at"]
    )
    return review


@transaction.atomic
def review_return(*, review: Review, actor, reason: str) -> Review:
    """Send a proposal back to the reviewers with the reason (four-eyes)."""
    review = _lock(review)
    ensure_review_transition(review, to=S.RETURNED, actor=actor, reason=reason)
    review.status, review.return_reason = S.RETURNED, reason.strip()
    _save(review, actor, ["status", "return_reason", "updated_at"], reason=reason)
    return review


@transaction.atomic
def review_cancel(*, review: Review, actor, reason: str) -> Review:
    """Cancel an open review (e.g. the rule ended in another way)."""
    review = _lock(review)
    ensure_review_transition(review, to=S.CANCELLED, actor=actor, reason=reason)
    review.status, review.return_reason = S.CANCELLED, reason.strip()
    _save(review, actor, ["status", "return_reason", "updated_at"], reason=reason)
    return review


@transaction.atomic
def review_approve(*, review: Review, actor) -> Review:
    """Approve the proposal (four-eyes) and apply its outcome to the rule, all or nothing."""
    review = _lock(review)
    ensure_review_transition(review, to=S.DECIDED, actor=actor)
    rule = review.rule
    today = timezone.localdate()
    reference = _("Review #%(id)d") % {"id": review.pk}
    outcome = review.outcome
    if outcome in (Outcome.RETAIN, Outcome.AMEND, Outcome.IMPLEMENTATION):
        rule_services.rule_set_next_review(
            rule=rule,
            actor=actor,
            next_review_on=rule_services.next_review_after(rule=rule, day=today),
            reason=reference,
        )
    if outcome == Outcome.AMEND:
        review.amendment = rule_services.amendment_start(
            rule=rule, actor=actor, change_summary=f"{reference}: {review.outcome_note}"
        )
    elif outcome == Outcome.ABOLISH:
        rule_services.rule_abolish(
            rule=rule, actor=actor, reason=f"{reference}: {review.outcome_note}", abolished_on=today
        )
    elif outcome == Outcome.MERGE:
        rule_services.rule_merge_into(
            rule=rule, target=review.merge_target, actor=actor, reason=f"{reference}: {review.outcome_note}"
        )
    elif outcome == Outcome.IMPLEMENTATION:
        current = rule.current_version
        review.implementation_rule = rule_services.rule_create(
            actor=actor,
            title=_("Implementation rules of %(title)s") % {"title": rule.title},
            issuing_unit=rule.issuing_unit,
            category=rule.category,
            parent=rule,
            audience_units=list(rule.audience_units.all()),
            articles=[f"{reference}: {review.outcome_note}"],
            review_interval_months=rule.review_interval_months,
            elements={name: getattr(current, name) for name, _label in ELEMENTS} if current else {},
        )
    review.status, review.decided_by, review.decided_at = S.DECIDED, actor, timezone.now()
    _save(review, actor, ["status", "decided_by", "decided_at", "amendment", "implementation_rule", "updated_at"])
    for campaign in review.campaigns.all():
        campaign_refresh_status(campaign=campaign)
    return review


def open_due_reviews(*, today: date | None = None, days_before: int | None = None) -> int:
    """Open a periodic review for every rule in force whose next review is near; returns how many."""
    today = today or timezone.localdate()
    days_before = (
        days_before
        if days_before is not None
        else getattr(settings, "REVIEWS_OPEN_DAYS_BEFORE", DEFAULT_OPEN_DAYS_BEFORE)
    )
    due = (
        Rule.objects.filter(status=Status.IN_FORCE, next_review_on__lte=today + timedelta(days=days_before))
        .exclude(reviews__status__in=ACTIVE_REVIEW_STATUSES)
        .select_related("created_by")
        .order_by("next_review_on", "pk")
    )
    count = 0
    for rule in due.iterator(chunk_size=200):
        try:
            review_open(
                rule=rule,
                actor=None,
                deadline=max(rule.next_review_on, today),
                reviewers=default_reviewers(rule),
                kind=ReviewKind.PERIODIC,
                reason=_("The rule's periodic review is due on %(date)s.") % {"date": rule.next_review_on},
            )
            count += 1
        except ServiceError:
            continue  # opened meanwhile by someone else: nothing to do
    return count


_reviewer_providers = []


def register_default_reviewers(provider):
    """provider(rule) -> list of users, or [] to defer to the next one (e.g. the supervising officer)."""
    _reviewer_providers.append(provider)
    return provider


def default_reviewers(rule: Rule):
    for provider in _reviewer_providers:
        found = provider(rule)
        if found:
            return found
    return [rule.created_by]


# Cleanup campaigns


def campaign_scope(*, category="", issuing_unit=None, in_force_before=None):
    """The rules in force that a campaign with these filters covers."""
    qs = Rule.objects.filter(status=Status.IN_FORCE)
    if category:
        qs = qs.filter(category=category)
    if issuing_unit is not None:
        qs = qs.filter(issuing_unit=issuing_unit)
    if in_force_before:
        qs = qs.filter(in_force_since__lt=in_force_before)
    return qs


@transaction.atomic
def campaign_create(
    *,
    actor,
    title: str,
    deadline: date,
    reviewers,
    category="",
    issuing_unit=None,
    in_force_before=None,
    open_now: bool = False,
) -> Campaign:
    """Define a cleanup campaign; its reviews are opened by a background job with visible progress
    (open_now: in this process, for the demo and scripts)."""
    if deadline < timezone.localdate():
        raise ServiceError(_("The campaign deadline cannot be in the past."))
    if not reviewers:
        raise ServiceError(_("Name at least one reviewer."))
    count = campaign_scope(category=category, issuing_unit=issuing_unit, in_force_before=in_force_before).count()
    if count == 0:
        raise ServiceError(_("No rule in force matches this scope: widen the filters."))
    campaign = Campaign(
        title=title,
        deadline=deadline,
        scope_category=category or "",
        scope_issuing_unit=issuing_unit,
        scope_in_force_before=in_force_before,
        rules_in_scope=count,
        opened_by=actor,
    )
    _save(campaign, actor)
    campaign.reviewers.set(reviewers)
    if open_now:
        return campaign_open_reviews(campaign_id=campaign.pk)
    from .tasks import open_campaign_reviews

    enqueue_on_commit(open_campaign_reviews, campaign.pk)
    return campaign


def campaign_open_reviews(*, campaign_id: int, batch_size: int = 200) -> Campaign:
    """Open one review per rule in scope, in batches, recording progress; a rule already under
    review is linked instead. Safe to run twice: it continues where it stopped."""
    campaign = Campaign.objects.get(pk=campaign_id)
    reviewers = list(campaign.reviewers.all())
    scope = campaign_scope(
        category=campaign.scope_category,
        issuing_unit=campaign.scope_issuing_unit,
        in_force_before=campaign.scope_in_force_before,
    ).order_by("pk")
    last_pk = 0
    while True:
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            rules = list(scope.filter(pk__gt=last_pk)[:batch_size])
            if not rules:
                break
            last_pk = rules[-1].pk
            ids = [r.pk for r in rules]
            linked = set(campaign.reviews.filter(rule_id__in=ids).values_list("rule_id", flat=True))
            active = {r.rule_id: r for r in Review.objects.filter(rule_id__in=ids, status__in=ACTIVE_REVIEW_STATUSES)}
            new = [
                Review(
                    rule=rule,
                    kind=ReviewKind.CAMPAIGN,
                    deadline=campaign.deadline,
                    opened_by=campaign.opened_by,
                    reason=campaign.title,
                    evidence_since=rule.in_force_since,
                )
                for rule in rules
                if rule.pk not in linked and rule.pk not in active
            ]
            created = bulk_create_with_history(new, Review, default_user=campaign.opened_by)
            Review.reviewers.through.objects.bulk_create(
                [Review.reviewers.through(review_id=r.pk, user_id=u.pk) for r in created for u in reviewers]
            )
            to_link = created + [r for rule_id, r in active.items() if rule_id not in linked]
            campaign.reviews.add(*to_link)
            campaign.rules_processed = min(campaign.rules_in_scope, campaign.rules_processed + len(rules))
            campaign.save(update_fields=["rules_processed"])
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        campaign.rules_in_scope = campaign.reviews.count()
        campaign.rules_processed = campaign.rules_in_scope
        if campaign.status == CampaignStatus.OPENING:
            campaign.status = CampaignStatus.RUNNING
        campaign.save(update_fields=["rules_in_scope", "rules_processed", "status"])
    return campaign_refresh_status(campaign=campaign)


def campaign_refresh_status(*, campaign: Campaign) -> Campaign:
    """A running campaign whose reviews are all decided (or cancelled) is finished."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    if (
        campaign.status == CampaignStatus.RUNNING
        and not campaign.reviews.filter(status__in=ACTIVE_REVIEW_STATUSES).exists()
    ):
        campaign.status = CampaignStatus.FINISHED
        campaign.finished_at = timezone.now()
        campaign.save(update_fields=["status", "finished_at"])
    return campaign
