"""Acknowledgements (学习确认): owed by a version's audience, given by each person for themselves."""

from datetime import date
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.models import Unit
from integrity.services import ServiceError
from rules.models import Rule, RuleVersion, Status

from ..models import Acknowledgement, Campaign
from ..permissions import audience_users, can, why_not_acknowledge
from ._common import save

BATCH = 2000


def acknowledgements_owe(*, version: RuleVersion) -> int:
    """Everyone in the audience of a version in force owes an acknowledgement of it: one row per person,
    inserted in bulk; rows that exist are left alone, so this is safe to repeat. Returns the rows owed."""
    if version.status != Status.IN_FORCE:
        return 0
    rule = version.rule
    now = timezone.now()
    people = audience_users(rule).order_by("pk").values_list("pk", flat=True).iterator(chunk_size=BATCH)
    with transaction.atomic():
        while batch := list(islice(people, BATCH)):
            Acknowledgement.objects.bulk_create(
                [Acknowledgement(user_id=pk, rule_id=rule.pk, version_id=version.pk, owed_since=now) for pk in batch],
                ignore_conflicts=True,
            )
    return Acknowledgement.objects.filter(version=version).count()


@transaction.atomic
def acknowledge(*, version: RuleVersion, actor) -> Acknowledgement:
    """The person confirms "I have read it and will abide by it" for a version in force. Doing it again
    changes nothing: there is one record per person and version."""
    version = RuleVersion.objects.select_related("rule").get(pk=version.pk)
    problem = why_not_acknowledge(actor, version)
    if problem:
        raise ServiceError(problem)
    record, _created = Acknowledgement.objects.get_or_create(
        user=actor, version=version, defaults={"rule_id": version.rule_id}
    )
    record = Acknowledgement.objects.select_for_update().get(pk=record.pk)
    if record.acknowledged_at is None:
        record.acknowledged_at = timezone.now()
        save(record, actor, ["acknowledged_at"])
    return record


@transaction.atomic
def campaign_start(*, actor, title: str, deadline: date, rules, units, note: str = "") -> Campaign:
    """Start an acknowledgement campaign over chosen rules in force and units, with a deadline. Everyone
    now in the rules' audience owes an acknowledgement (people who joined since are added)."""
    if not can(actor, "run_campaign"):
        raise ServiceError(_("Only discipline officers run acknowledgement campaigns."))
    if not (title or "").strip():
        raise ServiceError(_("Give the campaign a title."))
    if deadline is None or deadline < timezone.localdate():
        raise ServiceError(_("The deadline cannot be in the past."))
    rules = list(Rule.objects.filter(pk__in=[r.pk for r in rules]).select_related("current_version"))
    units = list(Unit.objects.filter(pk__in=[u.pk for u in units]))
    if not rules:
        raise ServiceError(_("Choose at least one rule."))
    if not units:
        raise ServiceError(_("Choose at least one unit."))
    not_in_force = [r for r in rules if r.status != Status.IN_FORCE]
    if not_in_force:
        raise ServiceError(
            _("%(code)s is not in force; campaigns cover rules in force only.") % {"code": not_in_force[0].code}
        )
    campaign = Campaign(title=title.strip(), note=(note or "").strip(), deadline=deadline, created_by=actor)
    save(campaign, actor)
    campaign.rules.set(rules)
    campaign.units.set(units)
    for rule in rules:
        acknowledgements_owe(version=rule.current_version)
    return campaign
