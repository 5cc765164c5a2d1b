"""Rows delivered as JSON become a Signaal-CSV v1 file, so they go through exactly the
same intake as an uploaded file (UTF-8, ';', a header in the contract's order)."""

import csv
import io

from signals.csvformat import ALL_COLUMNS, CONTRACT_ORDER

MAX_ROWS = 100_000


class RowsRefused(Exception):
    """JSON rows that cannot be a Signaal-CSV v1 file; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cell(value, line: int, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str | int | float):
        return str(value)
    raise RowsRefused(f"Regel {line}, kolom {column}: de waarde moet tekst of een getal zijn.")


def rows_to_csv(rows) -> bytes:
    """The file these rows make: only the columns they use, in contract order. The
    first row is line 2 of the file, as in the report's line numbers."""
    if not isinstance(rows, list) or not rows:
        raise RowsRefused("Geef 'regels' mee: een lijst met ten minste één regel.")
    if len(rows) > MAX_ROWS:
        raise RowsRefused(f"Hoogstens {MAX_ROWS} regels per levering; lever de rest in een volgende levering.")
    used: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if not isinstance(row, dict):
            raise RowsRefused(f"Regel {number}: een regel is een object met kolomnamen als sleutels.")
        unknown = sorted(set(row) - set(ALL_COLUMNS))
        if unknown:
            raise RowsRefused(f"Regel {number}: onbekende kolom(men) {', '.join(unknown)} (zie Signaal-CSV v1).")
        used |= set(row)
    columns = [c for c in CONTRACT_ORDER if c in used]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for number, row in enumerate(rows, start=2):
        writer.writerow([_cell(row.get(c), number, c) for c in columns])
    return out.getvalue().encode("utf-8")
