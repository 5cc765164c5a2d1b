"""Letter, card (after a missed home visit) and SMS/WhatsApp text, filled with the
case's resident and the caseworker. They mention no amounts and which partner only
by kind, so a card on the doormat tells a housemate as little as possible."""

from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case

from .models import ContactKind

MESSAGES = {
    "brief": ("outreach/messages/brief.html", ContactKind.LETTER, "Brief"),
    "kaartje": ("outreach/messages/kaartje.html", ContactKind.CARD, "Kaartje na huisbezoek"),
    "sms": ("outreach/messages/sms.txt", ContactKind.SMS, "SMS/WhatsApp-bericht"),
}
_KIND_WORDS = {"Huur": "uw verhuurder", "Energie": "uw energieleverancier", "Water": "uw waterbedrijf",
               "Zorg": "uw zorgverzekeraar"}  # fmt: skip


def render_message(case: Case, kind: str, worker) -> str:
    template, _contact_kind, _title = MESSAGES[kind]
    signal = case.signals.order_by("received_on", "pk").first()
    salutation = " ".join(p for p in (signal.initials, signal.prefix, signal.surname) if p) if signal else "bewoner"
    partners = " en ".join(_KIND_WORDS.get(t, "een vaste-lastenpartner") for t in case.partner_types) or "een vaste-lastenpartner"
    address = f"{case.household.street} {case.household.house_number}{case.household.house_number_suffix}\n"
    address += f"{case.household.postcode[:4]} {case.household.postcode[4:]} {case.household.city.upper()}"
    return render_to_string(template, {
        "salutation": salutation, "partners": partners, "municipality": case.municipality,
        "resident_address_lines": f"{salutation}\n{address}", "today": timezone.localdate(),
        "worker_name": worker.get_full_name() or worker.get_username(), "worker_email": worker.email,
    })  # fmt: skip
