"""Report tables as CSV (one table) or XLSX (every table, a sheet each); cells safe
against spreadsheet formula injection."""

import csv
import io

from openpyxl import Workbook

from vroeg.csvexport import safe_cell

from .figures import Table


def _cell(value):
    return value if isinstance(value, (int, float)) else safe_cell(str(value))


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_cell(c) for c in table.columns])
    writer.writerows([[_cell(v) for v in row] for row in table.rows])
    if table.note:
        writer.writerow([_cell(table.note)])
    return "\ufeff" + out.getvalue()


def tables_xlsx(tables: list[Table], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        sheet.append([_cell(str(table.title))])
        sheet.append([_cell(str(title))])
        sheet.append([])
        sheet.append([_cell(str(c)) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([_cell(str(table.note))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
