"""Signaal-CSV v1 files for tests, and delivering them through the real intake."""

import io
from datetime import date

from signals.models import Delivery, DeliveryStatus
from signals.services import delivery_process, delivery_receive

VALID = {
    "partner_referentie": "REF-1",
    "signaal_type": "huur",
    "crisissignaal": "nee",
    "warme_overdracht": "nee",
    "bedrag_achterstand": "1248,68",
    "datum_ontstaan": "2026-08-01",
    "signaaldatum": "2026-11-01",
    "bsn": "999999990",
    "voorletters": "J.",
    "voorvoegsel": "de",
    "achternaam": "Vries",
    "geboortedatum": "1980-05-17",
    "straat": "Dorpsstraat",
    "huisnummer": "12",
    "huisnummertoevoeging": "",
    "postcode": "1234 ab",
    "woonplaats": "Voorbeeldstad",
    "telefoonnummer": "06-12345678",
    "email": "j.devries@example.nl",
}


def row(**changes) -> dict:
    values = {**VALID, **changes}
    return {k: v for k, v in values.items() if v is not None}


def csv_bytes(rows: list[dict], *, delimiter=";", encoding="utf-8-sig", newline="\r\n", columns=None) -> bytes:
    columns = columns or list(rows[0].keys())
    lines = [delimiter.join(columns)]
    for r in rows:
        lines.append(delimiter.join(_quote(str(r.get(c, "")), delimiter) for c in columns))
    return (newline.join(lines) + newline).encode(encoding)


def _quote(value: str, delimiter: str) -> str:
    if delimiter in value or '"' in value or "\n" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def deliver(partner, data: bytes, *, received_on=date(2026, 11, 27), name="levering.csv") -> Delivery:
    """Receive and process a file the way the upload form and its worker do."""
    delivery = delivery_receive(partner=partner, stream=io.BytesIO(data), original_name=name, received_on=received_on)
    if delivery.status == DeliveryStatus.REFUSED:
        return delivery
    return delivery_process(delivery_id=delivery.pk)
