"""Reads of the partner API: always one partner's own data, and the keys and clients
of the portal."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from oauth2_provider.models import AccessToken

from feedback.selectors import PARTNER_FIELDS, feedback_for_partner, partner_feedback_rows
from signals.models import Delivery, DeliveryStatus
from signals.progress import delivery_progress

from .models import ApiKey, OAuthClient


def delivery_of_partner(*, partner, public_id) -> Delivery | None:
    """The partner's own delivery with this id; None for another partner's (the API
    answers 404 either way, so it never tells that the id exists)."""
    return Delivery.objects.filter(partner=partner, public_id=public_id).first()


def delivery_report(delivery: Delivery) -> dict:
    """What the partner's delivery page shows: status, counts, the rejected lines
    (all of them, as its CSV download has them) and the refusal reason."""
    in_progress = delivery.status in (DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING)
    return {
        "id": delivery.public_id,
        "bestandsnaam": delivery.original_name,
        "ontvangen_op": delivery.received_at,
        "datum_ontvangst": delivery.received_on,
        "status": delivery.status,
        "status_omschrijving": str(delivery.get_status_display()),
        "verwerkt_op": delivery.finished_at,
        "regels_gelezen": (delivery_progress(delivery_id=delivery.pk) or 0) if in_progress else delivery.rows_read,
        "geaccepteerd": delivery.accepted_count,
        "herhaald": delivery.repeated_count,
        "afgewezen": delivery.rejected_count,
        "reden_weigering": delivery.refusal_reason,
        "afgewezen_regels": [
            {"regel": line.line_number, "partner_referentie": line.partner_referentie, "redenen": line.reasons}
            for line in delivery.rejected_lines.all().iterator(chunk_size=2000)
        ],
    }


# The most rows of feedback one answer holds (and the default page size).
FEEDBACK_PAGE_MAX = 1000


@dataclass(frozen=True)
class FeedbackPosition:
    """A place in a partner's feedback, oldest first: the row given at `given_at`
    with id `pk`. Rows given at the same moment are told apart by their id, so a
    page that ends among them is continued exactly after its last row."""

    given_at: datetime
    pk: int


def feedback_page(
    *, partner, since: datetime, after: FeedbackPosition | None = None, size: int = FEEDBACK_PAGE_MAX
) -> tuple[list[dict], FeedbackPosition | None]:
    """At most `size` rows of the partner's feedback given after `since` (and after
    `after`), oldest first by (given_at, id), in the fields of the partner's feedback
    page; and where the next page starts, None if this is the last. One query with a
    limit (keyset paging): the database never hands over more than a page.

    Only feedback given at least VROEG_API_FEEDBACK_SETTLE_SECONDS ago is served: a
    row is stamped inside its writer's transaction, so one committed a moment later
    can carry an earlier time than a row already served; a poll that served the later
    one first would move past it for good. Waiting out the settle time closes that gap."""
    settled = timezone.now() - timedelta(seconds=settings.VROEG_API_FEEDBACK_SETTLE_SECONDS)
    rows = feedback_for_partner(partner=partner).filter(given_at__gt=since, given_at__lte=settled)
    if after is not None:
        rows = rows.filter(given_at__gte=after.given_at).filter(Q(given_at__gt=after.given_at) | Q(pk__gt=after.pk))
    page = list(rows.order_by("given_at", "pk").values(*PARTNER_FIELDS, "pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    following = FeedbackPosition(given_at=page[-1]["given_at"], pk=page[-1]["pk"]) if more else None
    shown = [
        {
            "partner_referentie": row["signal__partner_referentie"],
            "signaal_type": row["signal__signal_type"],
            "signaaldatum": row["signal__signal_date"],
            "teruggekoppeld_op": row["given_at"],
            "resultaat": row["result"],
            "resultaat_omschrijving": str(row["result_label"]),
            "toelichting": row["detail"],
            "incassopauze_tot": row["pause_ends_on"],
        }
        for row in partner_feedback_rows(page, today=timezone.localdate())
    ]
    return shown, following


def keys_of_partner(*, partner) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(partner=partner).select_related("created_by")


def clients_of_partner(*, partner) -> QuerySet[OAuthClient]:
    return OAuthClient.objects.filter(partner=partner).select_related("created_by", "application")


def client_of_access_token(plain: str) -> OAuthClient | None:
    """The partner's client a token was just issued to (tokens are stored as a SHA-256)."""
    token = AccessToken.objects.filter(token_checksum=hashlib.sha256(plain.encode()).hexdigest()).first()
    if token is None:
        return None
    return (
        OAuthClient.objects.select_related("created_by", "application")
        .filter(application_id=token.application_id)
        .first()
    )
