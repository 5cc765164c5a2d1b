"""Notifications: created once per key, shown under the bell, e-mailed once."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from vroeg.outbox import outbox_enqueue

from .models import Notification
from .selectors import topic_filter

logger = logging.getLogger(__name__)


@transaction.atomic
def notification_create(*, user, key: str, subject: str, body: str = "", url: str = "") -> Notification | None:
    """Notify `user` about `key`, unless that was done before (then None). The
    e-mail goes out through the outbox when the transaction commits."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(user=user, key=key, subject=subject[:200], body=body, url=url)
    except IntegrityError:
        return None
    if user.email:
        outbox_enqueue(task="notifications.send_email", notification_id=notification.pk)
    return notification


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail one notification, at most once: the row stays locked while sending,
    and a notification that was e-mailed already is skipped. Returns whether sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.user.email:
            return False
        link = f"{settings.VROEG_BASE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=f"[Vroeg] {notification.subject}",
            message="\n\n".join(part for part in (notification.body, link) if part),
            from_email=None,
            recipient_list=[notification.user.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_mark_read(*, user, notification_ids: list[int] | None = None, topic: str | None = None) -> int:
    """Mark the user's own notifications as read: these, those of one group of the
    list (`topic`: a case page, or "#id"), or all."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if topic is not None:
        unread = unread.filter(topic_filter(topic))
    elif notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


GIVE_UP_AFTER = timedelta(days=2)


@transaction.atomic
def notifications_requeue_unmailed(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue the e-mail again for notifications that should have been e-mailed by now.
    A message the broker handed to a worker that then died comes back only after the
    broker's visibility timeout (an hour); this makes it minutes. Sending twice is
    harmless (notification_send_email skips what was sent). After two days: give up."""
    now = timezone.now()
    due = (
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lte=now - older_than, created_at__gte=now - GIVE_UP_AFTER
        )
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )
    ids = list(due[:1000])
    for notification_id in ids:
        outbox_enqueue(task="notifications.send_email", notification_id=notification_id)
    return len(ids)
