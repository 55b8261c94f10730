"""The home page is built from panels that each app registers (higher layers plug in here)."""

from dataclasses import dataclass, field


@dataclass
class Panel:
    """One box on the home page: a title, counts that link to filtered lists, optional rows."""

    title: str
    items: list = field(default_factory=list)  # [(label, count, url, tone)]
    rows: list = field(default_factory=list)  # [(label, url)]
    empty: str = ""
    chart: dict | None = None
    order: int = 100


_providers = []


def register_panel_provider(provider):
    """Register provider(user) -> list[Panel]; returns the provider so it works as a decorator."""
    _providers.append(provider)
    return provider


def panels_for(user):
    panels = []
    for provider in _providers:
        panels.extend(provider(user))
    return sorted(panels, key=lambda p: p.order)
