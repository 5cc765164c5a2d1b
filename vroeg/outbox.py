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
from django.db.models import F
from django.utils import timezone

from .celery import app
from .models import OutboxMessage

logger = logging.getLogger(__name__)

KEEP_SENT = timedelta(days=7)
CONNECT_TIMEOUT = 2  # seconds


def outbox_enqueue(*, task: str, **kwargs) -> OutboxMessage:
    """Store the task for sending; try to send it when the transaction commits."""
    message = OutboxMessage.objects.create(task=task, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_publish(message_ids=[message.pk]), robust=True)
    return message


def outbox_publish(
    *, message_ids: list[int] | None = None, older_than: timedelta | None = None, limit: int = 500
) -> int:
    """Send pending messages (these ids, or all older than `older_than`) to the broker
    and mark them sent. Stops at the first broker error: the rest waits for the next
    run. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.select_for_update(skip_locked=True).filter(published_at__isnull=True)
        if message_ids is not None:
            pending = pending.filter(pk__in=message_ids)
        if older_than is not None:
            pending = pending.filter(created_at__lte=timezone.now() - older_than)
        messages = list(pending.order_by("pk")[:limit])
        if not messages:
            return 0
        try:
            # One connection, tried once: a web request must not wait for retries.
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CONNECT_TIMEOUT)
                for message in messages:
                    app.send_task(message.task, kwargs=message.kwargs, retry=False, connection=connection)
                    OutboxMessage.objects.filter(pk=message.pk).update(
                        published_at=timezone.now(), attempts=message.attempts + 1
                    )
                    sent += 1
        except Exception as exc:  # noqa: BLE001  (any broker failure: keep the rest for later)
            logger.warning("broker unreachable; %d message(s) stay in the outbox", len(messages) - sent, exc_info=True)
            OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[sent:]]).update(
                attempts=F("attempts") + 1, last_error=str(exc)[:300]
            )
    return sent


def outbox_clean(*, now=None) -> int:
    """Forget messages sent more than a week ago."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
