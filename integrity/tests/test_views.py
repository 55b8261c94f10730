import pytest
from django.urls import reverse

from integrity.roles import Role
from integrity.tests.factories import NotificationFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_page_needs_login(client):
    for url in ["/", "/units/", "/inbox/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_login_page_and_wrong_password(client, cadre):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": cadre.username, "password": "wrong"})
    assert response.status_code == 200
    assert "match. Check both and try again" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert response.status_code == 200
    assert b'data-testid="login-error"' in response.content


def test_right_password_lands_on_home(client, cadre):
    response = client.post("/accounts/login/", {"username": cadre.username, "password": "pw-123456"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert b'data-testid="home-heading"' in response.content


@pytest.mark.parametrize(
    "role,sees_org_figures,sees_units_nav",
    [(Role.ADMIN, True, True), (Role.OFFICER, True, True), (Role.LIAISON, False, True), (Role.CADRE, False, False)],
)
def test_home_is_role_aware(client, make_user, role, sees_org_figures, sees_units_nav):
    user = make_user(role)
    client.force_login(user)
    body = client.get("/").content.decode()
    assert ('data-testid="org-figures"' in body) is sees_org_figures
    assert ('href="/units/"' in body) is sees_units_nav
    assert str(Role(role).label) in body


def test_cadre_may_not_browse_units(client, cadre):
    client.force_login(cadre)
    response = client.get("/units/")
    assert response.status_code == 403
    assert "Only officers and liaisons" in response.content.decode()


def test_another_units_page_is_404_not_500(client, cadre):
    other = UnitFactory(name="Other Bureau")
    client.force_login(cadre)
    assert client.get(f"/units/{other.pk}/").status_code == 404
    assert client.get(f"/units/{cadre.unit_id}/").status_code == 200


def test_unknown_url_is_a_clear_404(client, cadre):
    client.force_login(cadre)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_expired_session_goes_back_to_login(client, cadre):
    client.force_login(cadre)
    client.session.flush()
    client.cookies.clear()
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert "/accounts/login/?next=/inbox/" in response["Location"]


def test_language_switch_shows_chinese(client, cadre):
    client.force_login(cadre)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, follow=True)
    body = response.content.decode()
    assert 'lang="zh-hans"' in body
    assert "收件箱" in body


def test_language_switch_works_before_login(client):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"}, follow=True)
    assert "登录" in response.content.decode()


def test_inbox_mark_read_and_unread_count(client, cadre):
    first, second = NotificationFactory(recipient=cadre), NotificationFactory(recipient=cadre)
    client.force_login(cadre)
    assert b'data-testid="unread-count">2<' in client.get("/inbox/").content
    client.post(reverse("inbox-mark-read"), {"notification": first.pk})
    assert b'data-testid="unread-count">1<' in client.get("/inbox/").content
    client.post(reverse("inbox-mark-read"), {})
    second.refresh_from_db()
    assert second.read_at is not None


def test_inbox_mark_read_refuses_offsite_next(client, cadre):
    client.force_login(cadre)
    response = client.post(reverse("inbox-mark-read"), {"next": "//evil.example/"})
    assert response["Location"] == "/inbox/"


def test_inbox_bad_input_is_not_a_500(client, cadre):
    client.force_login(cadre)
    assert client.post(reverse("inbox-mark-read"), {"notification": "abc"}).status_code == 302
    assert client.get("/inbox/?page=zzz").status_code == 200
    assert client.get("/inbox/?page=999999").status_code == 200


def test_unit_list_query_count_is_flat(client, settings, officer, django_assert_max_num_queries):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes, so it is counted at both
    client.force_login(officer)
    root = UnitFactory(code="root")
    for _ in range(5):
        UnitFactory(parent=root, top_leader=UserFactory())
    with django_assert_max_num_queries(12) as small:
        client.get("/units/")
    for _ in range(60):
        UnitFactory(parent=root, top_leader=UserFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/units/")
    assert response.status_code == 200


def test_inbox_query_count_is_flat(client, settings, cadre, django_assert_max_num_queries):
    settings.INTEGRITY_PAGE_SIZE = 1  # every list runs past its page at both sizes, so it is counted at both
    client.force_login(cadre)
    NotificationFactory.create_batch(3, recipient=cadre)
    with django_assert_max_num_queries(12) as small:
        client.get("/inbox/")
    NotificationFactory.create_batch(80, recipient=cadre)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/inbox/")
