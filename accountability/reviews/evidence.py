"""The evidence panel of a review, gathered from the system: each source is a provider.

A provider(rule, since) returns an EvidenceSection or None; the execution layer's apps
(acknowledgements, tasks, feedback) register theirs next to the rules-based ones below.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.baked import baked
from integrity.selectors import grouped
from rules.models import OPEN_STATUSES, Rule, RuleVersion, Status


@dataclass
class EvidenceSection:
    title: str
    figures: list = field(default_factory=list)  # [(label, value, tone)]
    rows: list = field(default_factory=list)  # [(label, url)]
    note: str = ""
    order: int = 100


_providers = []


def register_evidence(provider):
    _providers.append(provider)
    return provider


def evidence_for(rule: Rule, since: date | None) -> list[EvidenceSection]:
    sections = [section for provider in _providers if (section := provider(rule, since)) is not None]
    return sorted(sections, key=lambda s: s.order)


@register_evidence
def time_in_force(rule, since):
    today = timezone.localdate()
    figures = []
    if rule.in_force_since:
        figures.append((_("days in force"), (today - rule.in_force_since).days, "neutral"))
        figures.append((_("in force since"), rule.in_force_since.isoformat(), "neutral"))
    if rule.current_version_id:
        figures.append((_("current version"), rule.current_version.number, "neutral"))
    if rule.next_review_on:
        tone = "bad" if rule.next_review_on < today else "neutral"
        figures.append((_("review due"), rule.next_review_on.isoformat(), tone))
    return EvidenceSection(title=_("Time in force"), figures=figures, order=10)


@baked
def _versions_by_status(*, rule_id):
    return grouped(RuleVersion.objects.filter(rule_id=rule_id), "status")


@baked
def _implementation_rules_of(*, parent_id):
    return Rule.objects.filter(parent_id=parent_id).order_by("code").values_list("code", "title", "status")


@register_evidence
def amendments_and_implementation(rule, since):
    by_status = {row["status"]: row["n"] for row in _versions_by_status.list(rule_id=rule.pk)}
    counts = {
        "open": sum(n for status, n in by_status.items() if status in OPEN_STATUSES),
        "total": sum(by_status.values()),
    }
    children = _implementation_rules_of.list(parent_id=rule.pk)
    rows = [(f"{code} {title} ({Status(status).label})", f"/rules/{code}/") for code, title, status in children]
    figures = [
        (_("versions"), counts["total"], "neutral"),
        (_("amendments in preparation"), counts["open"], "warn" if counts["open"] else "neutral"),
        (_("implementation rules"), len(children), "neutral"),
    ]
    return EvidenceSection(title=_("Amendments and implementation rules"), figures=figures, rows=rows, order=20)
