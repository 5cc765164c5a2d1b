"""The `vanaf` of the feedback pages: where the next page starts, for which partner
and which `sinds`, signed with the installation's secret key so a changed or made-up
value is refused rather than followed."""

from datetime import datetime

from django.core import signing
from django.utils.dateparse import parse_datetime

from .selectors import FeedbackPosition

SALT = "api.feedback.vanaf"
TAMPERED = (
    "De waarde van 'vanaf' is onjuist of veranderd. Gebruik de link uit 'volgende' ongewijzigd, "
    "of begin opnieuw met 'sinds'."
)


class CursorRefused(Exception):
    """A `vanaf` that is not one this installation made for this partner."""


def cursor_make(*, partner_pk: int, since: datetime, after: FeedbackPosition) -> str:
    return signing.dumps(
        {"p": partner_pk, "s": since.isoformat(), "t": after.given_at.isoformat(), "i": after.pk}, salt=SALT
    )


def cursor_read(value: str, *, partner_pk: int) -> tuple[datetime, FeedbackPosition]:
    """(sinds, the position after which the page starts); CursorRefused if the value
    was changed, made up, or made for another partner."""
    try:
        data = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        raise CursorRefused(TAMPERED) from None
    try:
        since, given_at, pk = parse_datetime(data["s"]), parse_datetime(data["t"]), data["i"]
        ours = data["p"] == partner_pk
    except (KeyError, TypeError, ValueError):
        raise CursorRefused(TAMPERED) from None
    if not ours:
        raise CursorRefused("Deze 'vanaf' hoort bij een andere organisatie; begin opnieuw met 'sinds'.")
    if since is None or given_at is None or not isinstance(pk, int):
        raise CursorRefused(TAMPERED)
    return since, FeedbackPosition(given_at=given_at, pk=pk)
