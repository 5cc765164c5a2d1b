"""Signals registered by hand: internal referrals from other municipal departments
(Wmo, Participatiewet, municipal taxes, ...) and warm referrals by a company or
institution with the resident's consent.

A referral is validated by the same rules as a row of the Signaal-CSV contract
(signals/csvformat.RowValidator) and then goes through intake as a one-row delivery
of the referral's own partner (type Overige, signal type `overig`), so it joins or
starts the household's case with the same deadlines as any signal. A warm referral
sets `warme_overdracht` (DDAS warmeOverdracht) and needs the consent date and how
it was given.
"""

import csv
import io
import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import municipalities_for_user

from .csvformat import ALL_COLUMNS, RowError, RowValidator
from .models import Delivery, DeliveryStatus, Partner, PartnerType, Referral, ReferralKind

REFERRAL_PARTNERS = {
    ReferralKind.INTERNAL: ("verwijzing-intern", "Verwijzing (gemeentelijke afdeling)"),
    ReferralKind.WARM: ("verwijzing-warm", "Warme verwijzing (extern)"),
    ReferralKind.LAA: ("verwijzing-laa", "Adresonderzoek (LAA)"),
}
REFERRAL_PARTNER_CODES = [code for code, _ in REFERRAL_PARTNERS.values()]


class ReferralRefused(Exception):
    """The referral cannot be registered; `errors` maps a field (or "") to Dutch messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def referral_check(*, municipality: Municipality, row: dict[str, str], received_on: date) -> dict[str, list[str]]:
    """The contract's rules for one row; errors per CSV column (or "" for the row)."""
    validator = RowValidator(
        allowed_types={"overig"},
        received_on=received_on,
        municipality_codes={municipality.code},
        default_municipality=municipality.code,
    )
    outcome = validator(2, {**row, "partner_referentie": "controle", "signaal_type": "overig"})
    errors: dict[str, list[str]] = {}
    if isinstance(outcome, RowError):
        for reason in outcome.reasons:
            column = next((c for c in sorted(ALL_COLUMNS, key=len, reverse=True) if reason.startswith(c)), "")
            errors.setdefault(column, []).append(reason)
    return errors


def _partner(kind: str, municipality: Municipality) -> Partner:
    code, name = REFERRAL_PARTNERS[ReferralKind(kind)]
    partner, _ = Partner.objects.get_or_create(
        code=code, defaults={"name": name, "partner_type": PartnerType.OVERIGE, "signal_types": ["overig"]}
    )
    partner.municipalities.add(municipality)
    return partner


def referral_register(
    *,
    user,
    municipality: Municipality,
    kind: str,
    origin: str,
    row: dict[str, str],
    contact: str = "",
    consent_on: date | None = None,
    consent_how: str = "",
) -> Delivery:
    """Register a referral and process it at once (one row). Raises ReferralRefused
    (nothing stored) when it does not meet the rules."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    if not municipalities_for_user(user=user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    today = timezone.localdate()
    errors = referral_check(municipality=municipality, row=row, received_on=today)
    if not origin.strip():
        errors.setdefault("origin", []).append("Vul in wie de inwoner verwijst.")
    if kind == ReferralKind.WARM:
        if consent_on is None:
            errors.setdefault("consent_on", []).append(
                "Een warme verwijzing kan alleen met toestemming van de inwoner: vul de datum in."
            )
        elif consent_on > today:
            errors.setdefault("consent_on", []).append("De datum van de toestemming kan niet in de toekomst liggen.")
        if not consent_how:
            errors.setdefault("consent_how", []).append("Geef aan hoe de inwoner toestemming gaf.")
    if errors:
        raise ReferralRefused(errors)

    from .services import delivery_process, delivery_receive

    fields = {
        **row,
        "partner_referentie": f"VW-{uuid.uuid4().hex[:12].upper()}",
        "signaal_type": "overig",
        "warme_overdracht": "ja" if kind == ReferralKind.WARM else "nee",
        "gemeentecode": municipality.code,
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(list(fields))
    writer.writerow(list(fields.values()))
    with transaction.atomic():
        delivery = delivery_receive(
            partner=_partner(kind, municipality),
            stream=io.BytesIO(out.getvalue().encode("utf-8")),
            original_name="verwijzing.csv",
            uploaded_by=user,
            received_on=today,
            keep_file=False,
        )
        Referral.objects.create(
            delivery=delivery,
            kind=kind,
            origin=origin.strip()[:200],
            contact=contact[:200],
            consent_on=consent_on,
            consent_how=consent_how,
            registered_by=user,
        )
    delivery = delivery_process(delivery_id=delivery.pk, stream=io.BytesIO(out.getvalue().encode("utf-8")))
    if delivery.status != DeliveryStatus.DONE or delivery.accepted_count != 1:
        reasons = [r for line in delivery.rejected_lines.all() for r in line.reasons] or [delivery.refusal_reason]
        raise ReferralRefused({"": reasons or ["De verwijzing kon niet worden verwerkt."]})
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=delivery.referral,
        detail={"kind": kind, "case": delivery.signals.get().case_id},
    )
    return delivery
