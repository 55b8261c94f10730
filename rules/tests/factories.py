"""Rules built through the real services, as users build them."""

from datetime import date

from django.utils import timezone

from integrity.tests.factories import UnitFactory
from rules import services
from rules.models import Rule, Status

# A complete set of the nine elements, with no vague wording.
FULL_ELEMENTS = {
    "element_who": "All staff of the unit; the top leader first.",
    "element_when": "From the effective date; yearly self-check by 31 December.",
    "element_where": "Every office of the unit.",
    "element_tasks": "Keep the register and report it monthly.",
    "element_conditions": "Any gift or hospitality above 200 yuan.",
    "element_goals": "Prevent undue influence on official duties.",
    "element_standards": "Register complete; reports no later than 3 working days.",
    "element_responsibilities": "The top leader answers for the register.",
    "element_measures": "Violations are handled under the disciplinary regulations.",
}

ARTICLES = [
    "Officials shall register every gift within 5 working days.",
    "The register is kept by the unit office and checked monthly.",
    "Gifts above 200 yuan are handed over to the discipline office.",
]


def draft_rule(*, author, title="Gift register rules", articles=None, elements=None, unit=None, **kwargs) -> Rule:
    return services.rule_create(
        actor=author,
        title=title,
        issuing_unit=unit or author.unit or UnitFactory(),
        category=kwargs.pop("category", "integrity"),
        articles=list(articles or ARTICLES),
        elements=FULL_ELEMENTS if elements is None else elements,
        **kwargs,
    )


def rule_in_force(*, author, approver, effective_from: date | None = None, **kwargs) -> Rule:
    rule = draft_rule(author=author, **kwargs)
    version = rule.versions.get()
    services.version_submit(version=version, actor=author)
    services.version_approve(version=version, actor=approver, effective_from=effective_from or timezone.localdate())
    rule.refresh_from_db()
    assert rule.status == Status.IN_FORCE
    return rule


def amend(rule, *, author, approver, articles, change_summary="Shorter time limit"):
    draft = services.amendment_start(rule=rule, actor=author)
    services.version_update(
        version=draft,
        actor=author,
        expected_lock_version=draft.lock_version,
        title=draft.title,
        articles=articles,
        elements=FULL_ELEMENTS,
        change_summary=change_summary,
    )
    draft.refresh_from_db()
    services.version_submit(version=draft, actor=author)
    services.version_approve(version=draft, actor=approver, effective_from=timezone.localdate())
    draft.refresh_from_db()
    return draft
