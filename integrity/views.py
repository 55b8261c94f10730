from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reminders, selectors, services
from .dashboard import panels_for
from .forms import MarkReadForm, NotificationPreferenceForm, UnitSearchForm
from .pagination import paginate, querystring_without_page
from .permissions import can, get_unit_for
from .roles import role_of


def home(request):
    user = request.user
    context = {"panels": panels_for(user), "role": role_of(user)}
    if can(user, "view_org_figures"):
        context["org_figures"] = selectors.org_figures()
    return render(request, "integrity/home.html", context)


def unit_list(request):
    if not can(request.user, "view_unit_list"):
        raise PermissionDenied(_("Only officers and liaisons can browse units."))
    form = UnitSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, selectors.unit_list(actor=request.user, q=q))
    return render(
        request,
        "integrity/unit_list.html",
        {"form": form, "page": page, "querystring": querystring_without_page(request)},
    )


def unit_detail(request, pk):
    unit = get_unit_for(request.user, pk)
    first_rows, count_rows = selectors.unit_members_pages(unit=unit)
    page = paginate(request, lambda: selectors.unit_members(unit=unit), first_rows=first_rows, count_rows=count_rows)
    return render(request, "integrity/unit_detail.html", {"unit": unit, "page": page})


def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox(user=request.user, unread_only=unread_only))
    return render(
        request,
        "integrity/inbox.html",
        {"page": page, "unread_only": unread_only, "querystring": querystring_without_page(request)},
    )


@require_POST
def inbox_mark_read(request):
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That message could not be found."))
        return redirect("inbox")
    notification_id = form.cleaned_data["notification"]
    ids = [notification_id] if notification_id else None
    count = services.notification_mark_read(recipient=request.user, notification_ids=ids)
    if notification_id is None:
        messages.success(request, _("All messages marked as read (%(count)d).") % {"count": count})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("inbox")


def inbox_settings(request):
    preference = services.notification_preference_for(user=request.user)
    initial = {
        "delivery": preference.delivery,
        "muted_occasions": preference.muted_occasions,
        "language": preference.language,
    }
    form = NotificationPreferenceForm(request.POST or None, initial=initial, occasions=reminders.occasions())
    if request.method == "POST" and form.is_valid():
        services.notification_preference_update(user=request.user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("inbox-settings")
    return render(request, "integrity/inbox_settings.html", {"form": form})
