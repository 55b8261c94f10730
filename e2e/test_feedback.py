"""Browser journeys of feedback: a cadre's feedback answered by officers, and a public report followed up."""

import re

import pytest

from e2e.conftest import login

pytestmark = pytest.mark.browser


def _rule_in_force():
    from rules.models import Rule, Status

    return Rule.objects.filter(status=Status.IN_FORCE).order_by("-code").first()


def _log_out(page):
    page.context.clear_cookies()


def test_cadre_feedback_on_article_3_is_assigned_answered_and_read(page, demo):
    rule = _rule_in_force()
    login(page, "cadre")
    page.goto(rule.get_absolute_url())
    page.get_by_role("link", name="Give feedback on this rule").click()
    page.wait_for_url(re.compile(r"/feedback/new/\?rule="))
    page.select_option("#id_article", "3")
    page.get_by_label("Ambiguous wording").check()
    page.fill("#id_text", "第3条中“及时”没有明确时限，请明确具体天数。")
    page.get_by_test_id("submit-feedback").click()
    page.locator(".messages").get_by_text("was received").wait_for()
    reference = page.get_by_test_id("feedback-reference").inner_text()
    detail_url = page.url
    assert "Article 3" in page.get_by_test_id("feedback-facts").inner_text()

    _log_out(page)
    login(page, "officer")
    page.goto(f"/feedback/?q={reference}")
    page.get_by_role("link", name=reference).click()
    page.get_by_test_id("article-link").wait_for()
    assert "#article-3" in page.get_by_test_id("article-link").get_attribute("href")
    page.select_option("#id_assignee", label="周监察")
    page.get_by_test_id("assign").click()
    page.locator(".messages").get_by_text("Assigned to 周监察").wait_for()
    assert page.get_by_test_id("assignee").inner_text() == "周监察"

    _log_out(page)
    login(page, "officer2")
    page.goto(detail_url)
    page.fill("#id_text", "已研究：“及时”指5个工作日内，将在修订时写明。")
    page.get_by_test_id("send-reply").click()
    page.locator(".messages").get_by_text("Reply sent").wait_for()
    assert "Answered" in page.get_by_test_id("feedback-status").inner_text()

    _log_out(page)
    login(page, "cadre")
    page.goto("/feedback/mine/")
    item = page.locator(f"[data-ref='{reference}']")
    assert "1 reply" in item.get_by_test_id("reply-count").inner_text()
    item.get_by_role("link", name=reference).click()
    reply = page.get_by_test_id("message-reply")
    assert "5个工作日内" in reply.inner_text()


def test_anonymous_visitor_reports_comes_back_with_the_code_and_answers_the_question(page, demo):
    page.goto("/report/")
    page.get_by_label("Suspected violation").check()
    page.fill("#id_text", "某科室在采购评审中与投标人私下接触。")
    page.get_by_test_id("submit-report").click()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)

    from accountability.feedback.models import Feedback

    reference = Feedback.objects.get(text__startswith="某科室在采购评审中").reference
    login(page, "officer")
    page.goto(f"/feedback/?q={reference}")
    page.get_by_role("link", name=reference).click()
    assert "anonymous" in page.get_by_test_id("sender").inner_text()
    page.fill("#id_text", "请问是哪一个项目、大约什么时间？")
    page.get_by_test_id("send-reply").click()
    page.locator(".messages").get_by_text("Reply sent").wait_for()

    _log_out(page)
    page.goto("/report/follow-up/")
    page.fill("#id_code", code.lower().replace("-", " "))
    page.get_by_test_id("open-report").click()
    page.get_by_test_id("conversation").wait_for()
    assert "哪一个项目" in page.get_by_test_id("message-reply").inner_text()
    page.fill("#id_text", "是办公楼维修项目，今年5月。")
    page.get_by_test_id("send-message").click()
    page.locator(".messages").get_by_text("your message was added").wait_for()
    assert "办公楼维修项目" in page.get_by_test_id("message-sender").inner_text()

    login(page, "officer")
    page.goto(f"/feedback/?q={reference}")
    page.get_by_role("link", name=reference).click()
    assert "办公楼维修项目" in page.get_by_test_id("message-sender").inner_text()
    assert "Triaged" in page.get_by_test_id("feedback-status").inner_text()


def test_a_wrong_receipt_code_is_refused_and_the_form_fits_a_phone(page, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/report/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/report/follow-up/")
    page.fill("#id_code", "AAAA-BBBB-CCCC-DDDD")
    page.get_by_test_id("open-report").click()
    assert "does not open a report" in page.get_by_test_id("wrong-code").inner_text()
    login(page, "cadre")
    page.goto("/feedback/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
