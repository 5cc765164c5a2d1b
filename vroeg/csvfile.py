"""One CSV reader for every upload: a partner's delivery (Signaal-CSV v1), the LAA list
and the register of debt-help clients. Each follows the same rules:

- Encoding: UTF-8 (with or without BOM), else Windows-1252; a file with nul bytes, or
  one that is neither, is refused.
- Delimiter: `;` or `,`, whichever the header line holds more of (`;` on a tie).
- Quoting as RFC 4180. A quoted field must be followed by a delimiter or the line's
  end: that line is rejected, the others are read. A quote that is never closed
  would swallow the rest of the file: the file is refused.
- Blank lines (before the header too) are skipped; line numbers count them, so they
  match what the sender sees in an editor (a record spanning lines: where it starts).
- The header is trimmed and lower-cased. A column named twice, a column the format
  does not know, or a missing required column refuses the file, naming the column.
- A line with more or fewer fields than the header is rejected with both counts; it
  is never padded or cut.
- Nothing is cut short: a field of any length is read (the file's size limit bounds
  it) and the caller rejects a value longer than its column allows.
- A file bigger than its limit is refused before anything is read.

An import profile (signals/profiles.py) reads someone else's layout with the same
reader, saying what it knows instead of letting the reader detect it: the encoding,
the delimiter and the line of the header (title lines above it are passed over); it
checks the columns itself.
"""

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

# Python's csv module refuses fields over 131,072 characters with an error that
# would end the whole read; every upload has a size limit well below this one, so a
# long field is read and then rejected as too long by the format's own rule.
MAX_FIELD_CHARS = 64 * 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))

_SHOWN = 40  # characters of an unknown column name repeated in a message
NUL_BYTES = "Het bestand is geen tekstbestand (het bevat nul-bytes)."


class FileRefused(Exception):
    """The file as a whole breaks its format; nothing of it may be stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(slots=True, frozen=True)
class CsvLine:
    """One data line: `values` by column, or `problem` (in Dutch) when it cannot be
    read as a row of the file; `fields` holds what was read either way."""

    line: int
    fields: tuple[str, ...]
    values: dict[str, str] | None
    problem: str = ""


def _refuse_nul_bytes(stream: BinaryIO) -> None:
    """No text file holds nul bytes (a UTF-16 file or a spreadsheet does): refused."""
    stream.seek(0)
    while chunk := stream.read(1 << 20):
        if b"\x00" in chunk:
            raise FileRefused(NUL_BYTES)


def detect_encoding(stream: BinaryIO) -> str:
    """'utf-8-sig' if the whole stream is valid UTF-8 (with or without BOM), else
    'cp1252' if it decodes as Windows-1252; refused otherwise. Reads in chunks."""
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(1 << 20):
            if b"\x00" in chunk:
                raise FileRefused(NUL_BYTES)
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    stream.seek(0)
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        while chunk := stream.read(1 << 20):
            if b"\x00" in chunk:
                raise FileRefused(NUL_BYTES)
            decoder.decode(chunk)
        return "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "Het bestand kan niet worden gelezen: het is geen UTF-8 en geen Windows-1252 "
            f"(onleesbaar teken op positie {exc.start})."
        ) from exc


def _listed(names: list[str], limit: int = 10) -> str:
    """'a', 'b', 'c'; past `limit` names, the first ones and "en 999.990 andere"."""
    shown = ", ".join(_shown(n) for n in names[:limit])
    rest = len(names) - limit
    return f"{shown} en {rest:_} andere".replace("_", ".") if rest > 0 else shown


def _shown(name: str) -> str:
    if not name:
        return "(lege kolomnaam)"
    return f"'{name[:_SHOWN]}…'" if len(name) > _SHOWN else f"'{name}'"


class CsvFile:
    """Reads `stream` by the rules above. Opening checks the size, the encoding and the
    header; iterating yields a `CsvLine` per non-blank data line. Close it (or use it
    as a context manager) to give the stream back."""

    def __init__(
        self,
        stream: BinaryIO,
        *,
        columns: Sequence[str] | None,
        required: Sequence[str] = (),
        max_bytes: int,
        too_big_hint: str = "",
        unknown_column_hint: str = "",
        encoding: str | None = None,
        delimiter: str | None = None,
        header_line: int | None = None,
    ):
        """`columns` None: the caller checks the header itself. `encoding`, `delimiter`
        and `header_line` (1-based, counting every line) None: detected, and the first
        non-blank line."""
        stream.seek(0, io.SEEK_END)
        if stream.tell() > max_bytes:
            raise FileRefused(f"Het bestand is groter dan {max_bytes // (1024 * 1024)} MB. {too_big_hint}".strip())
        if encoding is None:
            encoding = detect_encoding(stream)
        else:
            try:
                codecs.lookup(encoding)
            except LookupError as exc:
                raise FileRefused(f"Onbekende tekenset: {encoding}.") from exc
            _refuse_nul_bytes(stream)
        self.encoding = encoding
        stream.seek(0)
        self._text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        try:
            self._header_line, self.columns, self.delimiter = self._read_header(delimiter, header_line)
            if columns is not None:
                self._check_columns(columns, required, unknown_column_hint)
        except BaseException:
            self.close()
            raise
        self.data_lines = 0

    def __enter__(self) -> "CsvFile":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if not self._text.closed:
            self._text.detach()

    def _readline(self) -> str:
        try:
            return self._text.readline()
        except UnicodeDecodeError as exc:
            raise FileRefused(f"Het bestand is niet in de tekenset {self.encoding} geschreven.") from exc

    def _read_header(self, delimiter: str | None, header_line: int | None) -> tuple[int, list[str], str]:
        line = 0
        while True:
            raw = self._readline()
            if not raw:
                if header_line is not None:
                    raise FileRefused(f"Het bestand heeft geen regel {header_line}; daar hoort de kopregel te staan.")
                raise FileRefused("Het bestand is leeg: er is geen kopregel.")
            line += 1
            if header_line is not None and line < header_line:
                continue
            if raw.strip():
                break
            if header_line is not None:
                raise FileRefused(f"Regel {header_line} bevat geen kolomnamen; daar hoort de kopregel te staan.")
        delimiter = delimiter or (";" if raw.count(";") >= raw.count(",") else ",")
        try:
            names = next(csv.reader([raw], delimiter=delimiter, strict=True))
        except csv.Error as exc:
            raise FileRefused(f"De kopregel kan niet worden gelezen ({exc}).") from exc
        return line, [name.strip().lower() for name in names], delimiter

    def _check_columns(self, allowed: Sequence[str], required: Sequence[str], hint: str) -> None:
        seen: set[str] = set()
        doubles = sorted({n for n in self.columns if n in seen or seen.add(n)})
        if doubles:
            raise FileRefused(f"Kolom staat meer dan eens in de kopregel: {_listed(doubles)}.")
        unknown = [n for n in self.columns if n not in allowed]
        if unknown:
            label = "Onbekende kolom" if len(unknown) == 1 else "Onbekende kolommen"
            message = f"{label}: {_listed(unknown)}."
            raise FileRefused(f"{message} {hint}".strip())
        missing = [c for c in required if c not in self.columns]
        if missing:
            raise FileRefused(f"Verplichte kolom ontbreekt: {', '.join(missing)}.")

    def __iter__(self) -> Iterator[CsvLine]:
        reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)
        width = len(self.columns)
        line = self._header_line
        while True:
            start = line + 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise FileRefused(f"Het bestand is niet in de tekenset {self.encoding} geschreven.") from exc
            except csv.Error as exc:
                line = self._header_line + reader.line_num
                if "unexpected end of data" in str(exc):
                    raise FileRefused(
                        f"Regel {start}: een aanhalingsteken wordt niet gesloten, waardoor de rest van "
                        "het bestand in één veld zou vallen. Het bestand is niet verwerkt."
                    ) from exc
                self.data_lines += 1
                yield CsvLine(
                    start,
                    (),
                    None,
                    "De regel kan niet worden gelezen: na een afsluitend aanhalingsteken moet een "
                    "scheidingsteken of het einde van de regel staan.",
                )
                continue
            line = self._header_line + reader.line_num
            if not record or all(not field.strip() for field in record):
                continue
            self.data_lines += 1
            if len(record) != width:
                yield CsvLine(
                    start,
                    tuple(record),
                    None,
                    f"De regel heeft {len(record)} velden; de kopregel heeft er {width}.",
                )
                continue
            yield CsvLine(start, tuple(record), {n: v.strip() for n, v in zip(self.columns, record, strict=True)})
