"""A campaign over 2,000 rules opens its reviews in a real Celery worker, with progress to 100%."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from accountability.reviews import services
from accountability.reviews.models import Campaign, CampaignStatus, Review
from integrity.celery import app
from integrity.tests.celery_helpers import running_worker
from rules.models import Rule, RuleVersion, Status


def bulk_rules_in_force(count, *, officer, category="land_transfer"):
    today = timezone.localdate()
    rules = Rule.objects.bulk_create(
        [
            Rule(
                code=f"LAND-{i:05d}",
                title=f"Land rule {i}",
                category=category,
                issuing_unit=officer.unit,
                created_by=officer,
                status=Status.IN_FORCE,
                in_force_since=today - timedelta(days=900),
            )
            for i in range(count)
        ]
    )
    versions = RuleVersion.objects.bulk_create(
        [
            RuleVersion(
                rule=r, number=1, title=r.title, status=Status.IN_FORCE, authored_by=officer, effective_from=today
            )
            for r in rules
        ]
    )
    for rule, version in zip(rules, versions, strict=True):
        rule.current_version = version
    Rule.objects.bulk_update(rules, ["current_version"], batch_size=1000)
    return rules


@pytest.mark.celery_worker
def test_campaign_over_2000_rules_runs_as_a_background_job(transactional_db, officer, officer2):
    bulk_rules_in_force(2000, officer=officer)
    app.conf.task_always_eager = False
    with running_worker():
        started = time.monotonic()
        campaign = services.campaign_create(
            actor=officer,
            title="Land cleanup",
            deadline=timezone.localdate() + timedelta(days=30),
            reviewers=[officer, officer2],
            category="land_transfer",
        )
        # The request returned at once: the reviews are opened by the worker.
        assert time.monotonic() - started < 5
        seen = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            campaign.refresh_from_db()
            seen.add(campaign.opening_percent)
            if campaign.status != CampaignStatus.OPENING:
                break
            time.sleep(0.2)
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == CampaignStatus.RUNNING
    assert campaign.opening_percent == 100 and campaign.rules_processed == 2000
    assert Review.objects.filter(campaigns=campaign).count() == 2000
    assert Review.reviewers.through.objects.count() == 4000
    assert max(seen) == 100
