"""Implementing a rule in a real browser: assign units, a task reported, returned and accepted; a cadre
acknowledges and the unit's completion moves; an amendment asks for a new acknowledgement."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from e2e.conftest import login, pick

pytestmark = pytest.mark.browser
CODE = "IR-2022-002"  # 预算追加审批管理办法: in force for 市财政局, left unassigned by the demo
PDF = {"name": "台账.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% evidence\n"}


def logout(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


def as_user(page, username):
    logout(page)
    login(page, username)


def finance_percent(page):
    page.goto(f"/rules/{CODE}/acknowledgements/?sort=name")
    row = page.get_by_test_id("completion-units").locator("tr", has_text="市财政局").first
    return float(re.search(r"([\d.]+)%", row.get_by_test_id("unit-percent").inner_text()).group(1))


def task_state(page):
    return page.get_by_test_id("task-state").inner_text().strip()


def test_assign_task_report_return_accept_acknowledge_and_amend(page, demo):
    # 1. The officer assigns the rule from its Implementation tab: lead and co-responsible unit.
    login(page, "officer")
    page.goto(f"/rules/{CODE}/")
    page.get_by_role("link", name="Implementation", exact=True).click()
    page.wait_for_url(f"**/rules/{CODE}/implementation/")
    assert page.get_by_test_id("no-assignment").is_visible()
    page.get_by_test_id("assign").click()
    pick(page, "lead_unit", "市财政局", "finance — 市财政局")
    pick(page, "co_units", "预算", "finance-budget — 预算科")
    page.get_by_test_id("save-assignment").click()
    page.get_by_text(f"Responsible units of {CODE} saved.").wait_for()
    units = page.get_by_test_id("responsible-units")
    assert "Lead unit" in units.locator("tr", has_text="市财政局").inner_text()
    assert "赵局长" in units.locator("tr", has_text="市财政局").inner_text()  # the top leader by default
    assert "Co-responsible unit" in units.locator("tr", has_text="预算科").inner_text()

    # 2. ... and creates a task for the lead unit, owned by its liaison.
    page.get_by_test_id("create-task").click()
    page.select_option("#id_unit", label="市财政局")
    page.fill("#id_description", "建立预算追加审批台账，按月报送纪委。")
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=14)).isoformat())
    pick(page, "owner", "陈联络", "陈联络")
    page.get_by_test_id("save-task").click()
    page.get_by_text("Task created for 市财政局.").wait_for()
    task_url = (
        page.get_by_test_id("task-table")
        .get_by_role("link", name=re.compile("建立预算追加审批台账"))
        .get_attribute("href")
    )

    # 3. The liaison reports 50% with evidence, then marks the task done.
    as_user(page, "liaison")
    page.goto(task_url)
    assert task_state(page) == "Open"
    page.fill("#id_percent", "50")
    page.fill("#id_text", "已建立台账，正在补录历史记录。")
    page.set_input_files("#id_evidence", files=[PDF])
    page.get_by_test_id("submit-report").click()
    page.get_by_text("Progress reported: 50%.").wait_for()
    assert page.get_by_test_id("task-percent").inner_text() == "50%"
    assert page.get_by_test_id("evidence-link").inner_text() == "台账.pdf"
    assert task_state(page) == "In progress"
    page.get_by_text("Mark done", exact=True).first.click()
    page.get_by_test_id("mark-done").click()
    page.get_by_text("Marked done.").wait_for()
    assert task_state(page) == "Done, awaiting acceptance"

    # 4. The officer returns it with a reason.
    as_user(page, "officer")
    page.goto(task_url)
    page.get_by_text("Return", exact=True).first.click()
    page.fill("#id_return_reason", "缺少第三季度的追加记录。")
    page.get_by_test_id("return").click()
    page.get_by_text("Task returned to the unit with your reason.").wait_for()
    assert task_state(page) == "Returned"

    # 5. The liaison completes it; 6. the officer accepts it.
    as_user(page, "liaison")
    page.goto(task_url)
    assert "缺少第三季度的追加记录" in page.get_by_test_id("return-reason").inner_text()
    page.get_by_text("Mark done", exact=True).first.click()
    page.fill("#id_done-text", "已补齐第三季度记录。")
    page.get_by_test_id("mark-done").click()
    page.get_by_text("Marked done.").wait_for()
    as_user(page, "officer")
    page.goto(task_url)
    page.get_by_test_id("accept").click()
    page.get_by_text("Task accepted and closed.").wait_for()
    assert task_state(page) == "Accepted"
    assert "This task is closed." in page.get_by_test_id("action-panel").inner_text()
    before = finance_percent(page)

    # 7. The cadre acknowledges the rule, one click from home; the unit's completion moves.
    as_user(page, "cadre")
    page.get_by_role("link", name="rules to acknowledge").click()
    card = page.locator(f"li[data-code='{CODE}']")
    card.get_by_test_id("acknowledge").click()
    page.get_by_text(f"Acknowledged: {CODE}, version 1. Thank you.").wait_for()
    as_user(page, "officer")
    after = finance_percent(page)
    assert after > before

    # 8. The officer publishes an amendment (a second officer approves it) ...
    page.goto(f"/rules/{CODE}/")
    page.get_by_test_id("amend").click()
    page.wait_for_url("**/v/2/edit/")
    page.fill("#id_change_summary", "追加审批时限由10个工作日缩短为7个工作日。")
    page.get_by_test_id("save-draft").click()
    page.get_by_text("Draft saved.").wait_for()
    page.goto(f"/rules/{CODE}/v/2/")
    if page.locator("#id_justification").count():
        page.fill("#id_justification", "表述已在实施细则中明确。")
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Submitted for approval").wait_for()
    as_user(page, "officer2")
    page.goto(f"/rules/{CODE}/v/2/")
    page.get_by_test_id("approve").click()
    page.get_by_text("Version approved.").wait_for()
    page.goto(f"/rules/{CODE}/implementation/")
    assert "covers version 2" in page.get_by_test_id("assignment-summary").inner_text()

    # 9. ... and the cadre owes a new acknowledgement, of version 2.
    as_user(page, "cadre")
    page.goto("/my/rules/?state=pending")
    card = page.locator(f"li[data-code='{CODE}']")
    assert "version 2" in card.inner_text()
    assert card.get_by_test_id("ack-state").inner_text() == "To acknowledge"
