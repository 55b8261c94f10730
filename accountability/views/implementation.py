"""The "Implementation" and "Acknowledgements" tabs of a rule."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.services import ServiceError
from rules.extensions import rule_tabs_for
from rules.permissions import can as rules_can
from rules.permissions import get_rule_for
from rules.selectors import version_articles

from .. import selectors, services
from ..forms import AssignForm, CompletionFilterForm, ResponsiblePersonForm, TaskCreateForm
from ..models import ResponsibleUnit
from ..permissions import can, can_view_implementation, why_not_assign
from ._common import page_of, querystring_without, require
from .completion import completion_context, export_completion


def _get_rule(user, code):
    rule = get_rule_for(user, code)
    if not can_view_implementation(user, rule):
        raise Http404
    return rule


def _rule_context(request, rule, **extra):
    return {
        "rule": rule,
        "version": rule.current_version,
        "rule_tabs": rule_tabs_for(request.user, rule),
        "can_view_drafts": rules_can(request.user, "view_drafts"),
        **extra,
    }


def rule_implementation(request, code):
    """Responsible units, supervisor and tasks of a rule, with the officer's actions."""
    rule = _get_rule(request.user, code)
    assignment = selectors.rule_assignment(rule=rule)
    units = list(selectors.assignment_units(assignment=assignment, active_only=False))
    tasks = selectors.task_list(actor=request.user, filters=selectors.TaskFilters(rule=rule.code))
    why_not = why_not_assign(request.user, rule)
    context = _rule_context(
        request,
        rule,
        assignment=assignment,
        active_units=[u for u in units if u.is_active],
        removed_units=[u for u in units if not u.is_active],
        page=page_of(request, tasks),
        counts=selectors.task_counts(tasks),
        is_manager=can(request.user, "assign_rule"),
        why_not_assign=why_not,
        why_not_task=why_not or (None if assignment and assignment.is_active else _("Assign responsible units first.")),
        today=timezone.localdate(),
    )
    return render(request, "accountability/rule_implementation.html", context)


def rule_assign(request, code):
    require(request.user, "assign_rule")
    rule = _get_rule(request.user, code)
    assignment = selectors.rule_assignment(rule=rule)
    initial = {"supervisor": request.user.pk}
    if assignment is not None:
        active = list(selectors.assignment_units(assignment=assignment))
        initial = {
            "supervisor": assignment.supervisor_id,
            "lead_unit": next((r.unit_id for r in active if r.role == "lead"), None),
            "co_units": [r.unit_id for r in active if r.role != "lead"],
        }
    form = AssignForm(request.POST or None, initial=initial)
    problem = why_not_assign(request.user, rule)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.rule_assign(
                rule=rule,
                actor=request.user,
                lead_unit=data["lead_unit"],
                co_units=list(data["co_units"]),
                supervisor=data["supervisor"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Responsible units of %(code)s saved.") % {"code": rule.code})
            return redirect("accountability:rule-implementation", rule.code)
    return render(request, "accountability/assign_form.html", _rule_context(request, rule, form=form, why_not=problem))


def responsible_person(request, code, pk):
    require(request.user, "assign_rule")
    rule = _get_rule(request.user, code)
    responsible = get_object_or_404(
        ResponsibleUnit.objects.select_related("unit", "responsible_person"), pk=pk, assignment__rule=rule
    )
    form = ResponsiblePersonForm(request.POST or None, unit=responsible.unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.responsible_person_change(
                responsible=responsible,
                person=form.cleaned_data["person"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Responsible person of %(unit)s changed.") % {"unit": responsible.unit})
            return redirect("accountability:rule-implementation", rule.code)
    return render(
        request,
        "accountability/responsible_person_form.html",
        _rule_context(request, rule, form=form, responsible=responsible),
    )


def task_create(request, code):
    require(request.user, "create_task")
    rule = _get_rule(request.user, code)
    assignment = selectors.rule_assignment(rule=rule)
    units = [r.unit for r in selectors.assignment_units(assignment=assignment)] if assignment else []
    if not units or not assignment.is_active:
        messages.error(request, _("Assign responsible units first: tasks are given to them."))
        return redirect("accountability:rule-implementation", rule.code)
    articles = version_articles(version=rule.current_version) if rule.current_version_id else None
    form = TaskCreateForm(
        request.POST or None, rule=rule, units=units, articles=articles, initial={"unit": units[0].pk}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                rule=rule,
                actor=request.user,
                unit=data["unit"],
                article=data["article"],
                description=data["description"],
                deadline=data["deadline"],
                owner=data["owner"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Task created for %(unit)s.") % {"unit": task.unit})
            return redirect("accountability:rule-implementation", rule.code)
    return render(request, "accountability/task_form.html", _rule_context(request, rule, form=form))


def rule_acknowledgements(request, code):
    """Completion of the version in force of one rule: per unit, leading cadres and top leaders apart."""
    require(request.user, "view_rule_completion")
    rule = _get_rule(request.user, code)
    form = CompletionFilterForm(request.GET, units=None, rules=None)
    sort = form.cleaned_data.get("sort") if form.is_valid() else ""
    rows = selectors.rule_acknowledgements(rule=rule)
    if request.GET.get("format"):
        return export_completion(request, rows, filename=f"acknowledgements-{rule.code}", sort=sort)
    context = _rule_context(
        request,
        rule,
        **completion_context(
            request,
            rows,
            sort=sort,
            units=selectors.rule_completion_by_unit(rule=rule, sort=sort or "percent"),
            missing_first_rows=selectors.rule_missing_first_rows(rule=rule),
        ),
        form=form,
        querystring=querystring_without(request, "page", "units_page"),
    )
    return render(request, "accountability/rule_acknowledgements.html", context)
