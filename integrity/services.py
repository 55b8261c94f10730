"""Business actions on units, people and the inbox. Each is a plain function with keyword arguments."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from .models import DeliveryMode, Notification, NotificationPreference, Unit, User
from .queue import enqueue_on_commit
from .roles import Role


class ServiceError(Exception):
    """A business rule refused the action; the message says why, for the user."""


def _apply_path(unit: Unit) -> None:
    if unit.parent_id:
        parent = Unit.objects.only("path", "depth").get(pk=unit.parent_id)
        unit.path = f"{parent.path}{unit.pk}/"
        unit.depth = parent.depth + 1
    else:
        unit.path = f"{unit.pk}/"
        unit.depth = 0


@transaction.atomic
def unit_create(*, name: str, code: str, parent: Unit | None = None, actor: User | None = None, **fields) -> Unit:
    """Create a unit under parent (or a root unit) and place it in the tree."""
    unit = Unit(name=name, code=code, parent=parent, **fields)
    unit._history_user = actor
    unit.save()
    _apply_path(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit | None, actor: User | None = None) -> Unit:
    """Move a unit, with everything below it, under a new parent."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ServiceError("A unit cannot be moved under itself or one of its own sub-units.")
    old_path, old_depth = unit.path, unit.depth
    unit.parent = new_parent
    _apply_path(unit)
    unit._history_user = actor
    unit.save(update_fields=["parent", "path", "depth", "updated_at"])
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") - old_depth + unit.depth,
    )
    return unit


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str = Role.CADRE,
    unit: Unit | None = None,
    actor: User | None = None,
    **fields,
) -> User:
    """Create a person with one role; admins are staff and superusers."""
    user = User(username=username, unit=unit, **fields)
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user._history_user = actor
    user.save()
    user.groups.add(Group.objects.get_or_create(name=Role(role).value)[0])
    return user


@transaction.atomic
def unit_set_top_leader(*, unit: Unit, leader: User | None, actor: User | None = None) -> Unit:
    """Name the unit's top leader (一把手)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    unit.top_leader = leader
    unit._history_user = actor
    unit.save(update_fields=["top_leader", "updated_at"])
    return unit


def notification_send(
    *, recipient: User, subject: str, body: str = "", url: str = "", email: bool = True
) -> Notification:
    """Put a message in a person's inbox and, after commit, e-mail it (or keep it for their daily digest)."""
    in_digest = bool(
        email
        and recipient.email
        and NotificationPreference.objects.filter(user=recipient, delivery=DeliveryMode.DIGEST).exists()
    )
    notification = Notification.objects.create(
        recipient=recipient, subject=subject[:300], body=body, url=url, in_digest=in_digest
    )
    if email and recipient.email and not in_digest:
        from .tasks import deliver_notification_email

        enqueue_on_commit(deliver_notification_email, notification.pk)
    return notification


def notification_mark_read(*, recipient: User, notification_ids=None) -> int:
    """Mark the recipient's notifications (all unread when no ids given) as read; returns how many."""
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification once; returns False when it was already sent or cannot be."""
    from django.core.mail import send_mail

    from .reminders.digest import absolute_url

    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at or not notification.recipient.email:
            return False
        send_mail(
            subject=notification.subject,
            message=f"{notification.body}\n\n{absolute_url(notification.url)}".strip(),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notification_preference_for(*, user: User) -> NotificationPreference:
    """The person's reminder preferences; the defaults (e-mail straight away, nothing muted) if never set."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)


@transaction.atomic
def notification_preference_update(
    *, user: User, delivery: str, muted_occasions=(), language: str = "", actor: User
) -> NotificationPreference:
    """Save how a person receives reminders; only occasions that can be muted are kept muted."""
    from .reminders import occasions

    if actor.pk != user.pk:
        raise ServiceError("People can change only their own notification preferences.")
    mutable = {o.code for o in occasions() if o.can_be_muted}
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.delivery = DeliveryMode(delivery)
    preference.muted_occasions = sorted(set(muted_occasions) & mutable)
    preference.language = language
    preference.save(update_fields=["delivery", "muted_occasions", "language", "updated_at"])
    return preference
