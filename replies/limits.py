"""Rate limits of the public reply page, counted in the cache (fixed windows of an hour).

Per client address: at most `REPLY_RATE_WRONG` wrong codes (typed or opened: the
guessing a code's 85 random bits make hopeless anyway) and `REPLY_RATE_IP` codes or
answers sent; per code at most `REPLY_RATE_CODE` openings and answers. Past a limit
the page refuses with 429 and a plain message until the window has passed. With the
cache unreachable the page still answers, uncounted, with a warning in the log (as
the partner API does: every page answers with the cache down); wrong codes are
audited all the same."""

import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW = 60 * 60  # seconds


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _count(key: str) -> int | None:
    """Add one to the counter; its new value, or None when the cache is down."""
    try:
        cache.add(key, 0, timeout=WINDOW)
        return cache.incr(key)
    except Exception:
        logger.warning("Reply page rate limit not counted: the cache is unreachable", exc_info=True)
        return None


def _peek(key: str) -> int | None:
    try:
        return cache.get(key, 0)
    except Exception:
        logger.warning("Reply page rate limit not read: the cache is unreachable", exc_info=True)
        return None


def try_allowed(*, ip: str | None, digest: str | None = None, sending: bool = False) -> bool:
    """Count one try from `ip` (a code or an answer sent when `sending`) and of the code
    with this digest; whether it may go on. Wrong codes are counted apart
    (`wrong_code_count`) and block the address once there are too many."""
    ip = ip or "unknown"
    wrong = _peek(f"replies:wrong:{ip}")
    sent = _count(f"replies:ip:{ip}") if sending else 0
    per_code = _count(f"replies:code:{digest}") if digest else 0
    return (
        (wrong is None or wrong < _limit("REPLY_RATE_WRONG", 10))
        and (sent is None or sent <= _limit("REPLY_RATE_IP", 30))
        and (per_code is None or per_code <= _limit("REPLY_RATE_CODE", 30))
    )


def wrong_code_count(*, ip: str | None) -> int:
    """Count a wrong code from `ip`; how many in this window (0 when not counted)."""
    return _count(f"replies:wrong:{ip or 'unknown'}") or 0
