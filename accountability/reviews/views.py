from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.exports import export_response
from integrity.forms_util import form_errors_to_messages
from integrity.pagination import paginate, querystring_without_page
from integrity.services import ServiceError
from rules.models import Rule, Status
from rules.operability import check_version
from rules.selectors import version_articles

from . import selectors, services
from .evidence import evidence_for
from .forms import CampaignForm, ProposeForm, ReasonForm, ReviewFilterForm, ReviewOpenForm, ScoreForm
from .models import Criterion
from .permissions import can, get_review_for, why_not_decide, why_not_propose, why_not_score
from .transitions import ReviewTransitionError


def _require(user, action):
    if not can(user, action):
        raise PermissionDenied(_("Only discipline officers work on reviews and cleanup campaigns."))


def review_list(request):
    _require(request.user, "view_reviews")
    form = ReviewFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.ReviewFilters(
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        mine=bool(data.get("mine")),
        overdue=bool(data.get("overdue")),
        campaign=data.get("campaign"),
        rule=data.get("rule", ""),
        q=data.get("q", ""),
    )
    reviews = selectors.review_list(actor=request.user, filters=filters)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            headers=[_("Rule"), _("Title"), _("Kind"), _("Status"), _("Deadline"), _("Outcome")],
            rows=(
                [
                    r.rule.code,
                    r.rule.title,
                    r.get_kind_display(),
                    r.get_status_display(),
                    r.deadline,
                    r.get_outcome_display(),
                ]
                for r in reviews
            ),
            filename="reviews",
            fmt=request.GET["format"],
        )
    page = paginate(request, reviews)
    return render(
        request,
        "reviews/review_list.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
            "can_open": can(request.user, "open_review"),
        },
    )


def review_open(request):
    _require(request.user, "open_review")
    initial = {"deadline": timezone.localdate() + timezone.timedelta(days=30), "reviewers": [request.user.pk]}
    code = request.GET.get("rule")
    if code:
        initial["rule"] = Rule.objects.filter(code=code, status=Status.IN_FORCE).first()
    if request.GET.get("kind") == "feedback":
        initial["kind"] = "feedback"
    form = ReviewOpenForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.review_open(
                rule=data["rule"],
                actor=request.user,
                deadline=data["deadline"],
                reviewers=data["reviewers"],
                kind=data["kind"],
                reason=data["reason"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Review opened."))
            return redirect(review)
    return render(request, "reviews/review_open.html", {"form": form})


def review_detail(request, pk):
    review = selectors.with_proposer_and_decider(get_review_for(request.user, pk))
    rule = review.rule
    version = rule.current_version
    all_scores = selectors.review_scores(review=review)
    scores = {s.criterion: s for s in all_scores}
    articles = version_articles(version=version) if version else []
    score_form = ScoreForm(
        initial={"seen_version": services.scores_version(review=review, scores=all_scores)},
        initial_scores={c: (s.score, s.comment) for c, s in scores.items()},
    )
    context = {
        "review": review,
        "rule": rule,
        "version": version,
        "articles": articles,
        "check_items": check_version(version, articles=articles) if version else [],
        "evidence": evidence_for(rule, review.evidence_since),
        "scores": [(label, scores.get(c)) for c, label in Criterion.choices],
        "score_form": score_form,
        "propose_form": ProposeForm(
            initial={
                "outcome": review.outcome or None,
                "note": review.outcome_note,
                "merge_target": review.merge_target,
            }
        ),
        "reason_form": ReasonForm(),
        "why_not_score": why_not_score(request.user, review),
        "why_not_propose": why_not_propose(request.user, review),
        "why_not_decide": why_not_decide(request.user, review),
        "campaigns": selectors.review_campaigns(review=review),
        "reviewers": review.reviewers.all(),
    }
    return render(request, "reviews/review_detail.html", context)


def _back(request, review, call, success):
    try:
        call()
    except (ServiceError, ReviewTransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(review)


@require_POST
def review_score(request, pk):
    review = get_review_for(request.user, pk)
    problem = why_not_score(request.user, review)
    if problem:
        messages.error(request, problem)
        return redirect(review)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form, with_labels=True)
        return redirect(review)
    seen = form.cleaned_data["seen_version"] or None
    return _back(
        request,
        review,
        lambda: services.review_score(review=review, actor=request.user, scores=form.scores(), seen_version=seen),
        _("Scores saved."),
    )


@require_POST
def review_propose(request, pk):
    review = get_review_for(request.user, pk)
    problem = why_not_propose(request.user, review)
    if problem:
        messages.error(request, problem)
        return redirect(review)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect(review)
    data = form.cleaned_data
    return _back(
        request,
        review,
        lambda: services.review_propose(
            review=review,
            actor=request.user,
            outcome=data["outcome"],
            note=data["note"],
            merge_target=data["merge_target"],
        ),
        _("Outcome proposed. Another officer decides on it."),
    )


@require_POST
def review_approve(request, pk):
    review = get_review_for(request.user, pk)
    if not can(request.user, "decide_review"):
        raise PermissionDenied
    return _back(
        request,
        review,
        lambda: services.review_approve(review=review, actor=request.user),
        _("Proposal approved and applied to the rule."),
    )


@require_POST
def review_return(request, pk):
    review = get_review_for(request.user, pk)
    if not can(request.user, "decide_review"):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _back(
        request,
        review,
        lambda: services.review_return(review=review, actor=request.user, reason=reason),
        _("Returned to the reviewers."),
    )


def campaign_list(request):
    _require(request.user, "view_campaigns")
    page = paginate(request, selectors.campaign_list())
    return render(request, "reviews/campaign_list.html", {"page": page, "can_run": can(request.user, "run_campaign")})


def campaign_create(request):
    _require(request.user, "run_campaign")
    form = CampaignForm(
        request.POST or None,
        initial={"deadline": timezone.localdate() + timezone.timedelta(days=60), "reviewers": [request.user.pk]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user,
                title=data["title"],
                deadline=data["deadline"],
                reviewers=data["reviewers"],
                category=data["category"],
                issuing_unit=data["issuing_unit"],
                in_force_before=data["in_force_before"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campaign created: its reviews are being opened."))
            return redirect(campaign)
    return render(request, "reviews/campaign_form.html", {"form": form})


def _get_campaign(user, pk):
    _require(user, "view_campaigns")
    campaign = selectors.campaign_page_row(pk=pk)
    if campaign is None:
        raise Http404
    return campaign


def campaign_detail(request, pk):
    campaign = _get_campaign(request.user, pk)
    template = (
        "reviews/_campaign_progress.html" if request.headers.get("HX-Request") else "reviews/campaign_detail.html"
    )
    return render(request, template, {"campaign": campaign, "progress": selectors.campaign_progress(campaign=campaign)})


def campaign_report(request, pk):
    campaign = _get_campaign(request.user, pk)
    rows = selectors.campaign_report_rows(campaign=campaign)
    if request.GET.get("format") in ("csv", "xlsx"):
        return export_response(
            headers=[
                _("Rule"),
                _("Title"),
                _("Status"),
                _("Outcome"),
                _("What to change, or why"),
                _("Merged into"),
                _("Decided by"),
                _("Decided at"),
            ],
            rows=(
                [
                    r.rule.code,
                    r.rule.title,
                    r.get_status_display(),
                    r.get_outcome_display(),
                    r.outcome_note,
                    r.merge_target.code if r.merge_target else "",
                    str(r.decided_by or ""),
                    r.decided_at.date() if r.decided_at else "",
                ]
                for r in rows
            ),
            filename=f"campaign-{campaign.pk}-report",
            fmt=request.GET["format"],
        )
    first_rows, count_rows = selectors.campaign_report_pages(campaign=campaign)
    page = paginate(request, rows, per_page=100, first_rows=first_rows, count_rows=count_rows)
    return render(
        request,
        "reviews/campaign_report.html",
        {
            "campaign": campaign,
            "report": selectors.campaign_report(campaign=campaign),
            "page": page,
            "querystring": querystring_without_page(request),
        },
    )
