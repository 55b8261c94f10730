from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, queryset, per_page=None):
    """A page of the queryset from ?page=; bad or out-of-range numbers give the nearest page."""
    paginator = Paginator(queryset, per_page or settings.INTEGRITY_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
