"""Acknowledgement completion tables (per unit, per rule, who is missing), shown and downloaded alike."""

from django.utils.translation import gettext as _

from .. import selectors
from ._common import export, page_of

TABLES = ("units", "rules", "missing")


def completion_context(request, rows, *, sort="", with_rules=False, units=None, missing_first_rows=None):
    """The tables of a completion page. Every unit's row is read in one query (units are at most a few
    thousand): the page of them, their number and the totals all come from it, instead of three more
    passes over the acknowledgements. The same for the rules of a campaign. `units`: the per-unit rows
    where the caller has read them; `missing_first_rows`: the first rows of who is missing, read another
    way (a baked query), for the first page."""
    if units is None:
        units = list(selectors.completion_by_unit(rows, sort=sort or "percent"))
    context = {
        "totals": selectors.completion_totals_of(units),
        "units_page": page_of(request, units, "units_page"),
        "missing_page": page_of(request, lambda: selectors.missing_people(rows), first_rows=missing_first_rows),
        "tables": [("units", _("per unit")), ("missing", _("who is missing"))],
    }
    if with_rules:
        context["rules_page"] = page_of(request, list(selectors.completion_by_rule(rows)), "rules_page")
        context["tables"].insert(1, ("rules", _("per rule")))
    return context


def _percent(value):
    return "" if value is None else round(value, 1)


def export_completion(request, rows, *, filename, sort=""):
    table = request.GET.get("table") if request.GET.get("table") in TABLES else "units"
    figures = [
        _("Owed"),
        _("Acknowledged"),
        _("Completion (%)"),
        _("Leading cadres owed"),
        _("Leading cadres acknowledged"),
        _("Top leaders owed"),
        _("Top leaders acknowledged"),
    ]

    def numbers(row):
        return [
            row["total"],
            row["done"],
            _percent(row["percent"]),
            row["leading_total"],
            row["leading_done"],
            row["top_total"],
            row["top_done"],
        ]

    if table == "units":
        headers = [_("Unit"), *figures]
        lines = ([row["name"], *numbers(row)] for row in selectors.completion_by_unit(rows, sort=sort or "percent"))
    elif table == "rules":
        headers = [_("Rule"), _("Title"), _("Version"), *figures]
        lines = ([r["code"], r["title"], r["number"], *numbers(r)] for r in selectors.completion_by_rule(rows))
    else:
        headers = [_("Person"), _("Unit"), _("Position"), _("Top leader"), _("Leading cadre"), _("Rule"), _("Version")]
        lines = (
            [
                str(row.user),
                row.user.unit.name if row.user.unit else "",
                row.user.position,
                _("yes") if row.is_top_leader else _("no"),
                _("yes") if row.user.is_leading_cadre else _("no"),
                row.rule.code,
                row.version.number,
            ]
            for row in selectors.missing_people(rows).iterator(chunk_size=1000)
        )
    return export(request, headers=headers, rows=lines, filename=f"{filename}-{table}")
