"""The reminder sweep: send every reminder that has come due and was not sent before.

A sweep looks at a *window* — everything due up to now — not at "due today", so a missed day
catches up and a rerun changes nothing. Exactly-once comes from ``ReminderRecord``'s unique
constraint: a batch inserts its records with ON CONFLICT DO NOTHING, tagged with a fresh
token, then reads back the rows carrying its token — only those were new, and only those are
delivered, in the same transaction. Two workers sweeping together therefore never both send.

Queries per batch are bounded whatever the batch size: the provider's own query, one for
records sent before, one for preferences, one insert, one read-back and one insert of inbox
messages (plus savepoints).
"""

import logging
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from ..models import Notification, NotificationPreference, ReminderRecord
from ..queue import enqueue_on_commit
from .registry import Occasion, get_occasion, occasions

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200


@dataclass
class SweepResult:
    sent: int = 0
    by_occasion: dict = field(default_factory=dict)


def reminder_sweep(*, occasion: str | None = None, now=None, batch_size: int | None = None) -> SweepResult:
    """Send the reminders of one occasion (or of all) that have come due by now; safe to run twice."""
    now = now or timezone.now()
    batch_size = batch_size or getattr(settings, "INTEGRITY_REMINDER_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    chosen = [get_occasion(occasion)] if occasion else occasions()
    result = SweepResult()
    errors = []
    for occ in chosen:
        sent = 0
        try:
            steps = occ.steps()
            for batch in occ.items(occ.window(now, batch_size)):
                sent += _send_batch(occ, steps, list(batch), now)
        except Exception as exc:  # one failing occasion must not hold up the others
            logger.exception("Reminder sweep %s failed after %d sent", occ.code, sent)
            errors.append(exc)
        result.by_occasion[occ.code] = sent
        result.sent += sent
        if sent:
            logger.info("Reminder sweep %s: %d sent", occ.code, sent)
    if errors:
        raise errors[0]  # the task retries; what was sent stays sent
    return result


def _is_muted(preference, occasion: Occasion, step) -> bool:
    return step.mutable and preference is not None and occasion.code in (preference.muted_occasions or [])


def _send_batch(occasion: Occasion, steps, items, now) -> int:
    candidates = {}
    for item in items:
        for step in occasion.due_steps(item, now, steps):
            for user in item.recipients.get(step.to) or ():
                if user is not None and user.is_active:
                    candidates.setdefault((item.key, user.pk, step.code), (item, step, user))
    if not candidates:
        return 0
    sent_before = set(
        ReminderRecord.objects.filter(
            occasion=occasion.code, object_key__in={key for key, _, _ in candidates}
        ).values_list("object_key", "recipient_id", "step")
    )
    todo = {k: v for k, v in candidates.items() if k not in sent_before}
    if not todo:
        return 0
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in={uid for _, uid, _ in todo})}
    todo = {k: v for k, v in todo.items() if not _is_muted(preferences.get(k[1]), occasion, v[1])}
    if not todo:
        return 0
    token = uuid.uuid4()
    with transaction.atomic():
        # Sorted, so two workers inserting the same rows take their locks in the same order.
        ReminderRecord.objects.bulk_create(
            [
                ReminderRecord(
                    occasion=occasion.code,
                    object_key=key,
                    recipient_id=recipient_id,
                    step=step_code,
                    due_at=todo[key, recipient_id, step_code][0].deadline,
                    sweep_token=token,
                )
                for key, recipient_id, step_code in sorted(todo)
            ],
            ignore_conflicts=True,
        )
        new = ReminderRecord.objects.filter(sweep_token=token).values_list("object_key", "recipient_id", "step")
        notifications = []
        for key in sorted(new):
            item, step, user = todo[key]
            notifications.append(_notification(occasion, item, step, user, preferences.get(user.pk), now))
        Notification.objects.bulk_create(notifications)
        immediate = [n.pk for n in notifications if n.recipient.email and not n.in_digest]
        if immediate:
            from ..tasks import deliver_notification_emails

            enqueue_on_commit(deliver_notification_emails, immediate)
    return len(notifications)


def _notification(occasion: Occasion, item, step, user, preference, now) -> Notification:
    language = (preference.language if preference else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = str(occasion.subject(occasion, item, step, now))
        body = str(occasion.body(occasion, item, step, now))
    return Notification(
        recipient=user,
        subject=subject[:300],
        body=body,
        url=item.url,
        occasion=occasion.code,
        in_digest=bool(user.email and preference is not None and preference.wants_digest),
    )
