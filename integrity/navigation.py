"""Main navigation. Each app registers its entries with the roles that may use them."""

from dataclasses import dataclass

from .links import link


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
            url = link(entry.url_name)  # reversed once per URL configuration, as every page shows them
            active = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": entry.label, "url": url, "active": active})
    return items
