"""/inbox/settings/: each person chooses immediate e-mail or a daily digest, and what to mute."""

import re

import pytest
from django.urls import reverse

from integrity import reminders
from integrity.models import DeliveryMode, NotificationPreference
from integrity.services import ServiceError, notification_preference_update
from integrity.tests.reminder_helpers import only_occasions

pytestmark = pytest.mark.django_db

URL = "/inbox/settings/"


@pytest.fixture
def occasions():
    with only_occasions(
        reminders.Occasion(code="task_due", label="Implementation task due", items=lambda w: []),
        reminders.Occasion(
            code="escalated_only",
            label="Only escalations here",
            items=lambda w: [],
            before_days=(),
            escalations=(reminders.Escalation("escalate-1", to="supervisor"),),
        ),
    ):
        yield


def test_preferences_need_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_inbox_links_to_the_preferences(client, cadre):
    client.force_login(cadre)
    body = client.get(reverse("inbox")).content.decode()
    assert f'href="{URL}"' in body


def test_the_page_offers_only_occasions_that_can_be_muted(client, cadre, occasions):
    client.force_login(cadre)
    body = client.get(URL).content.decode()
    assert 'data-testid="preferences-heading"' in body
    assert "Implementation task due" in body
    assert "Only escalations here" not in body
    assert "cannot be muted" in body
    assert 'value="immediate" id="id_delivery_0" required checked' in body  # the default


def test_a_person_saves_digest_and_mutes_an_occasion(client, cadre, occasions):
    client.force_login(cadre)
    response = client.post(URL, {"delivery": "digest", "muted_occasions": ["task_due"], "language": "zh-hans"})
    assert response.status_code == 302
    assert response["Location"] == URL
    preference = NotificationPreference.objects.get(user=cadre)
    assert preference.delivery == DeliveryMode.DIGEST
    assert preference.muted_occasions == ["task_due"]
    assert preference.language == "zh-hans"
    page = client.get(URL).content.decode()
    assert "Your notification preferences are saved." in page
    assert re.search(r'value="task_due" id="id_muted_occasions_\d+" checked', page)
    assert 'value="digest" id="id_delivery_1" required checked' in page


def test_an_escalation_cannot_be_muted_even_by_a_forged_post(client, cadre, occasions):
    client.force_login(cadre)
    response = client.post(URL, {"delivery": "immediate", "muted_occasions": ["escalated_only"]})
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not NotificationPreference.objects.filter(user=cadre).exists()
    # And the service drops it even if asked directly.
    preference = notification_preference_update(
        user=cadre, actor=cadre, delivery="immediate", muted_occasions=["escalated_only", "task_due"]
    )
    assert preference.muted_occasions == ["task_due"]


def test_a_bad_choice_keeps_the_input_and_says_what_is_wrong(client, cadre, occasions):
    client.force_login(cadre)
    response = client.post(URL, {"delivery": "pigeon", "muted_occasions": ["task_due"]})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body
    assert re.search(r'value="task_due" id="id_muted_occasions_\d+" checked', body)  # what was typed is kept


def test_each_person_changes_only_their_own_preferences(client, cadre, officer, occasions):
    NotificationPreference.objects.create(user=officer, delivery=DeliveryMode.DIGEST)
    client.force_login(cadre)
    client.post(URL, {"delivery": "immediate", "user": officer.pk})
    assert NotificationPreference.objects.get(user=officer).delivery == DeliveryMode.DIGEST
    with pytest.raises(ServiceError, match="only their own"):
        notification_preference_update(user=officer, actor=cadre, delivery="immediate")
