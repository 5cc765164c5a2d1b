"""The idle timeout (BIO) without writing the session on every request.

A session ends `SESSION_COOKIE_AGE` seconds (SESSION_IDLE_TIMEOUT) after the user's
last request: each save sets its expiry to that many seconds from then. Django's
`SESSION_SAVE_EVERY_REQUEST` saves on every page (BEGIN/UPDATE/COMMIT).
`IdleTimeoutSessionMiddleware` saves an unchanged session only when its last save is
`TOUCH_INTERVAL` seconds (a minute) old or more; the requests in between come less
than a minute after that save, so a session ends never later than the idle timeout
after the last request, and at the earliest a minute before it. A session that
changed is saved at once, as before (login, logout, messages, the second factor). The
cookie is unchanged: it ends with the browser (SESSION_EXPIRE_AT_BROWSER_CLOSE).

When the session was last saved follows from its stored expiry (the expiry minus the
idle timeout), which `SessionStore` (SESSION_ENGINE = "vroeg.sessions") keeps when it
reads the session; nothing is added to the session's data.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.utils import timezone

# Seconds an unchanged session goes without being saved (and so without its expiry
# pushed on).
TOUCH_INTERVAL = 60


class SessionStore(DatabaseSessionStore):
    """Django's database sessions, remembering the expiry read with the session."""

    read_expiry = None

    def _get_session_from_db(self):
        session = super()._get_session_from_db()
        self.read_expiry = session.expire_date if session is not None else None
        return session


class IdleTimeoutSessionMiddleware(SessionMiddleware):
    """Replaces Django's SessionMiddleware (with SESSION_SAVE_EVERY_REQUEST off)."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None:
            _touch(session)
        return super().process_response(request, response)


def _touch(session) -> None:
    """Mark the session to be saved (modified) when its last save is a minute old, or
    when that cannot be told; a changed session is saved anyway."""
    if session.modified or (session.session_key is None):
        return  # saved anyway, or no session at all (anonymous, nothing stored)
    accessed = session.accessed
    session.get("")  # read the session when nothing else did, as Django's own save would
    session.accessed = accessed  # ... without a "Vary: Cookie" for this read
    if session.is_empty():
        return  # expired, unknown or flushed: nothing to keep alive
    expiry = getattr(session, "read_expiry", None)
    if expiry is None or session.get("_session_expiry") is not None:
        session.modified = True  # another store, or an expiry of its own: as before
        return
    saved_at = expiry - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    if not timedelta(0) <= timezone.now() - saved_at < timedelta(seconds=TOUCH_INTERVAL):
        session.modified = True
