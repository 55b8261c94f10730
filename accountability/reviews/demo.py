"""Demo reviews in every state, one finished and one running cleanup campaign."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from integrity.models import User
from rules.models import Rule

from . import services
from .models import Campaign, Criterion, Outcome, Review

SCORES = dict.fromkeys(Criterion.values, (4, "基本符合要求。"))
LOW_SCORES = {
    **SCORES,
    Criterion.TIMELINESS: (2, "部分内容已滞后于新规定。"),
    Criterion.OPERABILITY: (3, "时限表述不够具体。"),
}


def _decide(review, reviewer, approver, outcome, note="", target=None):
    services.review_score(review=review, actor=reviewer, scores=LOW_SCORES if outcome != Outcome.RETAIN else SCORES)
    services.review_propose(review=review, actor=reviewer, outcome=outcome, note=note, merge_target=target)
    if approver is not None:
        services.review_approve(review=Review.objects.get(pk=review.pk), actor=approver)


@transaction.atomic
def seed_reviews(stdout=None, scale=1):
    if Review.objects.exists() or Campaign.objects.exists():
        return
    officer = User.objects.get(username="officer")
    officer2 = User.objects.get(username="officer2")
    today = timezone.localdate()
    rules = {r.code: r for r in Rule.objects.all()}

    def review_of(code):
        return Review.objects.filter(rule__code=code).order_by("-pk").first()

    # A finished cleanup campaign over official consumption rules.
    finished = services.campaign_create(
        actor=officer,
        title="2026年度公务消费类制度清理",
        deadline=today + timedelta(days=1),
        reviewers=[officer],
        category="official_consumption",
        open_now=True,
    )
    _decide(review_of("IR-2019-003"), officer, officer2, Outcome.RETAIN)
    _decide(review_of("IR-2021-002"), officer, officer2, Outcome.ABOLISH, "公务用车制度改革后已由新规定替代。")
    _decide(
        review_of("IR-2025-002"),
        officer,
        officer2,
        Outcome.MERGE,
        "内容与上位制度重复，并入执行。",
        rules["IR-2019-003"],
    )
    Campaign.objects.filter(pk=finished.pk).update(deadline=today - timedelta(days=10))

    # A running campaign over engineering construction rules.
    services.campaign_create(
        actor=officer,
        title="工程建设领域制度专项清理",
        deadline=today + timedelta(days=45),
        reviewers=[officer, officer2],
        category="construction",
        open_now=True,
    )
    _decide(review_of("IR-2022-001"), officer, None, Outcome.AMEND, "工程变更审批时限缩短为5个工作日。")
    services.review_score(review=review_of("IR-2020-002"), actor=officer2, scores={Criterion.LEGALITY: (5, "")})

    # Standalone reviews: decided (amend), returned, open and overdue, cancelled.
    amend = services.review_open(
        rule=rules["IR-2019-002"], actor=officer, deadline=today + timedelta(days=5), reviewers=[officer]
    )
    _decide(amend, officer, officer2, Outcome.AMEND, "明确大额资金的认定标准。")
    returned = services.review_open(
        rule=rules["IR-2020-004"],
        actor=officer,
        deadline=today + timedelta(days=20),
        reviewers=[officer],
        kind="feedback",
        reason="反馈集中反映审批时限不可行。",
    )
    _decide(returned, officer, None, Outcome.RETAIN)
    services.review_return(
        review=Review.objects.get(pk=returned.pk), actor=officer2, reason="请结合反馈意见重新评估可操作性。"
    )
    overdue = services.review_open(
        rule=rules["IR-2019-001"], actor=officer2, deadline=today, reviewers=[officer], kind="periodic"
    )
    Review.objects.filter(pk=overdue.pk).update(deadline=today - timedelta(days=4))
    cancelled = services.review_open(
        rule=rules["IR-2021-003"], actor=officer, deadline=today + timedelta(days=9), reviewers=[officer2]
    )
    services.review_cancel(review=cancelled, actor=officer, reason="已纳入省级统一清理。")
    if stdout:
        stdout.write(f"reviews: {Review.objects.count()} reviews, {Campaign.objects.count()} campaigns")
