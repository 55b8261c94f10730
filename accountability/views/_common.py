"""Small helpers shared by the accountability views."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from integrity.exports import export_response
from integrity.pagination import paginate, querystring_without_page

from ..permissions import can

EXPORT_FORMATS = ("csv", "xlsx")


def require(user, action):
    if not can(user, action):
        raise PermissionDenied(_("Your role does not allow this action."))


def page_of(request, queryset, param="page", per_page=None, first_rows=None, count_rows=None):
    """A page of the queryset from ?<param>=; bad or out-of-range numbers give the nearest page."""
    return paginate(request, queryset, per_page=per_page, param=param, first_rows=first_rows, count_rows=count_rows)


def querystring_without(request, *params):
    """The current filters, without the given page parameters (for pagination and download links)."""
    query = request.GET.copy()
    for param in params:
        query.pop(param, None)
    query.pop("format", None)
    query.pop("table", None)
    return query.urlencode()


def export_format(request):
    fmt = request.GET.get("format", "")
    return fmt if fmt in EXPORT_FORMATS else None


def export(request, *, headers, rows, filename):
    return export_response(headers=headers, rows=rows, filename=filename, fmt=export_format(request))


__all__ = ["export", "export_format", "page_of", "querystring_without", "querystring_without_page", "require"]
