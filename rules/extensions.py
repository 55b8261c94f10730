"""Extension points on rule pages for the execution layer (which rules may not import)."""

_tab_providers = []


def register_rule_tabs(provider):
    """provider(user, rule) -> [{"label": ..., "url": ...}] shown as extra tabs on rule pages."""
    _tab_providers.append(provider)
    return provider


def rule_tabs_for(user, rule):
    tabs = []
    for provider in _tab_providers:
        tabs.extend(provider(user, rule))
    return tabs
