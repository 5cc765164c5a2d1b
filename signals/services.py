"""Writes for signal partners (signal intake follows in issue 3)."""

from collections.abc import Iterable

from django.db import transaction

from vroeg.municipalities.models import Municipality

from .models import DEFAULT_SIGNAL_TYPES, Partner, PartnerType


@transaction.atomic
def partner_upsert(
    *,
    code: str,
    name: str,
    partner_type: str,
    municipalities: Iterable[Municipality],
    signal_types: list[str] | None = None,
    is_health_insurer: bool | None = None,
) -> Partner:
    """Create or update the partner with this code.

    Without explicit signal types the partner may send the Bgs types of its
    sector; a health insurer is recognised by its DDAS type unless told otherwise.
    """
    if signal_types is None:
        signal_types = [str(t) for t in DEFAULT_SIGNAL_TYPES.get(partner_type, [])]
    if is_health_insurer is None:
        is_health_insurer = partner_type == PartnerType.ZORG
    partner, _ = Partner.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "partner_type": partner_type,
            "signal_types": signal_types,
            "is_health_insurer": is_health_insurer,
        },
    )
    partner.municipalities.add(*municipalities)
    return partner
