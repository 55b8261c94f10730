from urllib.parse import urlparse

import pytest

from e2e.conftest import login

pytestmark = pytest.mark.browser

ROLES = {
    "admin": "Administrator",
    "officer": "Discipline officer",
    "officer2": "Discipline officer",
    "liaison": "Unit liaison",
    "cadre": "Cadre",
    "leader": "Cadre",
}


@pytest.mark.parametrize("username", list(ROLES))
def test_each_demo_role_logs_in_and_lands_on_home(page, demo, username):
    login(page, username)
    assert urlparse(page.url).path == "/"
    assert page.get_by_test_id("home-heading").is_visible()
    assert ROLES[username] in page.get_by_test_id("user-role").inner_text()
    if username == "leader":
        assert "Top leader" in page.get_by_test_id("user-role").inner_text()


def test_wrong_password_shows_an_error(page, demo):
    login(page, "cadre", password="not-the-password")
    assert page.get_by_test_id("login-error").is_visible()
    assert "/accounts/login/" in page.url


def test_switching_to_chinese_shows_chinese(page, demo):
    login(page, "officer")
    page.select_option("[data-testid=language-select]", "zh-hans")
    page.wait_for_load_state()
    page.get_by_text("收件箱").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "纪检监察干部" in page.get_by_test_id("user-role").inner_text()
    page.select_option("[data-testid=language-select]", "en")
    page.get_by_text("Inbox").first.wait_for()


def test_logout_returns_to_login(page, demo):
    login(page, "cadre")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert "/accounts/login/" in page.url
