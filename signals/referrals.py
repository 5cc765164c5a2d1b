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
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import municipalities_for_user

from .csvformat import ALL_COLUMNS, RowError, RowValidator
from .models import Delivery, DeliveryStatus, Partner, PartnerType, Referral, ReferralKind
from .services import delivery_process, delivery_receive

# Who referred and the contact person: as long as the columns (signals.Referral).
# How long a referral waits for a running delivery before the worker takes it.
REFERRAL_LOCK_WAIT = timedelta(seconds=3)
TEXT_MAX = Referral._meta.get_field("origin").max_length

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
    lock_wait: timedelta | None = REFERRAL_LOCK_WAIT,
) -> Delivery:
    """Register a referral and process it at once (one row). Raises ReferralRefused
    (nothing stored) when it does not meet the rules. While a large delivery holds
    intake longer than `lock_wait`, the referral is kept and queued: the delivery is
    returned as received (None: wait, for a caller that needs the case at once)."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    if not municipalities_for_user(user=user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    today = timezone.localdate()
    errors = referral_check(municipality=municipality, row=row, received_on=today)
    if not origin.strip():
        errors.setdefault("origin", []).append("Vul in wie de inwoner verwijst.")
    for field, value in (("origin", origin.strip()), ("contact", contact)):
        if len(value) > TEXT_MAX:
            errors.setdefault(field, []).append(f"Dit veld is langer dan {TEXT_MAX} tekens; kort het zelf in.")
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
        )
        Referral.objects.create(
            delivery=delivery,
            kind=kind,
            origin=origin.strip(),
            contact=contact,
            consent_on=consent_on,
            consent_how=consent_how,
            registered_by=user,
        )
    # At once, unless a large delivery holds intake: then the intake worker takes it
    # (its task is queued with the file) and the caseworker is not kept waiting.
    delivery = delivery_process(delivery_id=delivery.pk, lock_wait=lock_wait)
    if delivery.status in (DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING, DeliveryStatus.FAILED):
        # Kept and queued (intake was busy), or failed on an error of Vroeg (an admin
        # retries it): registered either way, so a second submit would make it twice.
        audit_log(
            action=AuditAction.CREATE,
            actor=user,
            obj=delivery.referral,
            municipality=municipality,
            detail={"kind": kind, "queued": True},
        )
        return delivery
    if delivery.status != DeliveryStatus.DONE or delivery.accepted_count != 1:
        reasons = [r for line in delivery.rejected_lines.all() for r in line.reasons] or [delivery.refusal_reason]
        raise ReferralRefused({"": reasons or ["De verwijzing kon niet worden verwerkt."]})
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=delivery.referral,
        municipality=municipality,
        detail={"kind": kind, "case": delivery.signals.get().case_id},
    )
    return delivery
