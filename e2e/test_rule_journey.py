"""The whole life of a rule in a real browser, as two officers and a cadre."""

from datetime import timedelta

import pytest
from django.utils import timezone

from e2e.conftest import login, pick
from integrity.roles import Role
from rules.models import Rule, RuleVersion, Status

pytestmark = pytest.mark.browser
PASSWORD = "pw-123456"


@pytest.fixture
def people(transactional_db, make_user):
    from integrity.tests.factories import UnitFactory

    commission = UnitFactory(name="Commission", code="commission")
    finance = UnitFactory(name="Finance Bureau", code="finance-bureau", parent=commission)
    return {
        "officer": make_user(Role.OFFICER, username="officer-one", unit=commission),
        "officer2": make_user(Role.OFFICER, username="officer-two", unit=commission),
        "cadre": make_user(Role.CADRE, username="cadre-one", unit=finance),
        "finance": finance,
    }


def logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def test_draft_consult_approve_amend_compare_abolish_and_look_back(page, people):
    officer, cadre = people["officer"], people["cadre"]

    # 1. The officer drafts a rule with one element missing; the checklist says so.
    login(page, officer.username, PASSWORD)
    page.goto("/rules/new/")
    page.fill("#id_title", "Gift register rules")
    page.select_option("#id_category", "integrity")
    page.fill(
        "#id_articles",
        "Officials register every gift within 5 working days.\n\n"
        "The register is checked monthly by the unit office.\n\n"
        "Gifts above 200 yuan are handed over.",
    )
    elements = {
        "who": "All staff of the unit.",
        "when": "Within 5 working days of the gift.",
        "where": "Every office of the unit.",
        "tasks": "Register each gift.",
        "conditions": "Any gift above 50 yuan.",
        "goals": "Prevent undue influence.",
        "standards": "Register complete at each monthly check.",
        "responsibilities": "The top leader answers for the register.",
    }  # "measures" is left empty on purpose
    for name, value in elements.items():
        page.fill(f"#id_element_{name}", value)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/v/1/edit/")
    checklist = page.get_by_test_id("checklist")
    assert "Measures" in checklist.inner_text()

    # 2. Fix it: the checklist clears.
    page.fill("#id_element_measures", "Violations are handled under the disciplinary regulations.")
    page.get_by_test_id("save-draft").click()
    page.get_by_test_id("checklist-ok").wait_for()
    code = Rule.objects.get().code

    # 3. Open a consultation for the finance bureau.
    page.goto(f"/rules/{code}/v/1/consult/")
    pick(page, "audience_units", "finance", "finance-bureau — Finance Bureau")
    page.get_by_role("button", name="Open consultation").click()
    page.wait_for_url("**/rules/consultations/*/")
    consultation_url = page.url
    logout(page)

    # 4. The cadre comments on article 2.
    login(page, cadre.username, PASSWORD)
    page.goto(consultation_url)
    page.select_option("#id_article", "2")
    page.fill("#id_text", "Say who in the unit office checks it.")
    page.get_by_role("button", name="Send comment").click()
    page.get_by_text("your comment was recorded").wait_for()
    logout(page)

    # 5. The officer records the adoption, closes the consultation and submits.
    login(page, officer.username, PASSWORD)
    page.goto(consultation_url)
    comment = page.get_by_test_id("comment").first
    comment.locator("select[name=decision]").select_option("adopted")
    comment.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded.").wait_for()
    assert page.get_by_test_id("decision").first.inner_text() == "Adopted"
    page.goto(f"/rules/{code}/")
    page.get_by_role("button", name="Close consultation").click()
    page.get_by_text("Consultation closed.").wait_for()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted for approval").wait_for()
    assert "another officer must approve it" in page.get_by_test_id("why-not-approve").inner_text()
    logout(page)

    # 6. The second officer approves: in force today.
    login(page, people["officer2"].username, PASSWORD)
    page.goto(f"/rules/{code}/")
    assert "adopted: 1" in page.get_by_test_id("consultation-summary").inner_text().replace("\n", " ")
    page.get_by_test_id("approve").click()
    page.get_by_text("Version approved.").wait_for()
    assert page.get_by_test_id("rule-status").inner_text().strip() == "In force"
    # Time passes: version 1 has been in force for 60 days.
    v1 = RuleVersion.objects.get(rule__code=code, number=1)
    RuleVersion.objects.filter(pk=v1.pk).update(effective_from=timezone.localdate() - timedelta(days=60))
    logout(page)

    # 7. The officer amends article 1, and the second officer approves the amendment.
    login(page, officer.username, PASSWORD)
    page.goto(f"/rules/{code}/")
    page.get_by_test_id("amend").click()
    page.wait_for_url("**/v/2/edit/")
    text = page.input_value("#id_articles").replace("within 5 working days", "within 3 working days")
    page.fill("#id_articles", text)
    page.fill("#id_change_summary", "Shorter time limit after feedback.")
    page.get_by_test_id("save-draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.goto(f"/rules/{code}/v/2/")
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted for approval").wait_for()
    logout(page)
    login(page, people["officer2"].username, PASSWORD)
    page.goto(f"/rules/{code}/v/2/")
    page.get_by_test_id("approve").click()
    page.get_by_text("Version approved.").wait_for()
    logout(page)

    # 8. Compare v1 and v2: the changed words are highlighted.
    login(page, officer.username, PASSWORD)
    page.goto(f"/rules/{code}/compare/?a=1&b=2")
    diff = page.get_by_test_id("diff")
    assert diff.locator("tr[data-kind=changed]").count() == 1
    assert diff.locator("ins").first.inner_text() == "3"
    assert diff.locator("del").first.inner_text() == "5"

    # 9. Abolish with a reason, confirming the consequence.
    page.goto(f"/rules/{code}/abolish/")
    page.fill("#id_reason", "Replaced by the provincial gift rules.")
    page.check("#id_confirm")
    page.get_by_test_id("confirm-abolish").click()
    page.get_by_test_id("end-reason").wait_for()
    assert "Replaced by the provincial gift rules." in page.get_by_test_id("end-reason").inner_text()
    assert Rule.objects.get(code=code).status == Status.ABOLISHED

    # 10. The register "in force on" a past date still shows version 1, in its wording.
    past = (timezone.localdate() - timedelta(days=30)).isoformat()
    page.goto(f"/rules/?in_force_on={past}")
    row = page.locator(f"tr[data-code='{code}']")
    assert row.get_by_test_id("version-number").inner_text() == "v1"
    row.get_by_role("link", name=code).click()
    assert "within 5 working days" in page.get_by_test_id("articles").inner_text()
