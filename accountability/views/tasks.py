from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.services import ServiceError

from .. import selectors, services
from ..forms import MarkDoneForm, ProgressReportForm, ReasonForm, TaskFilterForm
from ..models import ProgressReport
from ..permissions import can, get_task_for, task_units_in_scope
from ..transitions import task_actions
from ._common import export, export_format, page_of, querystring_without, require


def _filters(form):
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    return selectors.TaskFilters(
        q=data.get("q", ""),
        state=data.get("state", ""),
        overdue=bool(data.get("overdue")),
        unit=unit.pk if unit else None,
        rule=(data.get("rule") or "").strip(),
        mine=bool(data.get("mine")),
        supervised=bool(data.get("supervised")),
        sort=data.get("sort") or "deadline",
    )


def task_list(request):
    """Tasks in the user's scope, filtered in the URL, downloadable as CSV or XLSX."""
    require(request.user, "export_tasks")
    form = TaskFilterForm(request.GET, units=task_units_in_scope(request.user).order_by("path"))
    rows = selectors.task_list(actor=request.user, filters=_filters(form))
    if export_format(request):
        return _export_tasks(request, rows)
    return render(
        request,
        "accountability/task_list.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "querystring": querystring_without(request, "page"),
            "can_review": can(request.user, "review_task"),
            "today": timezone.localdate(),
        },
    )


def _export_tasks(request, rows):
    headers = [
        _("Rule"),
        _("Unit"),
        _("Article"),
        _("Task"),
        _("Owner"),
        _("Deadline"),
        _("State"),
        _("Progress (%)"),
        _("Overdue"),
        _("Last report"),
    ]

    def lines():
        for task in rows.iterator(chunk_size=500):
            yield [
                task.rule.code,
                task.unit.name,
                task.article.number if task.article else "",
                task.description,
                str(task.owner),
                task.deadline.isoformat(),
                task.get_state_display(),
                task.percent,
                _("yes") if task.is_overdue else _("no"),
                timezone.localtime(task.last_reported_at).strftime("%Y-%m-%d %H:%M") if task.last_reported_at else "",
            ]

    return export(request, headers=headers, rows=lines(), filename="tasks")


def _render_task(request, task, *, report_form=None, done_form=None, reason_form=None, reason_action="", status=200):
    context = {
        "task": task,
        "actions": task_actions(request.user, task),
        "reports": page_of(request, selectors.task_reports(task=task)),
        "transitions": selectors.task_transitions(task=task),
        "report_form": report_form or ProgressReportForm(initial={"percent": task.percent}),
        "done_form": done_form or MarkDoneForm(prefix="done"),
        "reason_form": reason_form or ReasonForm(),
        "reason_action": reason_action,
        "supervisor": selectors.rule_supervisor(rule_id=task.rule_id),
    }
    return render(request, "accountability/task_detail.html", context, status=status)


def task_detail(request, pk):
    return _render_task(request, get_task_for(request.user, pk))


@require_POST
def task_report(request, pk):
    task = get_task_for(request.user, pk)
    form = ProgressReportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_report(
                task=task, actor=request.user, percent=data["percent"], text=data["text"], evidence=data["evidence"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Progress reported: %(percent)d%%.") % {"percent": data["percent"]})
            return redirect(task.get_absolute_url())
    return _render_task(request, task, report_form=form, status=400)


@require_POST
def task_done(request, pk):
    task = get_task_for(request.user, pk)
    form = MarkDoneForm(request.POST, request.FILES, prefix="done")
    if form.is_valid():
        try:
            services.task_mark_done(
                task=task, actor=request.user, text=form.cleaned_data["text"], evidence=form.cleaned_data["evidence"]
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Marked done. The supervising officer will accept it or return it."))
            return redirect(task.get_absolute_url())
    return _render_task(request, task, done_form=form, status=400)


@require_POST
def task_accept(request, pk):
    task = get_task_for(request.user, pk)
    try:
        services.task_accept(task=task, actor=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Task accepted and closed."))
    return redirect(task.get_absolute_url())


def _reason_action(request, pk, action, call, success):
    task = get_task_for(request.user, pk)
    form = ReasonForm(request.POST, auto_id=f"id_{action}_%s")
    if form.is_valid():
        try:
            call(task, form.cleaned_data["reason"])
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect(task.get_absolute_url())
    return _render_task(request, task, reason_form=form, reason_action=action, status=400)


@require_POST
def task_return(request, pk):
    return _reason_action(
        request,
        pk,
        "return",
        lambda task, reason: services.task_return(task=task, actor=request.user, reason=reason),
        _("Task returned to the unit with your reason."),
    )


@require_POST
def task_cancel(request, pk):
    return _reason_action(
        request,
        pk,
        "cancel",
        lambda task, reason: services.task_cancel(task=task, actor=request.user, reason=reason),
        _("Task cancelled. It stays readable with your reason."),
    )


def evidence_download(request, pk):
    """An evidence file, for people who may see its task."""
    report = get_object_or_404(ProgressReport.objects.only("task_id", "evidence"), pk=pk)
    get_task_for(request.user, report.task_id)
    if not report.evidence:
        raise Http404
    try:
        handle = report.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=report.evidence_name)
