"""The queue's stored sort key against the computed one (cases/queue_keys.py)."""

from datetime import date

from django.utils import timezone

from cases.models import Case, QueueKeyStamp
from cases.queue_keys import queue_key_values, weights_digest


def queue_keys_stamp_today() -> None:
    """Say the stored keys hold for today and the current weights, as the sweep does
    once it has run (so that the queue reads them)."""
    QueueKeyStamp.objects.update_or_create(
        pk=1, defaults={"day": timezone.localdate(), "weights": weights_digest(), "refreshed_at": timezone.now()}
    )


def queue_keys_stale(today: date | None = None) -> list[tuple]:
    """Open cases whose stored key differs from the key computed from their rows:
    (id, stored due, computed due, stored rank, computed rank)."""
    computed = queue_key_values(today=today or timezone.localdate())
    rows = (
        Case.objects.filter(closed_at__isnull=True)
        .annotate(due=computed["queue_due"], rank=computed["queue_rank"])
        .order_by("pk")
        .values_list("pk", "queue_due", "due", "queue_rank", "rank")
    )
    return [row for row in rows if (row[1], row[3]) != (row[2], row[4])]
