"""The execution panels of the home page and the tabs this layer adds to rule pages."""

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.dashboard import Panel
from integrity.selectors import count_each
from rules.models import HAS_BEEN_IN_FORCE

from . import selectors
from .models import Task, TaskState
from .permissions import can, follows_units, tasks_visible_to

ORGANISATION_FIGURES_SECONDS = 300


def organisation_figures() -> dict:
    """Figures of the whole organisation for the officers' panel (the same for every officer): cached
    for five minutes, because they aggregate every task and every acknowledgement. Numbers only, so
    the cache holds nothing language-dependent; the date is in the key, since "overdue" depends on it."""
    today = timezone.localdate()

    def compute():
        return {
            "tasks_overdue": selectors.task_counts(Task.objects.all(), today)["overdue"],
            "rules_without_assignment": selectors.rules_without_assignment().count(),
            "acknowledged_percent": selectors.organisation_completion()["percent"],
        }

    return cache.get_or_set(
        f"accountability:dashboard:organisation:{today.isoformat()}", compute, ORGANISATION_FIGURES_SECONDS
    )


def accountability_panels(user):
    my_url = reverse("accountability:my-rules")
    tasks_url = reverse("accountability:my-tasks")
    supervises = can(user, "view_supervised")
    # What I owe and, for a supervising officer, what awaits my acceptance: one statement.
    querysets = {"pending": selectors.my_rules(user=user, state="pending")}
    if supervises:
        querysets["awaiting_acceptance"] = tasks_visible_to(user).filter(
            rule_id__in=selectors.rules_supervised_by(user), state=TaskState.SUBMITTED
        )
    counts = count_each(**querysets)
    pending = counts["pending"]
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
    if supervises:
        awaiting_acceptance = counts["awaiting_acceptance"]
        figures = organisation_figures()  # officers see every task: the organisation's figures are theirs
        percent = figures["acknowledged_percent"]
        campaigns = reverse("accountability:campaigns")
        panels.append(
            Panel(
                title=_("Implementation"),
                order=15,
                items=[
                    (
                        _("tasks awaiting my acceptance"),
                        awaiting_acceptance,
                        f"{tasks_url}?state=submitted&supervised=on",
                        "warn",
                    ),
                    (_("tasks overdue"), figures["tasks_overdue"], f"{tasks_url}?overdue=on", "bad"),
                    (
                        _("rules in force without responsible units"),
                        figures["rules_without_assignment"],
                        reverse("accountability:supervised") + "#unassigned",
                        "warn",
                    ),
                    (
                        _("acknowledged (%)"),
                        "—" if percent is None else f"{percent:.0f}%",
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
