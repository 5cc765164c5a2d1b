"""Reads of the partner API: always one partner's own data, and the keys of the portal."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from feedback.selectors import feedback_for_partner, partner_feedback_rows
from signals.models import Delivery, DeliveryStatus
from signals.progress import delivery_progress

from .models import ApiKey


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


def feedback_since(*, partner, since: datetime) -> list[dict]:
    """The partner's feedback given after `since`, oldest first (so the last one's
    time is the next call's `sinds`), in the fields of the partner's feedback page."""
    rows = feedback_for_partner(partner=partner).filter(given_at__gt=since).order_by("given_at", "pk")
    return [
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
        for row in partner_feedback_rows(rows, today=timezone.localdate())
    ]


def keys_of_partner(*, partner) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(partner=partner).select_related("created_by")
