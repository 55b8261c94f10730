"""The bench's URLs: the product's, plus the floor page (bench settings only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

_EMPTY_PAGE = engines["django"].from_string('{% extends "base.html" %}')


@login_required
def floor(request):
    """An empty page through the whole stack: middleware, session, user, the header's navigation and
    unread count, base.html. What every page costs before its own queries and content."""
    return HttpResponse(_EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("integrity.urls")),
]
