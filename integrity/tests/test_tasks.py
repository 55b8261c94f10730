"""A real Celery worker consuming from real Redis."""

import time

import pytest
from celery import Celery
from django.core import mail

from integrity.celery import app
from integrity.models import Notification
from integrity.queue import enqueue_on_commit
from integrity.services import notification_send
from integrity.tasks import deliver_notification_email
from integrity.tests.celery_helpers import running_worker


@pytest.fixture
def celery_worker(transactional_db):
    app.conf.task_always_eager = False
    with running_worker() as worker:
        yield worker


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery_worker
def test_worker_emails_a_notification_once_even_when_queued_twice(celery_worker, make_user):
    person = make_user(email="person@example.org")
    notification = notification_send(recipient=person, subject="Task overdue", email=False)
    deliver_notification_email.delay(notification.pk)
    deliver_notification_email.delay(notification.pk)
    assert wait_for(lambda: Notification.objects.get(pk=notification.pk).emailed_at is not None)
    time.sleep(1)  # let the second delivery run too
    assert [m.to for m in mail.outbox] == [["person@example.org"]]


@pytest.mark.django_db
def test_broker_outage_does_not_break_the_request(make_user, django_capture_on_commit_callbacks, caplog, settings):
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0")
    unreachable.conf.broker_transport_options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    unreachable.conf.broker_connection_retry = False

    @unreachable.task(name="unreachable.noop")
    def noop():
        return None

    person = make_user(email="person@example.org")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(noop)
    assert time.monotonic() - started < 10
    assert "left for the next sweep" in caplog.text
    assert type(person).objects.filter(pk=person.pk).exists()  # the saved row stays
