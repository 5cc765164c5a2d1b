"""Reading a file in someone else's layout through an import profile (ADR 0015).

`translate` reads the source file (CSV or .xlsx, streamed) as the profile describes it
and writes, per partner found in it, a Signaal-CSV v1 file: the contract's columns,
values converted to the contract's formats (dates, amounts, mapped values). Each row
is written on the line number it had in the source file (the lines in between stay
blank, which the v1 reader skips but counts), so the intake engine judges the rows by
the contract and every line number in its report is the source file's.

Columns marked "niet inlezen" are never read into the translation, so never stored. A
column the profile does not know refuses the whole file, naming it. A line that no
partner's delivery can take (an unknown partner value, a line that cannot be read)
is returned as a rejected line of the import itself. A field the file has no column
for can have one fixed value for every row (the profile's constants).

The translated files are written to temporary files (kept in memory only while
small), so a file of 100,000 rows is never held whole in memory: the source is read
row by row, each row is written out, and the intake engine reads the result as it
reads an upload.
"""

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from vroeg.csvfile import CsvFile, FileRefused

from .csvformat import CONTRACT_ORDER, MAX_FILE_BYTES, REQUIRED_COLUMNS
from .models import NOT_READ, FileKind, ImportProfile

DATE_FIELDS = ("datum_ontstaan", "signaaldatum", "geboortedatum")
AMOUNT_FIELD = "bedrag_achterstand"
# The fields a profile may give one fixed value for every row: what describes the
# source (its sector, a crisis or warm-handover flag, the town or municipality it
# serves), never the signal's reference, the debt or the person.
CONSTANT_FIELDS = ("signaal_type", "crisissignaal", "warme_overdracht", "woonplaats", "gemeentecode")
# A translated file stays in memory up to this size, then moves to a temporary file.
SPOOL_BYTES = 256 * 1024
_SHOWN = 40


@dataclass(slots=True)
class SourceRow:
    line: int
    values: dict[str, object] | None  # by source column (lower case); None: unreadable
    problem: str = ""


@dataclass
class Translation:
    """The v1 file per partner code (a temporary file, read from the start), and the
    lines no partner's delivery takes (`rejected`: (line, reasons)). Only for the
    preview (`translate(limit=...)`): the source lines of each partner and the rows as
    read. Close it (or use it as a context manager) to remove the temporary files."""

    files: dict[str, BinaryIO] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    rejected: list[tuple[int, list[str]]] = field(default_factory=list)
    rows: int = 0
    values: dict[int, dict[str, str]] = field(default_factory=dict)  # the preview's rows, by line

    def close(self) -> None:
        for file in self.files.values():
            file.close()

    def __enter__(self) -> "Translation":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def norm(name: object) -> str:
    return str(name if name is not None else "").strip().lower()


def _shown(name: str) -> str:
    if not name:
        return "(lege kolomnaam)"
    return f"'{name[:_SHOWN]}…'" if len(name) > _SHOWN else f"'{name}'"


def human_date_format(fmt: str) -> str:
    """%d-%m-%Y → DD-MM-JJJJ, for messages."""
    for code, shown in (("%d", "DD"), ("%m", "MM"), ("%Y", "JJJJ"), ("%y", "JJ")):
        fmt = fmt.replace(code, shown)
    return fmt


# -- reading the source -------------------------------------------------------------


def _csv_rows(profile: ImportProfile, stream: BinaryIO) -> tuple[list[str], Iterator[SourceRow]]:
    """The project's one CSV reader (vroeg/csvfile.py) with what the profile knows: its
    encoding (or detected), delimiter and header line; the columns `_check_header` checks."""
    source = CsvFile(
        stream,
        columns=None,
        max_bytes=MAX_FILE_BYTES,
        too_big_hint="Lever het in delen aan.",
        encoding=profile.encoding or None,
        delimiter=profile.delimiter or ";",
        header_line=profile.header_row,
    )

    def rows() -> Iterator[SourceRow]:
        with source:
            for line in source:
                yield SourceRow(line.line, line.values, line.problem)

    return source.columns, rows()


def _xlsx_rows(profile: ImportProfile, stream: BinaryIO) -> tuple[list[str], Iterator[SourceRow]]:
    from openpyxl import load_workbook  # only when an Excel file comes in

    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a zip or XML error: not a workbook
        raise FileRefused("Het bestand is geen Excel-bestand (.xlsx) of het is beschadigd.") from exc
    try:
        sheet = _sheet(profile, book)
    except FileRefused:
        book.close()
        raise
    cells = enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
    header: list[str] | None = None
    for number, values in cells:
        if number == profile.header_row:
            header = [norm(v) for v in values]
            break
    while header and not header[-1]:  # empty cells right of the last column name
        header.pop()
    if not header:
        book.close()
        raise FileRefused(f"Rij {profile.header_row} bevat geen kolomnamen; daar verwacht het profiel de kopregel.")

    def rows() -> Iterator[SourceRow]:
        width = len(header)
        try:
            for number, values in cells:
                filled = [v for v in values if v is not None and str(v).strip()]
                if not filled:
                    continue
                extra = [v for v in values[width:] if v is not None and str(v).strip()]
                if extra:
                    yield SourceRow(number, None, f"De rij heeft waarden rechts van de laatste kolom ({width}).")
                    continue
                padded = list(values[:width]) + [None] * (width - len(values[:width]))
                yield SourceRow(number, dict(zip(header, padded, strict=True)))
        finally:
            book.close()

    return header, rows()


def _sheet(profile: ImportProfile, book):
    """The profile's sheet (its name as Excel shows it; case does not matter, as in
    Excel), or the first; refused naming the sheets the workbook does have."""
    sheets = book.worksheets  # sheets with cells (not chart sheets), in the workbook's order
    names = ", ".join(_shown(s.title) for s in sheets) or "geen"
    if not profile.sheet:
        if not sheets:
            raise FileRefused("Het Excel-bestand heeft geen werkblad met cellen.")
        return sheets[0]
    wanted = profile.sheet.strip().casefold()
    for sheet in sheets:
        if sheet.title.strip().casefold() == wanted:
            return sheet
    raise FileRefused(
        f"Het werkblad {_shown(profile.sheet)} staat niet in het bestand; het profiel '{profile.name}' leest "
        f"dat werkblad. Werkbladen in het bestand: {names}."
    )


def _check_header(profile: ImportProfile, header: list[str]) -> None:
    seen: set[str] = set()
    doubles = sorted({n for n in header if n in seen or seen.add(n)})
    if doubles:
        raise FileRefused(f"Kolom staat meer dan eens in de kopregel: {', '.join(_shown(n) for n in doubles)}.")
    known = set(profile.columns) | ({profile.partner_column} if profile.partner_column else set())
    unknown = [n for n in header if n not in known]
    if unknown:
        label = "Onbekende kolom" if len(unknown) == 1 else "Onbekende kolommen"
        raise FileRefused(
            f"{label}: {', '.join(_shown(n) for n in unknown)}. Het profiel '{profile.name}' kent "
            "deze kolom niet; neem hem op in het profiel (als veld of als 'niet inlezen') of haal hem uit het bestand."
        )
    for source, target in profile.columns.items():
        if target in REQUIRED_COLUMNS and source not in header:
            raise FileRefused(f"Verplichte kolom ontbreekt: {_shown(source)} (voor {target}).")
    if profile.partner_column and profile.partner_column not in header:
        raise FileRefused(f"De kolom met de partner ontbreekt: {_shown(profile.partner_column)}.")


# -- converting values --------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())  # no line breaks: one row, one line


def _date(profile: ImportProfile, value: object, raw: str) -> str:
    if isinstance(value, datetime | date):
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    try:
        return datetime.strptime(raw, profile.date_format).date().isoformat()
    except ValueError:
        return f"{raw} (verwacht {human_date_format(profile.date_format)})"


def _amount(profile: ImportProfile, value: object, raw: str) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(Decimal(repr(value)) if isinstance(value, float) else value)
    mark = profile.decimal_separator
    group = "." if mark == "," else ","
    grouped = rf"^\d{{1,3}}(?:{re.escape(group)}\d{{3}})+(?:{re.escape(mark)}\d+)?$"
    plain = rf"^\d+(?:{re.escape(mark)}\d+)?$"
    if re.match(grouped, raw) or re.match(plain, raw):
        return raw.replace(group, "").replace(mark, ".")
    return f"{raw} (verwacht decimaalteken '{mark}')"


def _value_maps(profile: ImportProfile) -> dict[str, dict[str, str]]:
    return {f: {norm(k): str(v) for k, v in m.items()} for f, m in (profile.value_maps or {}).items()}


def translate_row(profile: ImportProfile, values: dict[str, object], maps=None) -> dict[str, str]:
    """One source row as a Signaal-CSV v1 row (contract field → value); columns marked
    "niet inlezen" are left out, the profile's fixed values are added."""
    maps = _value_maps(profile) if maps is None else maps
    row: dict[str, str] = {str(f): str(v) for f, v in (profile.constants or {}).items()}
    for source, target in profile.columns.items():
        if target == NOT_READ or source not in values:
            continue
        value = values[source]
        raw = _text(value)
        mapped = maps.get(target, {}).get(norm(raw))
        if mapped is not None:
            row[target] = mapped
        elif raw and target in DATE_FIELDS:
            row[target] = _date(profile, value, raw)
        elif raw and target == AMOUNT_FIELD:
            row[target] = _amount(profile, value, raw)
        else:
            row[target] = raw
    return row


# -- the whole file -----------------------------------------------------------------


def source_rows(profile: ImportProfile, stream: BinaryIO) -> Iterator[SourceRow]:
    """The data rows of the source file, refused as a whole when its size or header
    breaks the profile (FileRefused)."""
    stream.seek(0, io.SEEK_END)
    if stream.tell() > MAX_FILE_BYTES:
        raise FileRefused(f"Het bestand is groter dan {MAX_FILE_BYTES // (1024 * 1024)} MB. Lever het in delen aan.")
    reader = _xlsx_rows if profile.file_kind == FileKind.XLSX else _csv_rows
    header, rows = reader(profile, stream)
    _check_header(profile, header)
    return rows


class _Utf8:
    """What csv.writer writes to: text, encoded straight into the binary file."""

    def __init__(self, file: BinaryIO):
        self.file = file

    def write(self, text: str) -> None:
        self.file.write(text.encode("utf-8"))


class _V1Writer:
    """A Signaal-CSV v1 file (UTF-8) whose rows stand on their source line numbers,
    written as it goes to a temporary file; `lines` records them only when asked."""

    def __init__(self, *, keep_lines: bool):
        self.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115  (Translation closes it)
        self.writer = csv.writer(_Utf8(self.file), delimiter=";", lineterminator="\n")
        self.writer.writerow(CONTRACT_ORDER)
        self.at = 1
        self.lines: list[int] | None = [] if keep_lines else None

    def write(self, line: int, row: dict[str, str]) -> None:
        self.file.write(b"\n" * (line - 1 - self.at))
        self.writer.writerow([row.get(c, "") for c in CONTRACT_ORDER])
        self.at = line
        if self.lines is not None:
            self.lines.append(line)

    def finished(self) -> BinaryIO:
        self.file.seek(0)
        return self.file


def translate(
    profile: ImportProfile,
    stream: BinaryIO,
    *,
    partner_code_of: Callable[[str], str | None],
    limit: int | None = None,
) -> Translation:
    """Read `stream` through `profile` into one v1 file per partner code.

    `partner_code_of` answers the partner code of a partner column's value, or None when
    the profile maps the value to no known partner. With `limit`, only the first data
    rows are read (the preview), and the rows and their lines are kept. Raises
    FileRefused for the file as a whole. The caller closes the result."""
    result = Translation()
    writers: dict[str, _V1Writer] = {}
    try:
        _translate(profile, stream, partner_code_of, limit, result, writers)
    except BaseException:
        for writer in writers.values():
            writer.file.close()
        raise
    for code, writer in writers.items():
        result.files[code] = writer.finished()
        if writer.lines is not None:
            result.lines[code] = writer.lines
    return result


def _translate(profile, stream, partner_code_of, limit, result: Translation, writers: dict[str, "_V1Writer"]) -> None:
    maps = _value_maps(profile)
    fixed = profile.partner.code if profile.partner_id else None
    for source in source_rows(profile, stream):
        if limit is not None and result.rows >= limit:
            break
        result.rows += 1
        if source.values is None:
            result.rejected.append((source.line, [source.problem]))
            continue
        code = fixed
        if code is None:
            value = _text(source.values.get(profile.partner_column))
            if not value:
                result.rejected.append((source.line, [f"De kolom {_shown(profile.partner_column)} is leeg."]))
                continue
            code = partner_code_of(value)
            if code is None:
                result.rejected.append(
                    (
                        source.line,
                        [
                            f"Onbekende partner '{value[:_SHOWN]}' in kolom {_shown(profile.partner_column)}: "
                            f"het profiel '{profile.name}' koppelt deze waarde aan geen partner."
                        ],
                    )
                )
                continue
        writer = writers.get(code) or writers.setdefault(code, _V1Writer(keep_lines=limit is not None))
        row = translate_row(profile, source.values, maps)
        writer.write(source.line, row)
        if limit is not None:
            result.values[source.line] = row
    if result.rows == 0:
        raise FileRefused("Het bestand bevat geen signalen: er staan geen regels onder de kopregel.")
