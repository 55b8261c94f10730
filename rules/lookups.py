"""The "rules" lookup of the searchable pickers (integrity.pickers), registered in RulesConfig.ready()."""

from django.db.models import Q

from .models import Status
from .permissions import rules_visible_to

# Named narrowings a form field asks for with SearchSelect("rules", scope=...).
LOOKUP_SCOPES = {
    "in_force": lambda rules: rules.filter(status=Status.IN_FORCE),
}


def rules_for(user):
    """The rules the person may see, by code; only what a picker shows is loaded."""
    return rules_visible_to(user).only("pk", "code", "title").order_by("code")


def search_rules(queryset, text):
    """Rules whose code starts with the text or whose title contains it."""
    return queryset.filter(Q(code__istartswith=text) | Q(title__icontains=text))


def rule_label(rule):
    return f"{rule.code} — {rule.title}"
