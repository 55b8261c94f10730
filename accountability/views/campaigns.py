"""Acknowledgement campaigns: chosen rules and units, a deadline, and completion in figures."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from integrity.services import ServiceError

from .. import selectors, services
from ..forms import CampaignForm, CompletionFilterForm
from ..permissions import can, get_campaign_for
from ._common import page_of, querystring_without, require
from .completion import completion_context, export_completion


def campaign_list(request):
    require(request.user, "view_campaigns")
    page = page_of(request, selectors.campaign_list(actor=request.user))
    totals = selectors.organisation_completion()
    return render(
        request,
        "accountability/campaign_list.html",
        {"page": page, "can_run": can(request.user, "run_campaign"), "totals": totals},
    )


def campaign_create(request):
    require(request.user, "run_campaign")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_start(
                actor=request.user,
                title=data["title"],
                deadline=data["deadline"],
                rules=list(data["rules"]),
                units=list(data["units"]),
                note=data["note"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Campaign started. The completion figures below update as people acknowledge."))
            return redirect(campaign.get_absolute_url())
    return render(request, "accountability/campaign_form.html", {"form": form})


def campaign_detail(request, pk):
    """Completion per unit and per rule (leading cadres and top leaders apart) and who is missing."""
    campaign = get_campaign_for(request.user, pk)
    rules = campaign.rules.order_by("code")
    chosen_units = list(campaign.units.order_by("path"))  # read once: shown, and the scope of every table
    paths = [u.path for u in chosen_units]
    form = CompletionFilterForm(
        request.GET, units=selectors.campaign_units(campaign=campaign, paths=paths), rules=rules
    )
    data = form.cleaned_data if form.is_valid() else {}
    unit, rule = data.get("unit"), data.get("rule")
    rows = selectors.campaign_acknowledgements(
        campaign=campaign,
        unit=unit.pk if unit else None,
        rule=rule.pk if rule else None,
        paths=paths,
        versions=list(selectors.campaign_versions(campaign=campaign).values_list("pk", flat=True)),
    )
    sort = data.get("sort") or ""
    if request.GET.get("format"):
        return export_completion(request, rows, filename=f"campaign-{campaign.pk}", sort=sort)
    context = {
        "campaign": campaign,
        "campaign_rules": form.fields["rule"].queryset,  # the filter's choices: the same rows, read once
        "campaign_units": chosen_units,
        "form": form,
        "querystring": querystring_without(request, "page", "units_page", "rules_page"),
        **completion_context(request, rows, sort=sort, with_rules=True),
    }
    return render(request, "accountability/campaign_detail.html", context)
