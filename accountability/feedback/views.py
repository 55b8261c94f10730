from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from integrity.exports import export_response
from integrity.pagination import paginate, querystring_without_page
from integrity.services import ServiceError

from . import selectors, services, throttling
from .forms import (
    AssignForm,
    BulkAssignForm,
    FeedbackForm,
    MoveForm,
    NoteForm,
    QueueFilterForm,
    ReceiptForm,
    ReplyForm,
    ReportForm,
    SenderMessageForm,
)
from .models import Message
from .permissions import can, feedback_actions, get_feedback_for, is_own, why_not_sender_message
from .transitions import TransitionError

FOLLOW_UP_SESSION_KEY = "feedback_follow_up"
FOLLOW_UP_MINUTES = 30


def _require(user, action, message=None):
    if not can(user, action):
        raise PermissionDenied(message or _("Your role does not allow this action."))


def _form_errors_to_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _filters(form):
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.QueueFilters(
        q=data.get("q", ""),
        status=data.get("status", ""),
        kind=data.get("kind", ""),
        channel=data.get("channel", ""),
        assignee=data.get("assignee", ""),
        rule=(data.get("rule") or "").strip(),
        overdue=bool(data.get("overdue")),
        review_suggested=bool(data.get("review_suggested")),
        sort=data.get("sort") or "-received",
    )


EXPORT_HEADERS = [
    gettext_lazy("Reference"),
    gettext_lazy("Received"),
    gettext_lazy("Channel"),
    gettext_lazy("Kind"),
    gettext_lazy("Rule"),
    gettext_lazy("Article"),
    gettext_lazy("Status"),
    gettext_lazy("Assignee"),
    gettext_lazy("Sender"),
    gettext_lazy("Response due"),
    gettext_lazy("Overdue"),
    gettext_lazy("Text"),
]


def queue(request):
    _require(
        request.user,
        "view_queue",
        _("Only discipline officers triage feedback. What you sent is under “My feedback”."),
    )
    officers = selectors.officer_choices()
    form = QueueFilterForm(request.GET, officers=officers)
    filters = _filters(form)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        _require(request.user, "export_feedback")
        headers = [str(h) for h in EXPORT_HEADERS]
        rows = selectors.feedback_queue(actor=request.user, filters=filters)
        return export_response(headers=headers, rows=selectors.export_rows(rows), filename="feedback", fmt=fmt)
    first_rows, count_rows = selectors.queue_pages(actor=request.user, filters=filters)
    page = paginate(
        request,
        lambda: selectors.feedback_queue(actor=request.user, filters=filters),
        first_rows=first_rows,
        count_rows=count_rows,
    )
    context = {
        "form": form,
        "page": page,
        "querystring": querystring_without_page(request),
        "bulk_form": BulkAssignForm(),
        "officers": officers,
        "suggestions": selectors.queue_review_suggestions(rule_code=filters.rule),
        "filtered_rule": filters.rule,
        "counts": selectors.officer_counts(actor=request.user),
    }
    return render(request, "feedback/queue.html", context)


def _safe_next(request, default):
    target = request.POST.get("next", "")
    if target.startswith("/feedback/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@require_POST
def bulk_assign(request):
    _require(request.user, "assign_feedback")
    form = BulkAssignForm(request.POST)
    if form.is_valid():
        try:
            count = services.feedback_bulk_assign(
                feedback_ids=form.cleaned_data["items"], assignee=form.cleaned_data["assignee"], actor=request.user
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(count)d items assigned to %(name)s.") % {"count": count, "name": form.cleaned_data["assignee"]},
            )
    else:
        _form_errors_to_messages(request, form)
    return redirect(_safe_next(request, reverse("feedback:queue")))


def _receipt(request, submission, *, public):
    response = render(
        request,
        "feedback/receipt.html",
        {"submission": submission, "feedback": submission.feedback, "public": public},
    )
    response["Cache-Control"] = "no-store"
    return response


def feedback_new(request):
    _require(request.user, "submit_feedback")
    initial = {"rule": request.GET.get("rule", ""), "article": request.GET.get("article", "")}
    form = FeedbackForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.feedback_submit(
                actor=request.user,
                token=data["token"],
                rule=data["rule"],
                kind=data["kind"],
                text=data["text"],
                article=data.get("article_obj"),
                conflicting_rule=data.get("conflicting_rule"),
                attachment=data.get("attachment"),
                anonymous=data["anonymous"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            if submission.feedback.is_anonymous:
                return _receipt(request, submission, public=False)
            if submission.created:
                messages.success(
                    request,
                    _("Thank you: your feedback %(ref)s was received. Officers answer by %(date)s.")
                    % {"ref": submission.feedback.reference, "date": submission.feedback.response_due_on.isoformat()},
                )
            else:
                messages.info(request, _("This feedback was already received; it was not sent twice."))
            return redirect(submission.feedback.get_absolute_url())
    return render(request, "feedback/form.html", {"form": form, "rule": form.rule_obj})


def mine(request):
    _require(request.user, "view_own_feedback")
    first_rows, count_rows = selectors.my_feedback_pages(actor=request.user)
    page = paginate(
        request, lambda: selectors.my_feedback(actor=request.user), first_rows=first_rows, count_rows=count_rows
    )
    return render(request, "feedback/mine.html", {"page": page, "querystring": querystring_without_page(request)})


def detail(request, pk):
    feedback = get_feedback_for(request.user, pk)
    is_manager = can(request.user, "view_queue")
    own = is_own(request.user, feedback)
    context = {
        "feedback": feedback,
        "is_manager": is_manager,
        "is_own": own,
        "conversation": selectors.conversation(feedback=feedback, include_internal=is_manager),
        "today": timezone.localdate(),
    }
    if is_manager:
        context.update(
            events=selectors.feedback_events(feedback=feedback),
            actions=feedback_actions(request.user, feedback),
            reply_form=ReplyForm(),
            note_form=NoteForm(),
            assign_form=AssignForm(initial={"assignee": feedback.assignee_id}),
            suggestions=selectors.rule_review_suggestions(rule=feedback.rule) if feedback.rule_id else [],
        )
    if own:
        context.update(message_form=SenderMessageForm(), why_not_message=why_not_sender_message(feedback))
    return render(request, "feedback/detail.html", context)


def _item_action(request, pk, action, call, success):
    _require(request.user, action)
    feedback = get_feedback_for(request.user, pk)
    try:
        call(feedback)
    except (ServiceError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(feedback.get_absolute_url())


@require_POST
def assign(request, pk):
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("feedback:detail", pk)
    assignee = form.cleaned_data["assignee"]
    return _item_action(
        request,
        pk,
        "assign_feedback",
        lambda f: services.feedback_assign(feedback=f, assignee=assignee, actor=request.user),
        _("Assigned to %(name)s.") % {"name": assignee},
    )


@require_POST
def reply(request, pk):
    form = ReplyForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("feedback:detail", pk)
    data = form.cleaned_data
    return _item_action(
        request,
        pk,
        "reply_feedback",
        lambda f: services.feedback_reply(feedback=f, actor=request.user, text=data["text"], token=data["token"]),
        _("Reply sent. The sender can read it now."),
    )


@require_POST
def note(request, pk):
    form = NoteForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("feedback:detail", pk)
    return _item_action(
        request,
        pk,
        "add_note",
        lambda f: services.feedback_note_add(feedback=f, actor=request.user, text=form.cleaned_data["text"]),
        _("Internal note added."),
    )


@require_POST
def move(request, pk):
    form = MoveForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("feedback:detail", pk)
    data = form.cleaned_data
    return _item_action(
        request,
        pk,
        "change_status",
        lambda f: services.feedback_move(feedback=f, to=data["to"], actor=request.user, reason=data["reason"]),
        _("Status changed."),
    )


@require_POST
def sender_message(request, pk):
    feedback = get_feedback_for(request.user, pk)
    if not is_own(request.user, feedback):
        raise Http404
    form = SenderMessageForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect(feedback.get_absolute_url())
    try:
        services.sender_message_add(
            feedback=feedback,
            actor=request.user,
            text=form.cleaned_data["text"],
            token=form.cleaned_data["token"],
            attachment=form.cleaned_data.get("attachment"),
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: your message was added."))
    return redirect(feedback.get_absolute_url())


def attachment(request, pk, message_pk=None):
    """Officers download attachments; files are never served from a public URL."""
    _require(request.user, "view_queue")
    feedback = get_feedback_for(request.user, pk)
    source = feedback
    if message_pk is not None:
        source = Message.objects.filter(feedback=feedback, pk=message_pk).first()
    if source is None or not source.attachment:
        raise Http404
    return FileResponse(
        source.attachment.open("rb"),
        as_attachment=True,
        filename=source.attachment_name or "attachment",
        content_type="application/octet-stream",
    )


# The public channel: no account, no IP address kept, rate-limited per client and globally.


def _throttled(request, limit, template, context):
    if limit.per_client:
        text = _("Too many attempts from your connection. Wait an hour and try again; what you wrote is kept below.")
    else:
        text = _("The reporting channel is very busy right now. Wait a minute and try again; what you wrote is kept.")
    context = {**context, "throttled": text}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(limit.window)
    return response


@login_not_required
@never_cache
def report(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        refused = throttling.take(request, throttling.REPORT_LIMITS)
        if refused:
            return _throttled(request, refused, "feedback/report.html", {"form": form})
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = services.report_submit(
                    token=data["token"],
                    kind=data["kind"],
                    text=data["text"],
                    rule=data.get("rule"),
                    contact=data["contact"],
                    attachment=data.get("attachment"),
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                return _receipt(request, submission, public=True)
    return render(request, "feedback/report.html", {"form": form})


def _followed_up(request):
    """The report this browser opened with its receipt code in the last FOLLOW_UP_MINUTES, if any."""
    state = request.session.get(FOLLOW_UP_SESSION_KEY)
    if not state or state.get("until", 0) < timezone.now().timestamp():
        return None
    from .models import Feedback

    feedback = Feedback.objects.select_related("rule", "article").filter(pk=state.get("id")).first()
    if feedback is None or not feedback.receipt_hash:
        return None
    request.session[FOLLOW_UP_SESSION_KEY] = {"id": feedback.pk, "until": _until()}
    return feedback


def _until():
    return (timezone.now() + timezone.timedelta(minutes=FOLLOW_UP_MINUTES)).timestamp()


WRONG_CODE = gettext_lazy("That receipt code does not open a report. Check it and try again.")


@login_not_required
@never_cache
def follow_up(request):
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "leave":
        request.session.pop(FOLLOW_UP_SESSION_KEY, None)
        messages.success(request, _("You left the report. Use your receipt code to open it again."))
        return redirect("feedback:report-follow-up")
    if action == "open":
        return _follow_up_open(request)
    feedback = _followed_up(request)
    if feedback is None:
        return render(request, "feedback/follow_up.html", {"code_form": ReceiptForm()})
    form = (
        SenderMessageForm(request.POST or None, request.FILES or None) if action == "message" else SenderMessageForm()
    )
    context = {
        "feedback": feedback,
        "conversation": selectors.conversation(feedback=feedback, include_internal=False),
        "message_form": form,
        "why_not_message": why_not_sender_message(feedback),
    }
    if action == "message":
        refused = throttling.take(request, throttling.REPORT_LIMITS)
        if refused:
            return _throttled(request, refused, "feedback/follow_up.html", context)
        if form.is_valid():
            try:
                services.sender_message_add(
                    feedback=feedback,
                    text=form.cleaned_data["text"],
                    token=form.cleaned_data["token"],
                    attachment=form.cleaned_data.get("attachment"),
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you: your message was added. Officers will read it."))
                return redirect("feedback:report-follow-up")
    return render(request, "feedback/follow_up.html", context)


def _follow_up_open(request):
    code_form = ReceiptForm(request.POST)
    refused = throttling.exceeded(request, throttling.RECEIPT_LIMITS)
    if refused:
        return _throttled(request, refused, "feedback/follow_up.html", {"code_form": ReceiptForm()})
    if not code_form.is_valid():
        return render(request, "feedback/follow_up.html", {"code_form": code_form})
    feedback = selectors.feedback_by_receipt(code=code_form.cleaned_data["code"])
    if feedback is None:
        # Wrong and malformed codes get the same answer, and both count towards the limit.
        throttling.hit(request, throttling.RECEIPT_LIMITS)
        return render(request, "feedback/follow_up.html", {"code_form": ReceiptForm(), "wrong_code": WRONG_CODE})
    request.session.cycle_key()
    request.session[FOLLOW_UP_SESSION_KEY] = {"id": feedback.pk, "until": _until()}
    return redirect("feedback:report-follow-up")
