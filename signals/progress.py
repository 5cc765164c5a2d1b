"""A delivery's progress while its worker reads it: a count in the cache, for the
partner's progress bar only. The cache may be down (Redis unreachable): then the
worker goes on without it and the page says it cannot show the progress; nothing
that matters is lost, since the report is written to the database."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def _key(delivery_id: int) -> str:
    return f"delivery-progress:{delivery_id}"


def delivery_progress_save(*, delivery_id: int, rows: int) -> None:
    try:
        cache.set(_key(delivery_id), rows, timeout=3600)
    except Exception:  # any cache backend's connection error; progress is best effort
        logger.warning("delivery %s: progress not stored, the cache is unreachable", delivery_id, exc_info=True)


def delivery_progress_clear(*, delivery_id: int) -> None:
    try:
        cache.delete(_key(delivery_id))
    except Exception:
        logger.warning("delivery %s: progress not cleared, the cache is unreachable", delivery_id, exc_info=True)


def delivery_progress(*, delivery_id: int) -> int | None:
    """Lines read so far, or None when the cache cannot be reached."""
    try:
        return cache.get(_key(delivery_id), 0)
    except Exception:
        logger.warning("delivery %s: progress unknown, the cache is unreachable", delivery_id, exc_info=True)
        return None
