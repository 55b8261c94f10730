"""A cleanup campaign in a real browser: open it, score and propose, approve, read the report."""

import pytest

from e2e.conftest import login
from integrity.celery import app
from integrity.roles import Role
from integrity.tests.celery_helpers import running_worker
from rules.models import Rule, RuleVersion, Status
from rules.tests.factories import rule_in_force

pytestmark = pytest.mark.browser
PASSWORD = "pw-123456"


@pytest.fixture
def setup(transactional_db, make_user):
    officer = make_user(Role.OFFICER, username="officer-one", full_name="Officer One")
    officer2 = make_user(Role.OFFICER, username="officer-two", full_name="Officer Two")
    first = rule_in_force(author=officer, approver=officer2, category="land_transfer", title="Land rule A")
    second = rule_in_force(author=officer, approver=officer2, category="land_transfer", title="Land rule B")
    rule_in_force(author=officer, approver=officer2, category="procurement", title="Not in scope")
    return {"officer": officer, "officer2": officer2, "first": first, "second": second}


@pytest.fixture
def worker(setup):
    app.conf.task_always_eager = False
    with running_worker():
        yield


def score_and_propose(page, outcome, note):
    for criterion in ("legality", "operability", "effectiveness", "coherence", "timeliness"):
        page.fill(f"#id_score_{criterion}", "2")
    page.get_by_role("button", name="Save scores").click()
    page.get_by_text("Scores saved.").wait_for()
    form = page.get_by_test_id("propose-form")
    form.locator(f"input[name=outcome][value={outcome}]").check()
    form.locator("#id_note").fill(note)
    form.get_by_role("button", name="Propose outcome").click()
    page.get_by_text("Outcome proposed.").wait_for()


def test_campaign_abolish_and_amend_then_report(page, setup, worker):
    officer, first, second = setup["officer"], setup["first"], setup["second"]
    login(page, officer.username, PASSWORD)
    page.goto("/campaigns/new/")
    page.fill("#id_title", "Land transfer cleanup")
    page.select_option("#id_category", "land_transfer")
    page.select_option("#id_reviewers", [str(officer.pk)])
    page.get_by_role("button", name="Start campaign").click()
    page.wait_for_url("**/campaigns/*/")
    # The reviews are opened in the background; the page follows the progress.
    page.get_by_test_id("campaign-status").filter(has_text="Running").wait_for(timeout=90_000)
    assert "0 of 2 reviews decided" in page.get_by_test_id("campaign-progress").inner_text()
    campaign_url = page.url

    page.get_by_role("link", name="All reviews of this campaign").click()
    assert page.get_by_test_id("review-table").locator("tbody tr").count() == 2
    reviews_url = page.url
    page.locator(f"tr[data-rule='{first.code}'] a").first.click()
    score_and_propose(page, "abolish", "Superseded by the provincial land rules.")
    page.goto(reviews_url)
    page.locator(f"tr[data-rule='{second.code}'] a").first.click()
    score_and_propose(page, "amend", "Shorten the publicity period to 5 working days.")
    page.get_by_role("button", name="Log out").click()

    login(page, setup["officer2"].username, PASSWORD)
    for rule in (first, second):
        page.goto(f"/reviews/?rule={rule.code}")
        page.locator(f"tr[data-rule='{rule.code}'] a").first.click()
        page.get_by_test_id("approve-review").click()
        page.get_by_text("Proposal approved and applied to the rule.").wait_for()

    first.refresh_from_db()
    assert first.status == Status.ABOLISHED and first.end_reason.startswith("Review #")
    assert "Superseded by the provincial land rules." in first.end_reason
    assert RuleVersion.objects.get(rule=second, number=2).status == Status.DRAFT
    assert Rule.objects.get(pk=second.pk).status == Status.IN_FORCE

    page.goto(campaign_url + "report/")
    counts = page.get_by_test_id("report-counts")
    assert counts.locator("tr[data-outcome=abolish] td").inner_text() == "1"
    assert counts.locator("tr[data-outcome=amend] td").inner_text() == "1"
    chart = page.get_by_test_id("report-chart")
    page.wait_for_function("document.getElementById('outcome-chart').dataset.drawn === '1'")
    assert chart.bounding_box()["width"] > 100
    page.goto(campaign_url)
    assert page.get_by_test_id("campaign-status").inner_text().strip() == "Finished"
