"""Dutch normalisers: BSN, postcode, telephone number, surname and date, as every layer
reads them, and the keys a person is recognised by (cases/persons.py). Core: imports
no app."""

import re
import unicodedata
from datetime import date

from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode


def is_number(text: str) -> bool:
    """Only the digits 0-9 (str.isdigit() also accepts '²' and other digits that int()
    refuses, which would turn bad input into a crash)."""
    return text.isascii() and text.isdigit()


_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_NL = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")
_PHONE_CHARS = re.compile(r"[\s\-().]")


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD-MM-YYYY; None when it is neither or not a real date."""
    if m := _DATE_ISO.match(value):
        y, mo, d = m.groups()
    elif m := _DATE_NL.match(value):
        d, mo, y = m.groups()
    else:
        return None
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


def normalise_phone(value: str) -> str | None:
    """E.164 (+31612345678), or None when it is not a telephone number.

    Dutch numbers are 0 and nine digits; international numbers start with + or 00
    and have 8 to 15 digits.
    """
    digits = _PHONE_CHARS.sub("", value)
    if digits.startswith("+"):
        rest = digits[1:]
    elif digits.startswith("00"):
        rest = digits[2:]
    elif digits.startswith("0") and len(digits) == 10 and is_number(digits):
        return "+31" + digits[1:]
    else:
        return None
    if not is_number(rest) or not 8 <= len(rest) <= 15 or rest.startswith("0"):
        return None
    if rest.startswith("31") and len(rest) != 11:
        return None
    return "+" + rest


def normalise_bsn(value: str) -> str | None:
    """Nine digits (eight get a leading zero) that pass the elfproef (python-stdnum)."""
    if len(value) == 8:
        value = "0" + value
    if len(value) == 9 and is_number(value) and value != "000000000" and stdnum_bsn.checksum(value) == 0:
        return value
    return None


_POSTCODE_SHAPE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")


def normalise_postcode(value: str) -> str | None:
    """`1234AB` for a Dutch postcode as the contract writes it (four digits 1000–9999,
    optional space, two letters in any case); python-stdnum rejects the letter
    combinations that are never issued (SA, SD, SS)."""
    if not _POSTCODE_SHAPE.match(value):
        return None
    compact = value.replace(" ", "").upper()
    if not stdnum_postcode.is_valid(compact):
        return None
    return compact


def normalise_name(prefix: str, surname: str) -> str:
    """A surname (with its prefix) for matching: lower case, letters and digits only,
    accents removed ('de Vries', 'De  Vriës' → 'devries')."""
    name = unicodedata.normalize("NFKD", f"{prefix}{surname}".lower())
    return "".join(ch for ch in name if ch.isalnum())


def bsn_key(bsn: str) -> str:
    """The key a person is known by through their BSN."""
    return f"bsn:{bsn}"


def name_key(normalised_name: str, birth_date: date | None) -> str:
    """The key a person is known by through surname (with prefix, normalised) and birth
    date (which may be unknown)."""
    return f"name:{normalised_name}|{birth_date.isoformat() if birth_date else ''}"


def own_key(*, bsn: str, normalised_name: str, birth_date: date | None) -> str:
    """The key a signal is filed under: its BSN key, else its name key."""
    return bsn_key(bsn) if bsn else name_key(normalised_name, birth_date)
