"""Transactional outbox: queue a Celery task so that a broker outage loses nothing.

    outbox_enqueue(task="signals.process_delivery", delivery_id=delivery.pk)

inside the transaction that makes the change. When the transaction commits, the
message is sent at once (best effort, short broker timeout); if the broker is
unreachable it stays pending and `outbox_publish` (beat, every minute) sends it later.
Tasks must be safe to run twice: a message can be sent again if the process dies
between sending and marking it sent.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

KEEP_SENT = timedelta(days=7)


def outbox_enqueue(*, task: str, **kwargs) -> OutboxMessage:
    """Store the task for sending; try to send it when the transaction commits."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_publish(message_ids=[message.pk]), robust=True)
    return message


def outbox_publish(*, message_ids: list[int] | None = None, older_than: timedelta | None = None,
                   limit: int = 500) -> int:  # fmt: skip
    """Send pending messages (these ids, or all older than `older_than`) to the broker
    and mark them sent. Stops at the first broker error: the rest waits for the next
    run. Returns how many were sent."""
    from .celery import app

    sent = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(published_at__isnull=True)
        if message_ids is not None:
            pending = pending.filter(pk__in=message_ids)
        if older_than is not None:
            pending = pending.filter(created_at__lte=timezone.now() - older_than)
        for message in pending.order_by("pk")[:limit]:
            try:
                app.send_task(message.task, kwargs=message.kwargs, retry=False)
            except Exception as exc:  # noqa: BLE001  (any broker failure: keep it for later)
                logger.warning("broker unreachable; %s stays in the outbox", message, exc_info=True)
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=str(exc)[:300]
                )
                break
            OutboxMessage.objects.filter(pk=message.pk).update(
                published_at=timezone.now(), attempts=message.attempts + 1
            )
            sent += 1
    return sent


def outbox_clean(*, now=None) -> int:
    """Forget messages sent more than a week ago."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
