"""Cross-cutting writes of the project package."""

from datetime import datetime

from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str, at: datetime | None = None) -> Heartbeat:
    """Record that `name` is alive now (idempotent upsert: running it twice is harmless)."""
    beat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})
    return beat
