"""The daily digest: one e-mail per person with every message waiting for it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Notification, NotificationPreference, User
from .registry import get_occasion


def _occasion_label(code: str) -> str:
    if not code:
        return _("Other messages")
    try:
        return str(get_occasion(code).label)
    except LookupError:
        return code


def absolute_url(url: str) -> str:
    """Links in e-mails need the site's address (INTEGRITY_SITE_URL) in front of a path."""
    if url.startswith("/"):
        return getattr(settings, "INTEGRITY_SITE_URL", "").rstrip("/") + url
    return url


def digest_send(*, user_id: int, now=None) -> int:
    """E-mail one person all their messages waiting for the digest, once; returns how many items."""
    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            return 0
        # Locked: a second digest running at the same time waits, then finds them sent.
        pending = list(
            Notification.objects.select_for_update()
            .filter(recipient_id=user_id, in_digest=True, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not pending or not user.email:
            return 0
        preference = NotificationPreference.objects.filter(user_id=user_id).first()
        language = (preference.language if preference else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            groups: dict[str, dict] = {}
            for notification in pending:
                group = groups.setdefault(
                    notification.occasion, {"label": _occasion_label(notification.occasion), "items": []}
                )
                group["items"].append({"n": notification, "url": absolute_url(notification.url)})
            subject = ngettext(
                "Your daily digest: %(count)d new item", "Your daily digest: %(count)d new items", len(pending)
            ) % {"count": len(pending)}
            body = render_to_string(
                "integrity/email/digest.txt",
                {
                    "user": user,
                    "groups": sorted(groups.values(), key=lambda g: g["label"]),
                    "inbox_url": absolute_url("/inbox/"),
                    "settings_url": absolute_url("/inbox/settings/"),
                },
            )
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
    return len(pending)


def digest_send_all(*, now=None) -> int:
    """Send the digest to everyone with messages waiting for it; returns how many people got one."""
    user_ids = (
        Notification.objects.filter(in_digest=True, emailed_at__isnull=True)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    return sum(1 for user_id in list(user_ids) if digest_send(user_id=user_id, now=now))
