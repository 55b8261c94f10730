"""The daily digest: one e-mail per person with all their waiting messages, grouped, sent once."""

import threading

import pytest
from django.core import mail
from django.db import connection

from integrity import reminders
from integrity.models import DeliveryMode, Notification, NotificationPreference
from integrity.reminders.digest import digest_send, digest_send_all
from integrity.services import notification_send
from integrity.tasks import send_daily_digests
from integrity.tests.factories import NotificationFactory
from integrity.tests.reminder_helpers import only_occasions


@pytest.fixture
def occasions():
    with only_occasions(
        *(
            reminders.Occasion(code=code, label=label, items=lambda window: [])
            for code, label in (("alpha_due", "Alpha tasks due"), ("beta_due", "Beta reviews due"))
        )
    ):
        yield


@pytest.mark.django_db
def test_the_digest_groups_a_persons_items_into_one_email(cadre, occasions, settings):
    settings.INTEGRITY_SITE_URL = "https://integrity.example.gov"
    NotificationFactory(recipient=cadre, subject="Beta 1", occasion="beta_due", in_digest=True)
    NotificationFactory(recipient=cadre, subject="Alpha 1", occasion="alpha_due", in_digest=True, url="/tasks/1/")
    NotificationFactory(recipient=cadre, subject="Alpha 2", occasion="alpha_due", in_digest=True)
    NotificationFactory(recipient=cadre, subject="A reply", in_digest=True)
    NotificationFactory(recipient=cadre, subject="Not for the digest")

    assert digest_send_all() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [cadre.email]
    assert message.subject == "Your daily digest: 4 new items"
    body = message.body
    positions = [body.index(text) for text in ("Alpha tasks due", "Alpha 1", "Alpha 2", "Beta reviews due", "Beta 1")]
    assert positions == sorted(positions)
    assert "Other messages" in body and "A reply" in body
    assert "https://integrity.example.gov/tasks/1/" in body
    assert "https://integrity.example.gov/inbox/settings/" in body
    assert "Not for the digest" not in body
    assert Notification.objects.filter(in_digest=True, emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_a_second_digest_run_sends_nothing(cadre, officer):
    NotificationFactory(recipient=cadre, in_digest=True)
    NotificationFactory(recipient=officer, in_digest=True)
    assert send_daily_digests.apply().get() == 2
    assert send_daily_digests.apply().get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cadre.email, officer.email])


@pytest.mark.django_db
def test_messages_arriving_after_a_digest_go_in_the_next_one(cadre):
    NotificationFactory(recipient=cadre, subject="first", in_digest=True)
    assert digest_send(user_id=cadre.pk) == 1
    NotificationFactory(recipient=cadre, subject="second", in_digest=True)
    assert digest_send(user_id=cadre.pk) == 1
    assert ["first" in mail.outbox[0].body, "second" in mail.outbox[1].body] == [True, True]
    assert "first" not in mail.outbox[1].body


@pytest.mark.django_db
def test_notification_send_keeps_the_email_for_a_digest_reader(cadre, officer, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=cadre, delivery=DeliveryMode.DIGEST)
    with django_capture_on_commit_callbacks() as callbacks:
        for_digest = notification_send(recipient=cadre, subject="Review due")
    assert for_digest.in_digest is True
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        straight_away = notification_send(recipient=officer, subject="Review due")
    assert straight_away.in_digest is False
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_no_digest_for_a_person_without_email(make_user):
    person = make_user(email="")
    NotificationFactory(recipient=person, in_digest=True)
    assert digest_send_all() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_digests_at_once_send_one_email(cadre):
    for i in range(3):
        NotificationFactory(recipient=cadre, subject=f"item {i}", in_digest=True)
    results = []

    def run():
        try:
            results.append(digest_send(user_id=cadre.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 3]
    assert len(mail.outbox) == 1
