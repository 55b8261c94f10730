import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.forms_util import form_errors_to_messages
from integrity.pagination import paginate, querystring_without_page
from integrity.services import ServiceError

from . import selectors, services
from .diff import compare_articles, compare_fields
from .extensions import rule_tabs_for
from .forms import (
    AbolishForm,
    ApproveForm,
    CommentDecisionForm,
    CommentForm,
    CompareForm,
    ConsultationOpenForm,
    ReasonForm,
    RegisterFilterForm,
    RuleCreateForm,
    SubmitForm,
    VersionEditForm,
)
from .models import ELEMENTS, HAS_BEEN_IN_FORCE, OPEN_STATUSES, Comment, Consultation, Status
from .operability import check_version
from .permissions import (
    applies_to,
    can,
    can_view_consultation,
    consultation_list_pages,
    consultations_listed_to,
    get_rule_for,
    version_actions,
    why_not_comment,
)
from .transitions import TransitionError


def _rule_context(request, rule):
    return {"can_view_drafts": can(request.user, "view_drafts"), "rule_tabs": rule_tabs_for(request.user, rule)}


def _require(user, action):
    if not can(user, action):
        raise PermissionDenied(_("Your role does not allow this action."))


def _get_version(user, code, number):
    rule = get_rule_for(user, code)
    version = rule.versions.select_related("rule", "authored_by", "approved_by").filter(number=number).first()
    if version is None:
        raise Http404
    if version.status not in HAS_BEEN_IN_FORCE and not can(user, "view_drafts"):
        raise Http404
    return rule, version


def _filters(form):
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.RegisterFilters(
        q=data.get("q", ""),
        status=data.get("status", ""),
        category=data.get("category", ""),
        issuing_unit=(data.get("issuing_unit") or "").strip(),
        in_force_on=data.get("in_force_on"),
        review_due_before=data.get("review_due_before"),
        # A past date lists the register as it stood: by code, unless another order is asked for.
        sort=data.get("sort") or ("code" if data.get("in_force_on") else "-updated"),
    )


def register(request):
    _require(request.user, "view_register")
    form = RegisterFilterForm(request.GET)
    filters = _filters(form)
    if filters.in_force_on:
        rows = selectors.versions_in_force_on(actor=request.user, day=filters.in_force_on, filters=filters)
    else:
        rows = selectors.rule_list(actor=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        _require(request.user, "export_register")
        return _register_csv(rows, point_in_time=bool(filters.in_force_on))
    page = paginate(request, rows)
    return render(
        request,
        "rules/register.html",
        {
            "form": form,
            "page": page,
            "point_in_time": filters.in_force_on,
            "querystring": querystring_without_page(request),
            "can_draft": can(request.user, "draft_rule"),
            "can_export": can(request.user, "export_register"),
            "today": timezone.localdate(),
        },
    )


def _register_csv(rows, *, point_in_time):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rules.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Chinese correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Code"),
            _("Title"),
            _("Category"),
            _("Status"),
            _("Issuing unit"),
            _("Version"),
            _("In force since"),
            _("Next review"),
        ]
    )
    for row in rows.iterator(chunk_size=500):
        if point_in_time:
            rule, version = row.rule, row
        else:
            rule, version = row, row.current_version
        writer.writerow(
            [
                rule.code,
                version.title if version else rule.title,
                rule.get_category_display(),
                (version.get_status_display() if point_in_time else rule.get_status_display()),
                rule.issuing_unit.name,
                version.number if version else "",
                (version.effective_from if version else "") or "",
                rule.next_review_on or "",
            ]
        )
    return response


def board(request):
    _require(request.user, "view_register")
    q = request.GET.get("q", "")[:200]
    page = paginate(request, selectors.notice_board(q=q), per_page=50)
    return render(request, "rules/board.html", {"page": page, "q": q, "querystring": querystring_without_page(request)})


def rule_create(request):
    _require(request.user, "draft_rule")
    form = RuleCreateForm(request.POST or None, initial={"issuing_unit": request.user.unit_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.rule_create(
                actor=request.user,
                code=data["code"],
                title=data["title"],
                category=data["category"],
                issuing_unit=data["issuing_unit"],
                parent=data["parent"],
                audience_units=data["audience_units"],
                audience_leading_only=data["audience_leading_only"],
                review_interval_months=data["review_interval_months"],
                elements=form.elements(),
                articles=data["articles"],
                expires_on=data["expires_on"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Draft %(code)s saved. Check the operability list beside the text.") % {"code": rule.code}
            )
            return redirect("rules:edit", rule.code, 1)
    parent_code = request.GET.get("parent")
    if parent_code and not form.is_bound:
        form.initial["parent"] = form.fields["parent"].queryset.filter(code=parent_code).first()
    return render(request, "rules/rule_form.html", {"form": form})


def detail(request, code):
    rule = get_rule_for(request.user, code)
    version = rule.current_version
    open_version = versions = None
    if can(request.user, "view_drafts"):
        # Every version is listed on the page: the one in preparation is found among them, not read again.
        versions = list(selectors.rule_versions(rule=rule))
        open_version = next((v for v in versions if v.status in OPEN_STATUSES), None)
        rule.__dict__["open_version"] = open_version  # Rule.open_version, already known
        if version is None:
            version = open_version or (versions[0] if versions else None)
    return _render_version(request, rule, version, open_version=open_version, is_rule_page=True, versions=versions)


def version_detail(request, code, number):
    rule, version = _get_version(request.user, code, number)
    return _render_version(request, rule, version)


def _render_version(request, rule, version, *, open_version=None, is_rule_page=False, versions=None):
    if version is not None and version.rule_id == rule.pk:
        version.rule = rule  # already loaded: the action panel and the templates read it from the version
    articles = selectors.version_articles(version=version) if version else []
    if versions is None:
        versions = selectors.rule_versions(rule=rule, in_force_only=not can(request.user, "view_drafts"))
    context = {
        "rule": rule,
        "version": version,
        "open_version": open_version if open_version and open_version != version else None,
        "articles": articles,
        "versions": versions,
        "implementation_rules": selectors.implementation_rules(rule=rule),
        "actions": version_actions(request.user, version) if version else [],
        "transitions": selectors.version_transitions(version=version) if version else [],
        "is_rule_page": is_rule_page,
        "applies_to_me": applies_to(request.user, rule),
        "consultations": version.consultations.all() if version else [],
        "summary": selectors.consultation_summary(version=version)
        if version and can(request.user, "view_drafts")
        else None,
        "check_items": check_version(version, articles=articles)
        if version
        and version.status in (Status.DRAFT, Status.CONSULTATION, Status.PENDING_APPROVAL)
        and can(request.user, "view_drafts")
        else None,
        "today": timezone.localdate(),
        "submit_form": SubmitForm(),
        "approve_form": ApproveForm(initial={"effective_from": timezone.localdate()}),
        "reason_form": ReasonForm(),
        **_rule_context(request, rule),
    }
    return render(request, "rules/detail.html", context)


def version_edit(request, code, number):
    _require(request.user, "edit_draft")
    rule, version = _get_version(request.user, code, number)
    if not version.is_editable:
        messages.error(
            request,
            _("Only a draft can be edited; this version is “%(status)s”.") % {"status": version.get_status_display()},
        )
        return redirect(version.get_absolute_url())
    initial = {
        "title": version.title,
        "articles": "\n\n".join(a.text for a in version.articles.order_by("number")),
        "change_summary": version.change_summary,
        "expires_on": version.expires_on,
        "lock_version": version.lock_version,
        **{name: getattr(version, name) for name, _label in ELEMENTS},
    }
    form = VersionEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.version_update(
                version=version,
                actor=request.user,
                expected_lock_version=data["lock_version"],
                title=data["title"],
                articles=data["articles"],
                elements=form.elements(),
                change_summary=data["change_summary"],
                expires_on=data["expires_on"],
            )
        except services.EditConflict as error:
            conflict = error.current
            form.add_error(None, str(error))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("rules:edit", rule.code, version.number)
    version.refresh_from_db()
    context = {
        "rule": rule,
        "version": version,
        "form": form,
        "check_items": check_version(version),
        "conflict": conflict,
        "conflict_articles": selectors.version_articles(version=conflict) if conflict else [],
    }
    return render(request, "rules/version_edit.html", context)


def _transition_view(request, code, number, action, call, success):
    _require(request.user, action)
    rule, version = _get_version(request.user, code, number)
    try:
        call(version)
    except (ServiceError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(version.get_absolute_url())


@require_POST
def version_submit(request, code, number):
    form = SubmitForm(request.POST)
    justification = form.cleaned_data["justification"] if form.is_valid() else ""
    return _transition_view(
        request,
        code,
        number,
        "submit_version",
        lambda v: services.version_submit(version=v, actor=request.user, justification=justification),
        _("Submitted for approval. Another officer must approve it."),
    )


@require_POST
def version_approve(request, code, number):
    form = ApproveForm(request.POST)
    if not form.is_valid():
        rule, version = _get_version(request.user, code, number)
        form_errors_to_messages(request, form)
        return redirect(version.get_absolute_url())
    return _transition_view(
        request,
        code,
        number,
        "approve_version",
        lambda v: services.version_approve(
            version=v, actor=request.user, effective_from=form.cleaned_data["effective_from"]
        ),
        _("Version approved."),
    )


@require_POST
def version_send_back(request, code, number):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _transition_view(
        request,
        code,
        number,
        "send_back_version",
        lambda v: services.version_send_back(version=v, actor=request.user, reason=reason),
        _("Sent back to draft with your reason."),
    )


@require_POST
def version_withdraw(request, code, number):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _transition_view(
        request,
        code,
        number,
        "withdraw_version",
        lambda v: services.version_withdraw(version=v, actor=request.user, reason=reason),
        _("Draft withdrawn. It stays readable in the versions list."),
    )


@require_POST
def amend(request, code):
    _require(request.user, "amend_rule")
    rule = get_rule_for(request.user, code)
    try:
        draft = services.amendment_start(rule=rule, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(rule.get_absolute_url())
    messages.success(
        request,
        _("Amendment started as version %(number)s; the current version stays in force.") % {"number": draft.number},
    )
    return redirect("rules:edit", rule.code, draft.number)


def abolish(request, code):
    _require(request.user, "abolish_rule")
    rule = get_rule_for(request.user, code)
    form = AbolishForm(request.POST or None, initial={"abolished_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_abolish(
                rule=rule,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                abolished_on=form.cleaned_data["abolished_on"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(code)s is abolished. It stays readable with the reason.") % {"code": rule.code}
            )
            return redirect(rule.get_absolute_url())
    return render(request, "rules/abolish.html", {"rule": rule, "form": form})


def consultation_open(request, code, number):
    _require(request.user, "open_consultation")
    rule, version = _get_version(request.user, code, number)
    form = ConsultationOpenForm(
        request.POST or None, initial={"ends_on": timezone.localdate() + timezone.timedelta(days=14)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_open(
                version=version,
                actor=request.user,
                ends_on=form.cleaned_data["ends_on"],
                audience_units=form.cleaned_data["audience_units"],
            )
        except (ServiceError, TransitionError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Consultation open until %(date)s.") % {"date": consultation.ends_on})
            return redirect("rules:consultation", consultation.pk)
    return render(request, "rules/consultation_open.html", {"rule": rule, "version": version, "form": form})


def _get_consultation(user, pk):
    consultation = Consultation.objects.select_related("version", "version__rule", "opened_by").filter(pk=pk).first()
    if consultation is None or not can_view_consultation(user, consultation):
        raise Http404
    return consultation


def consultation_detail(request, pk):
    consultation = _get_consultation(request.user, pk)
    version = consultation.version
    articles = selectors.version_articles(version=version)
    form = CommentForm(request.POST or None, articles=articles)
    why_not = why_not_comment(request.user, consultation)
    if request.method == "POST":
        if why_not:
            messages.error(request, why_not)
            return redirect("rules:consultation", consultation.pk)
        if form.is_valid():
            number = form.cleaned_data["article"]
            article = next((a for a in articles if a.number == number), None)
            try:
                services.comment_add(
                    consultation=consultation, actor=request.user, text=form.cleaned_data["text"], article=article
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you: your comment was recorded."))
                return redirect("rules:consultation", consultation.pk)
    is_manager = can(request.user, "decide_comment")
    comments = selectors.consultation_comments(consultation=consultation, author=None if is_manager else request.user)
    context = {
        "consultation": consultation,
        "version": version,
        "rule": version.rule,
        "articles": articles,
        "form": form,
        "why_not": why_not,
        "comments": comments,
        "is_manager": is_manager,
        "decision_form": CommentDecisionForm(),
    }
    return render(request, "rules/consultation.html", context)


@require_POST
def comment_decide(request, pk):
    _require(request.user, "decide_comment")
    comment = get_object_or_404(Comment.objects.select_related("consultation"), pk=pk)
    form = CommentDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.comment_decide(
                comment=comment,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Decision recorded."))
    else:
        form_errors_to_messages(request, form)
    return redirect(reverse("rules:consultation", args=[comment.consultation_id]) + f"#comment-{comment.pk}")


@require_POST
def consultation_close(request, pk):
    _require(request.user, "open_consultation")
    consultation = _get_consultation(request.user, pk)
    try:
        services.consultation_close(consultation=consultation, actor=request.user)
    except (ServiceError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Consultation closed. The draft can be edited again."))
    return redirect(consultation.version.get_absolute_url())


def consultation_list(request):
    first_rows, count_rows = consultation_list_pages(request.user)
    page = paginate(
        request, lambda: consultations_listed_to(request.user), first_rows=first_rows, count_rows=count_rows
    )
    return render(request, "rules/consultation_list.html", {"page": page, "today": timezone.localdate()})


def compare(request, code):
    rule = get_rule_for(request.user, code)
    versions = selectors.rule_versions(rule=rule, in_force_only=not can(request.user, "view_drafts"))[::-1]
    numbers = [v.number for v in versions]
    default = {
        "a": numbers[-2] if len(numbers) > 1 else (numbers[0] if numbers else 1),
        "b": numbers[-1] if numbers else 1,
    }
    form = CompareForm(request.GET or default)
    rows, fields = [], []
    old = new = None
    if form.is_valid():
        by_number = {v.number: v for v in versions}
        old, new = by_number.get(form.cleaned_data["a"]), by_number.get(form.cleaned_data["b"])
        if old is None or new is None:
            form.add_error(None, _("Choose two versions of this rule."))
        else:
            rows = compare_articles(
                [(a.number, a.text) for a in selectors.version_articles(version=old)],
                [(a.number, a.text) for a in selectors.version_articles(version=new)],
            )
            labels = {"title": _("Title"), **{name: str(label) for name, label in ELEMENTS}}
            fields = compare_fields(
                {name: getattr(old, name) for name in labels}, {name: getattr(new, name) for name in labels}, labels
            )
    context = {"rule": rule, "versions": versions, "form": form, "rows": rows, "fields": fields, "old": old, "new": new}
    context.update(_rule_context(request, rule))
    return render(request, "rules/compare.html", context)


def history(request, code):
    rule = get_rule_for(request.user, code)
    if not can(request.user, "view_drafts"):
        raise PermissionDenied(_("Only officers can read the full editing history."))
    rows = selectors.rule_history(rule=rule)
    page = paginate(request, rows, per_page=50)
    return render(request, "rules/history.html", {"rule": rule, "page": page, **_rule_context(request, rule)})
