"""Main navigation. Each app registers its entries with the roles that may use them."""

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset
    order: int = 100


_entries: list[NavEntry] = []


def register_nav(label, url_name, roles, order=100):
    """Add an entry to the main navigation, shown only to the given roles."""
    _entries.append(NavEntry(label=label, url_name=url_name, roles=frozenset(roles), order=order))


def nav_for(role, current_path=""):
    items = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if role in entry.roles:
            url = _url_of(entry.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "active": active})
    return items


@lru_cache(maxsize=256)
def _url_of(url_name, script_prefix, urlconf):
    """An entry's URL, reversed once per URL configuration and script prefix (every page's header
    shows a dozen of them)."""
    return reverse(url_name, urlconf=urlconf)
