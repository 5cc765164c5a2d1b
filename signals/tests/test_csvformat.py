"""Every rule of Signaal-CSV v1 (docs/partners/signaal-csv-v1.md), without a database."""

import io
from datetime import date
from decimal import Decimal

import pytest

from signals.csvformat import (
    FileRefused,
    ParsedRow,
    RowError,
    RowValidator,
    parse_amount,
    read_signal_file,
)
from testkit.signal_files import VALID, csv_bytes, row
from vroeg.dutch import normalise_phone, parse_date

RECEIVED = date(2026, 11, 27)


def validator(**kwargs):
    options = {
        "allowed_types": {"huur"},  # a landlord (Bgs art. 2)
        "received_on": RECEIVED,
        "municipality_codes": {"9999"},
        "default_municipality": "9999",
    }
    return RowValidator(**{**options, **kwargs})


def read(data: bytes, **kwargs):
    return list(read_signal_file(io.BytesIO(data), validator=validator(**kwargs)))


def one(**changes):
    [outcome] = read(csv_bytes([row(**changes)]))
    return outcome


def reasons(**changes) -> str:
    outcome = one(**changes)
    assert isinstance(outcome, RowError), outcome
    return " ".join(outcome.reasons)


# --- values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1248,68", Decimal("1248.68")),
        ("1248.68", Decimal("1248.68")),
        ("1.248,68", Decimal("1248.68")),
        ("1,248.68", Decimal("1248.68")),
        ("1.000.000,00", Decimal("1000000.00")),
        ("75", Decimal("75")),
        ("75,5", Decimal("75.5")),
        ("1.248", None),  # thousands separator without the other decimal mark: 3 decimals
        ("1,248", None),
        ("1.248.68", None),
        ("1,248,68", None),
        ("€ 12", None),
        ("-5", None),
        ("12,345", None),
        ("", None),
        ("1 248,68", None),
    ],
)
def test_amount_formats(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-01", date(2026, 11, 1)),
        ("01-11-2026", date(2026, 11, 1)),
        ("2026-02-30", None),
        ("31-04-2026", None),
        ("1-11-2026", None),
        ("2026/11/01", None),
        ("01-11-26", None),
    ],
)
def test_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("06-12345678", "+31612345678"),
        ("0612345678", "+31612345678"),
        ("(020) 123 45 67", "+31201234567"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("061234567", None),
        ("+31 6 1234 567", None),
        ("bel mij", None),
        ("+0612345678", None),
    ],
)
def test_phone_numbers_are_stored_as_e164(text, expected):
    assert normalise_phone(text) == expected


def test_valid_row_is_normalised():
    outcome = one(postcode="1234 ab", huisnummertoevoeging="bis")
    assert isinstance(outcome, ParsedRow), outcome
    assert outcome.postcode == "1234AB"
    assert outcome.house_number_suffix == "BIS"
    assert outcome.amount == Decimal("1248.68")
    assert outcome.phone == "+31612345678"
    assert outcome.municipality_code == "9999"
    assert outcome.line == 2


def test_eight_digit_bsn_gets_a_leading_zero():
    # 012345672 passes the elfproef; partners' spreadsheets drop the leading zero.
    outcome = one(bsn="12345672")
    assert isinstance(outcome, ParsedRow)
    assert outcome.bsn == "012345672"


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"partner_referentie": ""}, "partner_referentie ontbreekt"),
        ({"partner_referentie": "x" * 65}, "langer dan 64"),
        ({"signaal_type": "lening"}, "signaal_type 'lening' bestaat niet"),
        (
            {"signaal_type": "hypotheek"},
            "signaal_type 'hypotheek' hoort niet bij deze partner: deze partner mag alleen huur leveren",
        ),
        ({"crisissignaal": "misschien"}, "crisissignaal 'misschien' is geen ja of nee"),
        ({"warme_overdracht": "2"}, "warme_overdracht '2' is geen ja of nee"),
        ({"bedrag_achterstand": ""}, "bedrag_achterstand ontbreekt"),
        ({"bedrag_achterstand": "veel"}, "geen bedrag"),
        ({"bedrag_achterstand": "0,00"}, "groter zijn dan 0"),
        ({"bedrag_achterstand": "1000000,01"}, "hoger dan 1.000.000"),
        ({"datum_ontstaan": "gisteren"}, "datum_ontstaan 'gisteren' is geen datum"),
        ({"datum_ontstaan": "2026-11-02"}, "datum_ontstaan ligt na de signaaldatum"),
        ({"signaaldatum": "2026-11-28"}, "signaaldatum ligt na de dag van ontvangst (27-11-2026)"),
        ({"signaaldatum": ""}, "signaaldatum ontbreekt"),
        ({"bsn": "123456789"}, "bsn is geen geldig burgerservicenummer"),
        ({"bsn": "12345"}, "bsn is geen geldig"),
        ({"voorletters": "A" * 21}, "voorletters is langer dan 20"),
        ({"voorvoegsel": "van der de la"}, "voorvoegsel is langer dan 10"),
        ({"achternaam": ""}, "achternaam ontbreekt"),
        ({"achternaam": "x" * 201}, "achternaam is langer dan 200"),
        ({"geboortedatum": "2026-11-28"}, "geboortedatum ligt in de toekomst"),
        ({"straat": ""}, "straat ontbreekt"),
        ({"huisnummer": "0"}, "huisnummer '0' is geen getal van 1 tot en met 99999"),
        ({"huisnummer": "100000"}, "huisnummer '100000'"),
        ({"huisnummer": "12a"}, "huisnummer '12a'"),
        ({"huisnummertoevoeging": "ABCDE"}, "huisnummertoevoeging is langer dan 4"),
        ({"postcode": "0123AB"}, "postcode '0123AB' is geen Nederlandse postcode"),
        ({"postcode": "1234 A"}, "geen Nederlandse postcode"),
        ({"postcode": "1234 SS"}, "geen Nederlandse postcode"),  # never issued
        ({"postcode": "NL-1234AB"}, "geen Nederlandse postcode"),  # not the contract's shape
        ({"postcode": "1234  AB"}, "geen Nederlandse postcode"),
        ({"bsn": "000000000"}, "bsn is geen geldig"),
        ({"woonplaats": ""}, "woonplaats ontbreekt"),
        ({"telefoonnummer": "12"}, "telefoonnummer '12' is geen geldig"),
        ({"email": "geen-adres"}, "email 'geen-adres' is geen geldig e-mailadres"),
        ({"gemeentecode": "0363"}, "gemeentecode '0363' hoort niet bij een gemeente"),
    ],
)
def test_every_rule_rejects_with_a_dutch_reason(changes, expected):
    assert expected in reasons(**changes)


def test_a_row_gets_every_reason_at_once():
    outcome = one(bedrag_achterstand="", postcode="x", straat="")
    assert len(outcome.reasons) == 3


def test_rejected_row_keeps_only_line_reference_and_reasons():
    outcome = one(bsn="123456789")
    assert set(vars(outcome) if hasattr(outcome, "__dict__") else outcome.__slots__) == {
        "line",
        "partner_referentie",
        "reasons",
    }


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ja", True),
        ("J", True),
        ("1", True),
        ("TRUE", True),
        ("nee", False),
        ("n", False),
        ("0", False),
        ("false", False),
        ("", False),
    ],
)
def test_booleans(value, expected):
    outcome = one(crisissignaal=value)
    assert outcome.crisis is expected


def test_extra_type_accepted_when_the_agreement_lists_it():
    [outcome] = read(csv_bytes([row(signaal_type="hypotheek")]), allowed_types={"hypotheek"})
    assert isinstance(outcome, ParsedRow)


# Bgs art. 2-5 and the contract's signaal_type: each kind of creditor its own signal.
SECTORS = {
    "Huur": ["huur"],  # art. 2, the landlord
    "Zorg": ["zorgverzekering"],  # art. 3, the health insurer
    "Water": ["drinkwater"],  # art. 4, the drinking-water company
    "Energie": ["elektra", "gas", "warmte"],  # art. 5, the energy supplier
}


@pytest.mark.parametrize("partner_type, own", SECTORS.items())
def test_a_partner_sends_only_the_bgs_types_of_its_own_sector(partner_type, own):
    from signals.models import allowed_signal_types

    six = ["huur", "drinkwater", "zorgverzekering", "elektra", "gas", "warmte"]
    # Even an agreement that lists all six allows only the sector's own.
    allowed = set(allowed_signal_types(partner_type, six))
    assert allowed == set(own)
    for signal_type in six:
        [outcome] = read(csv_bytes([row(signaal_type=signal_type.upper())]), allowed_types=allowed)
        if signal_type in own:
            assert isinstance(outcome, ParsedRow)
        else:
            assert isinstance(outcome, RowError)
            assert outcome.reasons == [
                f"signaal_type '{signal_type}' hoort niet bij deze partner: deze partner mag alleen "
                f"{', '.join(own)} leveren (de Bgs geeft elke soort schuldeiser een eigen signaal)."
            ]


def test_extra_types_only_when_the_agreement_lists_them():
    from signals.models import allowed_signal_types

    assert allowed_signal_types("Huur", ["huur"]) == ["huur"]
    assert allowed_signal_types("Huur", ["huur", "hypotheek"]) == ["huur", "hypotheek"]
    assert allowed_signal_types("Overige", ["overig", "gas"]) == ["overig"]  # gas: the energy sector's
    assert isinstance(
        read(csv_bytes([row(signaal_type="hypotheek")]), allowed_types={"huur", "hypotheek"})[0], ParsedRow
    )


def test_a_partner_without_types_is_told_to_contact_the_municipality():
    [outcome] = read(csv_bytes([row()]), allowed_types=set())
    assert outcome.reasons == [
        "signaal_type 'huur' hoort niet bij deze partner: deze partner mag (nog) geen signalen leveren; "
        "neem contact op met de gemeente."
    ]


def test_gemeentecode_required_when_several_municipalities_are_served():
    data = csv_bytes([row()])
    [outcome] = read(data, municipality_codes={"9999", "0363"}, default_municipality=None)
    assert "gemeentecode ontbreekt" in " ".join(outcome.reasons)
    [outcome] = read(
        csv_bytes([row(gemeentecode="0363")]),
        municipality_codes={"9999", "0363"},
        default_municipality=None,
    )
    assert outcome.municipality_code == "0363"


# --- the file ----------------------------------------------------------------------------


def test_comma_delimiter_lf_endings_and_quoting():
    data = csv_bytes([row(straat="Laan, Oost"), row(partner_referentie="REF-2")], delimiter=",", newline="\n")
    outcomes = read(data)
    assert [o.street for o in outcomes] == ["Laan, Oost", "Dorpsstraat"]


def test_utf8_without_bom_and_windows_1252():
    name = "Çelik-Öztürk"
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        [outcome] = read(csv_bytes([row(achternaam=name)], encoding=encoding))
        assert outcome.surname == name, encoding


def test_header_is_case_insensitive_in_any_order_with_spaces():
    columns = [f"  {c.upper()} " for c in reversed(list(VALID))]
    raw = ";".join(columns) + "\n" + ";".join(reversed(list(VALID.values()))) + "\n"
    [outcome] = read(raw.encode())
    assert isinstance(outcome, ParsedRow), outcome


def test_blank_lines_are_skipped_and_line_numbers_count_the_header_as_one():
    data = csv_bytes([row(), row(partner_referentie="REF-2", bsn="1")])
    text = data.decode("utf-8-sig").replace("\r\n", "\r\n\r\n", 1)  # blank line 2
    outcomes = read(text.encode())
    assert [o.line for o in outcomes] == [3, 4]
    assert isinstance(outcomes[1], RowError)


def test_wrong_number_of_fields_is_a_rejected_row():
    data = csv_bytes([row()]) + b"REF-9;huur\r\n"
    outcomes = read(data)
    assert isinstance(outcomes[1], RowError)
    assert outcomes[1].partner_referentie == "REF-9"
    assert "velden" in outcomes[1].reasons[0]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "er is geen kopregel"),
        (b"\r\n\r\n", "er is geen kopregel"),
        (csv_bytes([row()], columns=[c for c in VALID if c != "postcode"]), "Verplichte kolom ontbreekt: postcode"),
        (csv_bytes([{**row(), "inkomen": "1"}]), "Onbekende kolom: 'inkomen'"),
        (b"partner_referentie;Partner_Referentie\n", "meer dan eens"),
        (";".join(VALID).encode() + b"\r\n\r\n", "geen signalen"),
        (b"\x00\x01\x02binary", "geen tekstbestand"),
        (";".join(VALID).encode() + b"\n\x81\x8d\x8f\x90\x9d\n", "niet worden gelezen"),
    ],
)
def test_whole_file_refusals(data, message):
    with pytest.raises(FileRefused, match=message):
        read(data)


def test_file_over_50_mb_is_refused():
    big = io.BytesIO(b"x" * (50 * 1024 * 1024 + 1))
    with pytest.raises(FileRefused, match="groter dan 50 MB"):
        list(read_signal_file(big, validator=validator()))


def test_example_file_from_the_partner_docs_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "docs" / "partners" / "voorbeeld-signalen-energie.csv"
    outcomes = read(example.read_bytes(), allowed_types={"elektra", "gas", "warmte"})  # an energy supplier
    assert len(outcomes) == 25
    assert all(isinstance(o, ParsedRow) for o in outcomes)


def test_the_contracts_column_order_is_the_one_its_document_lists():
    """Files Vroeg writes in Signaal-CSV v1 (the API's JSON rows, an import profile's
    translation) put the columns in the order of the partners' guide's column table."""
    import re
    from pathlib import Path

    from signals.csvformat import ALL_COLUMNS, CONTRACT_ORDER

    guide = Path("docs/partners/signaal-csv-v1.md").read_text(encoding="utf-8")
    table = guide.split("| `partner_referentie` |", 1)[1].split("\n\n", 1)[0]
    listed = ["partner_referentie", *re.findall(r"^\| `([a-z_]+)` \|", table, re.M)]
    assert list(CONTRACT_ORDER) == listed
    assert sorted(CONTRACT_ORDER) == sorted(ALL_COLUMNS)
