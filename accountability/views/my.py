"""The "my" pages: what applies to me, my unit's work, the rules I supervise."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integrity.services import ServiceError
from rules.models import RuleVersion

from .. import selectors, services
from ..forms import MyRulesFilterForm
from ..permissions import can, follows_units, tasks_visible_to
from ._common import page_of, querystring_without, require


def my_home(request):
    """One page that links to each of the person's "my" pages, with the counts that matter."""
    user = request.user
    context = {
        "pending": selectors.pending_count(user=user),
        "follows_units": follows_units(user),
        "supervises": can(user, "view_supervised"),
        "task_counts": selectors.owned_task_counts(user=user),
    }
    if context["follows_units"]:
        context["unit_task_counts"] = selectors.task_counts(
            tasks_visible_to(user).filter(unit__in=selectors.my_units(actor=user))
        )
    if context["supervises"]:
        context["supervised_count"] = selectors.supervised_assignments(actor=user).count()
        context["unassigned_count"] = selectors.unassigned_rules().count()
    return render(request, "accountability/my_home.html", context)


def my_rules(request):
    """Rules that apply to me, what I still have to acknowledge first. Phone-friendly."""
    form = MyRulesFilterForm(request.GET)
    state = form.cleaned_data.get("state", "") if form.is_valid() else ""
    page = page_of(
        request,
        lambda: selectors.my_rules(user=request.user, state=state),
        first_rows=selectors.my_rules_first_rows(user=request.user, state=state),
    )
    if state in ("", "pending") and page.paginator.num_pages == 1:
        pending = sum(not ack.acknowledged for ack in page)  # the whole list is on this page
    else:
        pending = selectors.pending_count(user=request.user)
    return render(
        request,
        "accountability/my_rules.html",
        {
            "form": form,
            "state": state,
            "page": page,
            "pending": pending,
            "querystring": querystring_without(request, "page"),
        },
    )


@require_POST
def acknowledge(request, code):
    """ "I have read it and will abide by it" for the version in force of a rule; harmless twice."""
    require(request.user, "acknowledge")
    version_id = request.POST.get("version", "")
    version = None
    if version_id.isdigit():
        version = RuleVersion.objects.select_related("rule").filter(rule__code=code, pk=version_id).first()
    if version is None:
        messages.error(request, _("That version could not be found; reload the page and try again."))
    else:
        try:
            services.acknowledge(version=version, actor=request.user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Acknowledged: %(code)s, version %(number)s. Thank you.")
                % {"code": version.rule.code, "number": version.number},
            )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("accountability:my-rules")


def my_unit(request):
    """My unit's (and, for top leaders and responsible persons, the sub-units') assigned rules and tasks."""
    user = request.user
    units = selectors.my_units(actor=user)
    # The units' ids are read once for the counts, which then need no subquery over the unit tree; the
    # responsibilities keep the subquery, which tells PostgreSQL how few units there are.
    unit_ids = list(units.values_list("pk", flat=True))
    responsibilities = selectors.unit_responsibilities(units=units)
    tasks = tasks_visible_to(user).filter(unit__in=unit_ids)
    acknowledgements = selectors.units_acknowledgements(units=unit_ids)
    per_unit = list(selectors.completion_by_unit(acknowledgements, sort="name"))  # totals, count and page from it
    page = page_of(request, responsibilities)
    page.object_list = selectors.with_task_counts(page.object_list)
    return render(
        request,
        "accountability/my_unit.html",
        {
            "units": units.order_by("path")[:50],
            "unit_count": len(unit_ids),
            "page": page,
            "task_counts": selectors.task_counts(tasks),
            "ack_totals": selectors.completion_totals_of(per_unit),
            "ack_page": page_of(request, per_unit, "units_page"),
            "querystring": querystring_without(request, "page", "units_page"),
            "today": timezone.localdate(),
        },
    )


def supervised(request):
    """The rules I supervise, with open, overdue and awaiting-acceptance tasks and acknowledgement %."""
    require(request.user, "view_supervised")
    supervised_first_rows, supervised_count_rows = selectors.supervised_pages(actor=request.user)
    page = page_of(
        request,
        lambda: selectors.supervised_assignments(actor=request.user),
        first_rows=supervised_first_rows,
        count_rows=supervised_count_rows,
    )
    page.object_list = selectors.with_acknowledgement_figures(page.object_list)
    unassigned_first_rows, unassigned_count_rows = selectors.unassigned_rules_pages()
    return render(
        request,
        "accountability/supervised.html",
        {
            "page": page,
            "unassigned_page": page_of(
                request,
                selectors.unassigned_rules,
                "unassigned_page",
                first_rows=unassigned_first_rows,
                count_rows=unassigned_count_rows,
            ),
            "querystring": querystring_without(request, "page", "unassigned_page"),
        },
    )
