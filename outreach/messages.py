"""Letter, card (after a missed home visit), SMS/WhatsApp text and the announcement of
a home visit, filled with one addressee (a resident of the household, chosen by the
caseworker) and the caseworker. They mention no amounts and which partner only by
kind, and only the kinds of the addressee's own signals: a letter to one resident
never names a housemate or the housemate's creditor."""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case, Resident
from signals.models import PartnerType

from .models import ContactKind


@dataclass(frozen=True)
class MessageKind:
    template: str
    contact_kind: str  # recorded as this DDAS contact kind when sent
    title: str
    needs_visit: bool = False  # asks for the date and part of day of a planned visit


MESSAGES = {
    "brief": MessageKind("outreach/messages/brief.html", ContactKind.LETTER, "Brief"),
    "kaartje": MessageKind("outreach/messages/kaartje.html", ContactKind.CARD, "Kaartje na huisbezoek"),
    "sms": MessageKind("outreach/messages/sms.txt", ContactKind.SMS, "SMS/WhatsApp-bericht"),
    "huisbezoek": MessageKind(
        "outreach/messages/aankondiging_huisbezoek.html",
        ContactKind.LETTER,
        "Aankondiging huisbezoek",
        needs_visit=True,
    ),
}
_KIND_WORDS = {
    "Huur": "uw verhuurder",
    "Energie": "uw energieleverancier",
    "Water": "uw waterbedrijf",
    "Zorg": "uw zorgverzekeraar",
}


def _kinds_of(case: Case, resident: Resident) -> str:
    """'uw verhuurder en uw energieleverancier': the kinds of the partners of this
    resident's own signals in this case, in a fixed order, each once."""
    types = set(case.signals.filter(resident=resident).values_list("partner__partner_type", flat=True))
    words = []
    for ptype in PartnerType.values:
        word = _KIND_WORDS.get(ptype, "een vaste-lastenpartner") if ptype in types else None
        if word and word not in words:
            words.append(word)
    return " en ".join(words) or "een vaste-lastenpartner"


def render_message(
    case: Case, kind: str, worker, *, resident: Resident, visit_on: date | None = None, visit_part: str = ""
) -> str:
    """The text of `kind` to `resident` (one of the household's residents with a signal
    in this case: outreach.selectors.message_addressees)."""
    message = MESSAGES[kind]
    salutation = str(resident) or "bewoner"
    address = f"{case.household.street} {case.household.house_number}{case.household.house_number_suffix}\n"
    address += f"{case.household.postcode[:4]} {case.household.postcode[4:]} {case.household.city.upper()}"
    return render_to_string(
        message.template,
        {
            "salutation": salutation,
            "partners": _kinds_of(case, resident),
            "municipality": case.municipality,
            "resident_address_lines": f"{salutation}\n{address}",
            "today": timezone.localdate(),
            "worker_name": worker.get_full_name() or worker.get_username(),
            "worker_email": worker.email,
            "visit_on": visit_on,
            "visit_part": visit_part.lower(),
        },
    )
