"""Every upload reads CSV by the same rules (vroeg/csvfile.py): a partner's delivery,
the LAA list and the register of debt-help clients. The same flaw in each file gets
the same verdict: the file refused with the same Dutch words, or the one line rejected
with the same reason and the other lines read. Never a crash, never a cut value."""

import io
from dataclasses import dataclass, field

import pytest
from django.core.management import CommandError, call_command

from cases.laa import laa_import
from cases.models import AddressInvestigation, DebtHelpClient
from signals.models import DeliveryStatus
from testkit.signal_files import VALID, deliver
from vroeg.csvfile import FileRefused

pytestmark = pytest.mark.django_db

LONG = "x" * 200_000  # longer than Python's csv module reads by default (131,072)


@dataclass
class Verdict:
    refused: str = ""
    read: int = 0
    rejected: dict[int, str] = field(default_factory=dict)  # line → its reasons, joined


def _partner(partner, municipality, admin, tmp_path, data: bytes) -> Verdict:
    delivery = deliver(partner, data)
    if delivery.status == DeliveryStatus.REFUSED:
        return Verdict(refused=delivery.refusal_reason)
    assert delivery.status == DeliveryStatus.DONE
    rejected = {r.line_number: " ".join(r.reasons) for r in delivery.rejected_lines.all()}
    return Verdict(read=delivery.accepted_count, rejected=rejected)


def _laa(partner, municipality, admin, tmp_path, data: bytes) -> Verdict:
    try:
        result = laa_import(user=admin, municipality=municipality, stream=io.BytesIO(data))
    except FileRefused as refusal:
        assert not AddressInvestigation.objects.exists()
        return Verdict(refused=refusal.message)
    return Verdict(read=result.accepted, rejected={line: " ".join(reasons) for line, reasons in result.rejected})


def _register(partner, municipality, admin, tmp_path, data: bytes) -> Verdict:
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    out = io.StringIO()
    try:
        call_command("import_debt_help_register", str(path), municipality=municipality.code, stdout=out)
    except CommandError as refusal:
        assert not DebtHelpClient.objects.exists()
        return Verdict(refused=str(refusal))
    skipped = {}
    for text in out.getvalue().splitlines():
        if text.startswith("regel "):
            number, reason = text.removeprefix("regel ").split(" overgeslagen: ", 1)
            skipped[int(number)] = reason
    return Verdict(read=DebtHelpClient.objects.count(), rejected=skipped)


# Each upload: its reader, a valid two-line file as columns and rows, and the column
# that holds free text (made too long, or given a stray quote, in the flawed files).
SIGNAL_ROWS = [dict(VALID), {**VALID, "partner_referentie": "REF-2", "bsn": "", "huisnummer": "14"}]
UPLOADS = {
    "partner": (_partner, list(VALID), SIGNAL_ROWS, "achternaam"),
    "laa": (
        _laa,
        ["laa_referentie", "postcode", "huisnummer", "straat", "woonplaats", "signaaldatum"],
        [
            {
                "laa_referentie": "LAA-1",
                "postcode": "1234 AB",
                "huisnummer": "12",
                "straat": "Dorpsstraat",
                "woonplaats": "Voorbeeldstad",
                "signaaldatum": "2026-11-10",
            },
            {
                "laa_referentie": "LAA-2",
                "postcode": "1234 AB",
                "huisnummer": "14",
                "straat": "Dorpsstraat",
                "woonplaats": "Voorbeeldstad",
                "signaaldatum": "2026-11-10",
            },
        ],
        "straat",
    ),
    "register": (
        _register,
        ["bsn", "achternaam", "geboortedatum", "postcode", "huisnummer"],
        [
            {"bsn": "999999990", "achternaam": "Vries", "geboortedatum": "", "postcode": "", "huisnummer": ""},
            {
                "bsn": "",
                "achternaam": "Bakker",
                "geboortedatum": "1970-01-01",
                "postcode": "1234 AB",
                "huisnummer": "14",
            },
        ],
        "achternaam",
    ),
}


def _file(columns, rows, *, delimiter=";", encoding="utf-8", lines_before="", raw_last="") -> bytes:
    def quoted(value: str) -> str:
        return f'"{value}"' if delimiter in value else value

    lines = [delimiter.join(columns)] + [delimiter.join(quoted(r[c]) for c in columns) for r in rows]
    if raw_last:
        lines[-1] = raw_last
    return (lines_before + "\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture(params=sorted(UPLOADS))
def upload(request, partner, municipality, functional_admin, tmp_path):
    read, columns, rows, text_column = UPLOADS[request.param]
    return lambda data: read(partner, municipality, functional_admin, tmp_path, data), columns, rows, text_column


def test_windows_1252_and_a_comma_are_read_like_utf8_and_a_semicolon(upload):
    read, columns, rows, text = upload
    rows = [{**rows[0], text: f"{rows[0][text]}é"}, rows[1]]
    assert read(_file(columns, rows, delimiter=",", encoding="cp1252")) == Verdict(read=2)


def test_a_line_with_a_field_too_many_is_rejected_with_its_editor_line_number(upload):
    read, columns, rows, _ = upload
    extra = ";".join(rows[1][c] for c in columns) + ";te veel"
    verdict = read(_file(columns, rows, lines_before="\r\n", raw_last=extra))
    want = f"De regel heeft {len(columns) + 1} velden; de kopregel heeft er {len(columns)}."
    assert verdict == Verdict(read=1, rejected={4: want})  # blank line 1, header 2, rows 3 and 4


def test_a_field_of_200_000_characters_rejects_its_line_and_nothing_is_cut(upload):
    read, columns, rows, text = upload
    verdict = read(_file(columns, [rows[0], {**rows[1], text: LONG}]))
    assert verdict.read == 1 and list(verdict.rejected) == [3]
    assert "langer dan" in verdict.rejected[3]


def test_text_after_a_closing_quote_rejects_that_line_only(upload):
    read, columns, rows, text = upload
    broken = ";".join(f'"{rows[1][c]}"x' if c == text else rows[1][c] for c in columns)
    verdict = read(_file(columns, rows, raw_last=broken))
    assert verdict.read == 1 and "na een afsluitend aanhalingsteken" in verdict.rejected[3]


def test_a_quote_that_never_closes_refuses_the_file_instead_of_swallowing_lines(upload):
    read, columns, rows, text = upload
    broken = [{**rows[0], text: '"' + rows[0][text]}, rows[1]]
    verdict = read(_file(columns, broken))
    assert verdict.refused.startswith("Regel 2: een aanhalingsteken wordt niet gesloten")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (lambda cols: cols + [cols[0]], "Kolom staat meer dan eens in de kopregel:"),
        (lambda cols: cols + ["iban"], "Onbekende kolom: 'iban'."),
        (lambda cols: cols + ["k" * 500], "Onbekende kolom: 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…'."),
    ],
)
def test_a_header_the_format_does_not_allow_refuses_the_file_naming_the_column(upload, header, message):
    read, columns, rows, _ = upload
    wide = header(list(columns))
    data = (";".join(wide) + "\r\n" + ";".join(rows[0].get(c, "") for c in wide) + "\r\n").encode()
    assert message in read(data).refused


def test_a_header_of_200_000_unknown_columns_gets_a_short_reason(upload):
    read, columns, rows, _ = upload
    extra = [f"k{i}" for i in range(200_000)]
    data = (";".join(list(columns) + extra) + "\r\n" + ";".join(rows[0].values()) + "\r\n").encode()
    reason = read(data).refused
    assert reason.startswith("Onbekende kolommen: 'k0', 'k1', 'k2'") and "'k9' en 199.990 andere." in reason
    assert len(reason) < 400


def test_a_file_with_nul_bytes_is_refused(upload):
    read, columns, rows, _ = upload
    assert read(_file(columns, rows) + b"\x00").refused == "Het bestand is geen tekstbestand (het bevat nul-bytes)."


def test_a_superscript_house_number_rejects_its_line_instead_of_crashing(upload):
    """'²'.isdigit() is true, int('²') is an error: it failed a whole partner delivery."""
    read, columns, rows, _ = upload
    verdict = read(_file(columns, [rows[0], {**rows[1], "huisnummer": "²"}]))
    assert verdict.read == 1 and list(verdict.rejected) == [3]


def test_a_windows_1252_file_with_a_nul_byte_is_refused_too(upload):
    read, columns, rows, text = upload
    data = _file(columns, [{**rows[0], text: f"{rows[0][text]}é"}, rows[1]], encoding="cp1252")
    assert read(data + b"\x00").refused == "Het bestand is geen tekstbestand (het bevat nul-bytes)."
