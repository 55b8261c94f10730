import pytest
from django.core import mail

from integrity.models import Notification, Unit
from integrity.roles import Role, role_of
from integrity.services import (
    ServiceError,
    notification_email,
    notification_mark_read,
    notification_send,
    unit_create,
    unit_move,
    user_create,
)

pytestmark = pytest.mark.django_db


def test_unit_tree_paths_follow_parents():
    root = unit_create(name="Commission", code="c")
    dept = unit_create(name="Dept", code="d", parent=root)
    sub = unit_create(name="Sub", code="s", parent=dept)
    sub.refresh_from_db()
    assert sub.path == f"{root.pk}/{dept.pk}/{sub.pk}/"
    assert sub.depth == 2
    assert set(Unit.objects.subtree_of(dept)) == {dept, sub}


def test_moving_a_unit_moves_its_subtree():
    root = unit_create(name="Commission", code="c")
    a = unit_create(name="A", code="a", parent=root)
    b = unit_create(name="B", code="b", parent=root)
    a1 = unit_create(name="A1", code="a1", parent=a)
    unit_move(unit=a, new_parent=b)
    a1.refresh_from_db()
    assert a1.path == f"{root.pk}/{b.pk}/{a.pk}/{a1.pk}/"
    assert a1.depth == 3
    assert set(Unit.objects.subtree_of(b)) == {b, Unit.objects.get(pk=a.pk), a1}


def test_a_unit_cannot_move_under_itself():
    root = unit_create(name="Commission", code="c")
    a = unit_create(name="A", code="a", parent=root)
    a1 = unit_create(name="A1", code="a1", parent=a)
    with pytest.raises(ServiceError, match="under itself"):
        unit_move(unit=a, new_parent=a1)
    a.refresh_from_db()
    assert a.parent_id == root.pk


def test_unit_changes_are_kept_in_history_with_the_actor(officer):
    unit = unit_create(name="Dept", code="d", actor=officer)
    assert unit.history.count() == 1
    assert unit.history.first().history_user == officer


@pytest.mark.parametrize("role", list(Role))
def test_user_create_gives_the_role(role):
    user = user_create(username=f"u-{role}", password="pw-123456", role=role)
    assert role_of(type(user).objects.get(pk=user.pk)) == role
    assert user.is_staff is (role == Role.ADMIN)
    assert user.check_password("pw-123456")


def test_notification_is_emailed_once_after_commit(cadre, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from integrity.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            notification = notification_send(recipient=cadre, subject="Review due", body="Rule IR-1")
        assert len(callbacks) == 1
    finally:
        app.conf.task_always_eager = False
    assert [m.subject for m in mail.outbox] == ["Review due"]
    assert notification_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_mark_read_touches_only_the_recipients_messages(cadre, officer):
    mine = notification_send(recipient=cadre, subject="a", email=False)
    theirs = notification_send(recipient=officer, subject="b", email=False)
    assert notification_mark_read(recipient=cadre, notification_ids=[mine.pk, theirs.pk]) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert Notification.objects.get(pk=mine.pk).read_at is not None
