"""Reading and validating Signaal-CSV v1 (docs/partners/signaal-csv-v1.md).

`read_signal_file` streams a delivery row by row and yields, for every data row,
either a `ParsedRow` (valid, normalised) or a `RowError` (every reason, in plain
Dutch). A problem with the file as a whole raises `FileRefused`, before any row is
yielded where that is possible; "no data rows" is known only at the end.

Row rules that need other rows or the database (the same reference twice in one
file, repeats of earlier deliveries) are applied by signals/ingest.py.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from vroeg.csvfile import CsvFile, FileRefused
from vroeg.dutch import is_number, normalise_bsn, normalise_phone, normalise_postcode, parse_date
from vroeg.partners.models import SignalType

MAX_FILE_BYTES = 50 * 1024 * 1024

REQUIRED_COLUMNS = (
    "partner_referentie",
    "signaal_type",
    "bedrag_achterstand",
    "datum_ontstaan",
    "signaaldatum",
    "achternaam",
    "straat",
    "huisnummer",
    "postcode",
    "woonplaats",
)
OPTIONAL_COLUMNS = (
    "crisissignaal",
    "warme_overdracht",
    "bsn",
    "voorletters",
    "voorvoegsel",
    "geboortedatum",
    "huisnummertoevoeging",
    "telefoonnummer",
    "email",
    "gemeentecode",
)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# The columns in the order the contract lists them (docs/partners/signaal-csv-v1.md).
CONTRACT_ORDER = (
    "partner_referentie",
    "signaal_type",
    "crisissignaal",
    "warme_overdracht",
    "bedrag_achterstand",
    "datum_ontstaan",
    "signaaldatum",
    "bsn",
    "voorletters",
    "voorvoegsel",
    "achternaam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "huisnummertoevoeging",
    "postcode",
    "woonplaats",
    "telefoonnummer",
    "email",
    "gemeentecode",
)

# The six Bgs signals, each only from a partner of its own sector, then the extra
# types, only from a partner whose agreement lists them (models.allowed_signal_types).
SIGNAL_TYPES = tuple(SignalType.values)

_TRUE = {"ja", "j", "1", "true"}
_FALSE = {"nee", "n", "0", "false", ""}
_AMOUNT_PLAIN = re.compile(r"^\d+(?:[.,]\d{1,2})?$")
_AMOUNT_NL = re.compile(r"^\d{1,3}(?:\.\d{3})+,\d{1,2}$")
_AMOUNT_EN = re.compile(r"^\d{1,3}(?:,\d{3})+\.\d{1,2}$")
_email_validator = EmailValidator()
MAX_AMOUNT = Decimal("1000000")

# The rules of vroeg/dutch.py, remembered for the last few thousand values: the rows of
# one household repeat its postcode, and a delivery's dates fall on a few hundred days.
# Small caches, so memory stays flat however long the file. Never a cache of BSNs or
# names: this module also serves the web's forms, and a process-wide cache would keep
# one person's data in memory for the next user's request and past any purge.
_CACHE = 4096
_parse_date = lru_cache(maxsize=_CACHE)(parse_date)
_normalise_postcode = lru_cache(maxsize=_CACHE)(normalise_postcode)


@dataclass(slots=True)
class ParsedRow:
    line: int
    partner_referentie: str
    signal_type: str
    crisis: bool
    warm_handover: bool
    amount: Decimal
    arrears_since: date
    signal_date: date
    bsn: str
    initials: str
    prefix: str
    surname: str
    birth_date: date | None
    street: str
    house_number: int
    house_number_suffix: str
    postcode: str
    city: str
    phone: str
    email: str
    municipality_code: str


@dataclass(slots=True)
class RowError:
    line: int
    partner_referentie: str
    reasons: list[str]


def parse_amount(value: str) -> Decimal | None:
    """Euros with a decimal comma or point; thousands separators only together
    with the other decimal mark. At most two decimals."""
    if _AMOUNT_PLAIN.match(value):
        normal = value.replace(",", ".")
    elif _AMOUNT_NL.match(value):
        normal = value.replace(".", "").replace(",", ".")
    elif _AMOUNT_EN.match(value):
        normal = value.replace(",", "")
    else:
        return None
    try:
        return Decimal(normal)
    except InvalidOperation:
        return None


def _boolean(value: str, column: str, reasons: list[str]) -> bool:
    v = value.lower()
    if v in _TRUE:
        return True
    if v not in _FALSE:
        reasons.append(f"{column} '{value}' is geen ja of nee (gebruik ja/nee, j/n, 1/0 of true/false).")
    return False


def _text(value: str, column: str, max_len: int, reasons: list[str], *, required: bool) -> str:
    if not value:
        if required:
            reasons.append(f"{column} ontbreekt.")
        return ""
    if len(value) > max_len:
        reasons.append(f"{column} is langer dan {max_len} tekens.")
    return value


class RowValidator:
    """Validates one data row against the contract and the partner's agreement."""

    def __init__(
        self,
        *,
        allowed_types: set[str],
        received_on: date,
        municipality_codes: set[str],
        default_municipality: str | None,
    ):
        """`allowed_types`: the signal types the partner may send (the Bgs types of its
        own sector and the extra types its agreement lists: Partner.allowed_signal_types);
        `municipality_codes`: the municipalities the partner may deliver to;
        `default_municipality`: the code for rows without gemeentecode, or None when
        the column is required (the installation serves more than one municipality)."""
        self.allowed_types = allowed_types
        shown = ", ".join(t for t in SIGNAL_TYPES if t in allowed_types)
        self._not_allowed = (
            f"deze partner mag alleen {shown} leveren (de Bgs geeft elke soort schuldeiser een eigen signaal)."
            if shown
            else "deze partner mag (nog) geen signalen leveren; neem contact op met de gemeente."
        )
        self.received_on = received_on
        self.municipality_codes = municipality_codes
        self.default_municipality = default_municipality

    def __call__(self, line: int, row: dict[str, str]) -> ParsedRow | RowError:
        reasons: list[str] = []
        get = row.get

        ref = get("partner_referentie", "")
        if not ref:
            reasons.append("partner_referentie ontbreekt.")
        elif len(ref) > 64:
            reasons.append("partner_referentie is langer dan 64 tekens.")

        signal_type = get("signaal_type", "").lower()
        if not signal_type:
            reasons.append("signaal_type ontbreekt.")
        elif signal_type not in SIGNAL_TYPES:
            reasons.append(f"signaal_type '{signal_type}' bestaat niet.")
        elif signal_type not in self.allowed_types:
            reasons.append(f"signaal_type '{signal_type}' hoort niet bij deze partner: {self._not_allowed}")

        crisis = _boolean(get("crisissignaal", ""), "crisissignaal", reasons)
        warm = _boolean(get("warme_overdracht", ""), "warme_overdracht", reasons)

        raw_amount = get("bedrag_achterstand", "")
        amount = parse_amount(raw_amount)
        if not raw_amount:
            reasons.append("bedrag_achterstand ontbreekt.")
        elif amount is None:
            reasons.append(
                f"bedrag_achterstand '{raw_amount}' is geen bedrag in euro's (bijvoorbeeld 1248,68 of 1.248,68)."
            )
        elif amount <= 0:
            reasons.append("bedrag_achterstand moet groter zijn dan 0.")
        elif amount > MAX_AMOUNT:
            reasons.append("bedrag_achterstand is hoger dan 1.000.000 euro.")

        arrears_since = self._date(get("datum_ontstaan", ""), "datum_ontstaan", reasons, required=True)
        signal_date = self._date(get("signaaldatum", ""), "signaaldatum", reasons, required=True)
        if arrears_since and signal_date and arrears_since > signal_date:
            reasons.append("datum_ontstaan ligt na de signaaldatum.")
        if signal_date and signal_date > self.received_on:
            reasons.append(f"signaaldatum ligt na de dag van ontvangst ({self.received_on:%d-%m-%Y}).")

        bsn = get("bsn", "")
        if bsn:
            normal = normalise_bsn(bsn)
            if normal is None:
                reasons.append("bsn is geen geldig burgerservicenummer (9 cijfers, elfproef).")
            bsn = normal or ""

        initials = _text(get("voorletters", ""), "voorletters", 20, reasons, required=False)
        prefix = _text(get("voorvoegsel", ""), "voorvoegsel", 10, reasons, required=False)
        surname = _text(get("achternaam", ""), "achternaam", 200, reasons, required=True)
        birth_date = self._date(get("geboortedatum", ""), "geboortedatum", reasons, required=False)
        if birth_date and birth_date > self.received_on:
            reasons.append("geboortedatum ligt in de toekomst.")
        street = _text(get("straat", ""), "straat", 200, reasons, required=True)

        raw_number = get("huisnummer", "")
        house_number = int(raw_number) if is_number(raw_number) else 0
        if not raw_number:
            reasons.append("huisnummer ontbreekt.")
        elif not (is_number(raw_number) and 1 <= house_number <= 99999):
            reasons.append(f"huisnummer '{raw_number}' is geen getal van 1 tot en met 99999.")

        # Upper case without spaces: '2 hg' and '2HG' are the same address.
        suffix = _text(
            get("huisnummertoevoeging", "").replace(" ", "").upper(),
            "huisnummertoevoeging",
            4,
            reasons,
            required=False,
        )

        raw_postcode = get("postcode", "")
        postcode = _normalise_postcode(raw_postcode) if raw_postcode else None
        if not raw_postcode:
            reasons.append("postcode ontbreekt.")
        elif postcode is None:
            reasons.append(f"postcode '{raw_postcode}' is geen Nederlandse postcode (1234 AB).")

        city = _text(get("woonplaats", ""), "woonplaats", 200, reasons, required=True)

        phone = get("telefoonnummer", "")
        if phone:
            normal_phone = normalise_phone(phone)
            if normal_phone is None:
                reasons.append(f"telefoonnummer '{phone}' is geen geldig telefoonnummer.")
            phone = normal_phone or ""

        email = get("email", "")
        if email:
            try:
                _email_validator(email)
            except ValidationError:
                reasons.append(f"email '{email}' is geen geldig e-mailadres.")

        code = get("gemeentecode", "")
        if not code:
            if self.default_municipality is None:
                reasons.append("gemeentecode ontbreekt; deze installatie bedient meer gemeenten.")
            code = self.default_municipality or ""
        if code and code not in self.municipality_codes:
            reasons.append(f"gemeentecode '{code}' hoort niet bij een gemeente waaraan u levert.")

        if reasons:
            return RowError(line, ref[:64], reasons)
        return ParsedRow(
            line,
            ref,
            signal_type,
            crisis,
            warm,
            amount,
            arrears_since,
            signal_date,
            bsn,
            initials,
            prefix,
            surname,
            birth_date,
            street,
            house_number,
            suffix,
            postcode or "",
            city,
            phone,
            email,
            code,
        )

    @staticmethod
    def _date(value: str, column: str, reasons: list[str], *, required: bool) -> date | None:
        if not value:
            if required:
                reasons.append(f"{column} ontbreekt.")
            return None
        parsed = _parse_date(value)
        if parsed is None:
            reasons.append(f"{column} '{value}' is geen datum (JJJJ-MM-DD of DD-MM-JJJJ).")
        return parsed


def read_signal_file(stream: BinaryIO, *, validator: RowValidator) -> Iterator[ParsedRow | RowError]:
    """Yield one outcome per data row; raise FileRefused for the file as a whole.

    The file is read by the one CSV reader of every upload (vroeg/csvfile.py: encoding,
    delimiter, quoting, blank lines, line numbers as the partner's editor shows them).
    """
    with CsvFile(
        stream,
        columns=ALL_COLUMNS,
        required=REQUIRED_COLUMNS,
        max_bytes=MAX_FILE_BYTES,
        too_big_hint="Lever het in delen aan.",
        unknown_column_hint=(
            "De gemeente mag alleen de gegevens uit het afgesproken formaat ontvangen; haal de kolom uit het bestand."
        ),
    ) as table:
        ref_index = table.columns.index("partner_referentie")
        for line in table:
            if line.values is None:
                ref = line.fields[ref_index].strip()[:64] if ref_index < len(line.fields) else ""
                yield RowError(line.line, ref, [line.problem])
            else:
                yield validator(line.line, line.values)
        if table.data_lines == 0:
            raise FileRefused("Het bestand bevat geen signalen: er staan geen regels onder de kopregel.")
