"""Letter, card (after a missed home visit), SMS/WhatsApp text and the announcement of
a home visit, filled with one addressee (a resident of the household, chosen by the
caseworker) and the caseworker who signs. They mention no amounts and which partner
only by kind, and only the kinds of the addressee's own signals: a letter to one
resident never names a housemate or the housemate's creditor.

The texts are plain text: the caseworker may change one before printing or sending
(outreach.forms.MessageTextForm), and pages show it escaped, paragraph by paragraph."""

import re
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
    copyable: bool = False  # sent from the caseworker's phone: copied, not printed


MESSAGES = {
    "brief": MessageKind("outreach/messages/brief.txt", ContactKind.LETTER, "Brief"),
    "kaartje": MessageKind("outreach/messages/kaartje.txt", ContactKind.CARD, "Kaartje na huisbezoek"),
    "sms": MessageKind("outreach/messages/sms.txt", ContactKind.SMS, "SMS/WhatsApp-bericht", copyable=True),
    "huisbezoek": MessageKind(
        "outreach/messages/aankondiging_huisbezoek.txt",
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
_BLANK_LINES = re.compile(r"\n{3,}")


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


def message_signer(*, case: Case, user):
    """Who signs (name and telephone number): the case's caseworker, or else, while
    nobody is assigned or the one assigned no longer works cases of this municipality
    (left, or moved on), the user who writes it. The residents call the one who
    follows their case up, never someone who cannot answer."""
    assigned = case.assigned_to
    if (
        assigned is not None
        and assigned.is_active
        and assigned.has_perm("accounts.work_cases")
        and assigned.municipalities.filter(pk=case.municipality_id).exists()
    ):
        return assigned
    return user


def tidy_text(text: str) -> str:
    """One form for every text, generated or typed: newlines as \\n, no trailing
    spaces, at most one blank line between paragraphs, nothing around it."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def render_message(
    case: Case,
    kind: str,
    signer,
    *,
    resident: Resident,
    visit_on: date | None = None,
    visit_part: str = "",
    extra: str = "",
) -> str:
    """The plain text of `kind` to `resident` (one of the household's residents with a
    signal in this case: outreach.selectors.message_addressees), signed by `signer`
    (message_signer) with their name, telephone number (when known) and e-mail. A text
    that is copied ends with `extra` (outreach.hooks.message_extras: a reply code)."""
    message = MESSAGES[kind]
    salutation = str(resident) or "bewoner"
    household = case.household
    address = f"{household.street} {household.house_number}{household.house_number_suffix}\n"
    address += f"{household.postcode[:4]} {household.postcode[4:]} {household.city.upper()}"
    text = render_to_string(
        message.template,
        {
            "salutation": salutation,
            "partners": _kinds_of(case, resident),
            "municipality": case.municipality,
            "resident_address_lines": f"{salutation}\n{address}",
            "today": timezone.localdate(),
            "worker_name": signer.get_full_name() or signer.get_username(),
            "worker_phone": signer.phone,
            "worker_email": signer.email,
            "visit_on": visit_on,
            "visit_part": visit_part.lower(),
            "extra": extra,
        },
    )
    return tidy_text(text)
