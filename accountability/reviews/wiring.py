"""How reviews plug into the rest of the product: navigation, home page, demo, reminders,
schedules and rule pages. Called once from ReviewsConfig.ready()."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrity import reminders
from integrity.dashboard import Panel, register_panel_provider
from integrity.demo import register_seeder
from integrity.links import lazy_link
from integrity.models import User
from integrity.navigation import register_nav
from integrity.reminders import Escalation, Occasion, ReminderItem, batched, object_key
from integrity.roles import Role
from integrity.schedules import Schedule, register_schedule
from integrity.selectors import count_each
from integrity.smoke import SMOKE_URLS
from rules.extensions import register_rule_tabs

from .models import ACTIVE_REVIEW_STATUSES, Review, ReviewStatus
from .permissions import can


def review_panels(user):
    if not can(user, "view_reviews"):
        return []
    today = timezone.localdate()
    # One COUNT each, each answered from its own index (reviewer, status, deadline), instead of one
    # pass over every review joined to every reviewer; all three in one statement.
    counts = count_each(
        mine=Review.objects.filter(reviewers=user, status__in=[ReviewStatus.OPEN, ReviewStatus.RETURNED]),
        to_decide=Review.objects.filter(status=ReviewStatus.PROPOSED).exclude(proposed_by=user),
        overdue=Review.objects.filter(status__in=ACTIVE_REVIEW_STATUSES, deadline__lt=today),
    )
    url = reverse("reviews:list")
    return [
        Panel(
            title=_("Reviews"),
            order=30,
            items=[
                (_("to review"), counts["mine"], f"{url}?mine=on&status=active", "warn"),
                (_("proposals to decide"), counts["to_decide"], f"{url}?status=proposed", "warn"),
                (_("reviews overdue"), counts["overdue"], f"{url}?overdue=on", "bad"),
            ],
        )
    ]


def review_tabs(user, rule):
    if not can(user, "view_reviews"):
        return []
    from accountability.feedback.selectors import review_suggested

    tabs = [{"label": _("Reviews"), "url": f"{reverse('reviews:list')}?rule={rule.code}"}]
    if review_suggested(rule=rule):
        tabs.append(
            {
                "label": _("Review suggested: open it"),
                "url": f"{reverse('reviews:open')}?rule={rule.code}&kind=feedback",
            }
        )
    return tabs


def review_due_items(window):
    """Active reviews whose deadline is near or past: reviewers, then the rule's supervising
    officer, then the top leader of its lead unit (falling back to the officer who opened the
    review and the issuing unit's top leader). Rows are read as values and the people of a
    batch loaded in one query."""
    from accountability.models import Assignment, ResponsibleUnit, UnitRole

    qs = Review.objects.filter(
        status__in=[ReviewStatus.OPEN, ReviewStatus.RETURNED], **window.due_dates("deadline")
    ).values(
        "pk", "deadline", "rule_id", "rule__code", "rule__title", "opened_by_id", "rule__issuing_unit__top_leader_id"
    )
    for reviews in batched(qs, window.batch_size):
        review_ids = [r["pk"] for r in reviews]
        rule_ids = [r["rule_id"] for r in reviews]
        reviewers = {}
        for review_id, user_id in Review.reviewers.through.objects.filter(review_id__in=review_ids).values_list(
            "review_id", "user_id"
        ):
            reviewers.setdefault(review_id, []).append(user_id)
        supervisors = dict(Assignment.objects.filter(rule_id__in=rule_ids).values_list("rule_id", "supervisor_id"))
        leaders = dict(
            ResponsibleUnit.objects.filter(
                assignment__rule_id__in=rule_ids, role=UnitRole.LEAD, is_active=True
            ).values_list("assignment__rule_id", "unit__top_leader_id")
        )
        supervising = {r["pk"]: supervisors.get(r["rule_id"]) or r["opened_by_id"] for r in reviews}
        leading = {r["pk"]: leaders.get(r["rule_id"]) or r["rule__issuing_unit__top_leader_id"] for r in reviews}
        people = User.objects.in_bulk(
            {user_id for ids in reviewers.values() for user_id in ids}
            | {user_id for user_id in supervising.values() if user_id}
            | {user_id for user_id in leading.values() if user_id}
        )
        yield [
            ReminderItem(
                key=object_key(Review, pk=review["pk"]),
                due=review["deadline"],
                title=_("Review of %(code)s %(title)s")
                % {"code": review["rule__code"], "title": review["rule__title"]},
                url=lazy_link("reviews:detail", pk=review["pk"]),
                recipients={
                    "primary": [people[user_id] for user_id in reviewers.get(review["pk"], [])],
                    "supervisor": [people[supervising[review["pk"]]]] if supervising[review["pk"]] else [],
                    "top_leader": [people[leading[review["pk"]]]] if leading[review["pk"]] else [],
                },
            )
            for review in reviews
        ]


REVIEW_DUE = Occasion(
    code="review_due",
    label=gettext_lazy("Evaluation review due"),
    items=review_due_items,
    before_days=(30, 7, 1),
    escalations=(
        Escalation("overdue"),
        Escalation("escalate-1", after_days=3, to="supervisor"),
        Escalation("escalate-2", after_days=10, to="top_leader"),
    ),
    description=gettext_lazy("Reviewers before the deadline; then the supervising officer and the top leader."),
)


def connect():
    from accountability.selectors import rule_supervisor

    from . import services, sources  # noqa: F401 (sources registers the evidence providers)
    from .demo import seed_reviews

    services.register_default_reviewers(lambda rule: [p for p in [rule_supervisor(rule_id=rule.pk)] if p])
    register_nav(gettext_lazy("Reviews"), "reviews:list", [Role.ADMIN, Role.OFFICER], order=30)
    register_nav(gettext_lazy("Cleanup"), "reviews:campaigns", [Role.ADMIN, Role.OFFICER], order=31)
    register_panel_provider(review_panels)
    register_rule_tabs(review_tabs)
    register_seeder(seed_reviews, order=40)
    reminders.register(REVIEW_DUE)
    register_schedule(
        Schedule(
            name="reviews.open-due-reviews",
            task="accountability.reviews.tasks.open_due_reviews",
            crontab={"minute": "20", "hour": "0"},
            description="Open periodic reviews for rules whose next review is near.",
        )
    )
    SMOKE_URLS.extend(["/reviews/", "/reviews/new/", "/campaigns/", "/campaigns/new/"])
