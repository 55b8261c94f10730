"""The execution panels of the home page and the tabs this layer adds to rule pages."""

from django.urls import reverse
from django.utils.translation import gettext as _

from integrity.dashboard import Panel
from rules.models import HAS_BEEN_IN_FORCE

from . import selectors
from .permissions import can, follows_units, tasks_visible_to


def accountability_panels(user):
    my_url = reverse("accountability:my-rules")
    tasks_url = reverse("accountability:my-tasks")
    pending = selectors.pending_count(user=user)
    items = [(_("rules to acknowledge"), pending, f"{my_url}?state=pending", "warn" if pending else "ok")]
    rows = [(_("Rules that apply to me"), my_url)]
    if not can(user, "view_all_tasks"):
        counts = selectors.task_counts(tasks_visible_to(user))
        if counts["total"]:
            items += [
                (_("tasks not closed"), counts["open"], f"{tasks_url}?state=open_all", "neutral"),
                (_("tasks overdue"), counts["overdue"], f"{tasks_url}?overdue=on", "bad"),
                (_("tasks returned"), counts["returned"], f"{tasks_url}?state=returned", "warn"),
            ]
    if follows_units(user):
        rows.append((_("My unit's rules and tasks"), reverse("accountability:my-unit")))
    panels = [Panel(title=_("My work"), order=5, items=items, rows=rows)]
    if can(user, "view_supervised"):
        supervised = selectors.task_counts(tasks_visible_to(user).filter(rule__assignment__supervisor=user))
        everything = selectors.task_counts(tasks_visible_to(user))
        totals = selectors.completion_totals(selectors.all_current_acknowledgements())
        campaigns = reverse("accountability:campaigns")
        panels.append(
            Panel(
                title=_("Implementation"),
                order=15,
                items=[
                    (
                        _("tasks awaiting my acceptance"),
                        supervised["submitted"],
                        f"{tasks_url}?state=submitted&supervised=on",
                        "warn",
                    ),
                    (_("tasks overdue"), everything["overdue"], f"{tasks_url}?overdue=on", "bad"),
                    (
                        _("rules in force without responsible units"),
                        selectors.rules_without_assignment().count(),
                        reverse("accountability:supervised") + "#unassigned",
                        "warn",
                    ),
                    (
                        _("acknowledged (%)"),
                        "—" if totals["percent"] is None else f"{totals['percent']:.0f}%",
                        campaigns,
                        "ok",
                    ),
                ],
                rows=[
                    (_("Rules I supervise"), reverse("accountability:supervised")),
                    (_("Acknowledgement campaigns"), campaigns),
                ],
            )
        )
    return panels


def rule_tabs(user, rule):
    if rule.status not in HAS_BEEN_IN_FORCE:
        return []
    tabs = [{"label": _("Implementation"), "url": reverse("accountability:rule-implementation", args=[rule.code])}]
    if can(user, "view_rule_completion"):
        tabs.append(
            {"label": _("Acknowledgements"), "url": reverse("accountability:rule-acknowledgements", args=[rule.code])}
        )
    return tabs
