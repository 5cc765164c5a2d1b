"""The queue's stored sort key against the computed one (cases/queue_keys.py)."""

from datetime import date

from django.utils import timezone

from cases.deadlines import open_due_expression
from cases.models import Case, QueueKeyStamp
from cases.priority import queue_order_rank
from cases.queue_keys import weights_digest


def queue_keys_stamp_today() -> None:
    """Say the stored keys hold for today and the current weights, as the sweep does
    once it has run (so that the queue reads them)."""
    QueueKeyStamp.objects.update_or_create(
        pk=1, defaults={"day": timezone.localdate(), "weights": weights_digest(), "refreshed_at": timezone.now()}
    )


def queue_keys_stale(today: date | None = None) -> list[tuple]:
    """Open cases whose stored key differs from the key computed from their rows:
    (id, stored due, computed due, stored rank, computed rank)."""
    rows = (
        Case.objects.filter(closed_at__isnull=True)
        .annotate(due=open_due_expression(), rank=queue_order_rank(today=today or timezone.localdate()))
        .order_by("pk")
        .values_list("pk", "queue_due", "due", "queue_rank", "rank")
    )
    return [row for row in rows if (row[1], row[3]) != (row[2], row[4])]
