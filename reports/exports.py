"""Report tables as CSV (one table) or XLSX (every table, a sheet each); cells safe
against spreadsheet formula injection. The downloads of every report page (the
reports page, Bereik) go through table_download and workbook_download: audited alike
and named alike."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvexport import safe_cell

from .figures import Figure, Table


def _cell(value):
    return value if isinstance(value, (int, float)) else safe_cell(str(value))


def _xlsx_cell(sheet, value):
    """Numbers stay numbers in a spreadsheet: a percentage or a rate is its value,
    shown with its format (not the Dutch text of the page)."""
    if isinstance(value, Figure) and value.number is not None:
        cell = WriteOnlyCell(sheet, value=value.number)
        cell.number_format = value.excel_format
        return cell
    return _cell(value)


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
            sheet.append([_xlsx_cell(sheet, v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([_cell(str(table.note))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_name(municipality, period, suffix: str) -> str:
    return f"vroeg-{municipality.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{suffix}"


def table_download(request: HttpRequest, *, municipality, period, table: Table) -> HttpResponse:
    """One table as a CSV download, audited as an export of that table."""
    audit_log(
        municipality=municipality,
        action=AuditAction.EXPORT,
        request=request,
        object_type="reports.table",
        object_id=table.key,
        detail={"municipality": municipality.code, "period": period.label},
    )
    response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(municipality, period, table.key)}.csv"'
    return response


def workbook_download(
    request: HttpRequest, *, municipality, period, tables: list[Table], object_type: str, suffix: str
) -> HttpResponse:
    """Every table as a sheet of one workbook, audited as an export of `object_type`."""
    audit_log(
        municipality=municipality,
        action=AuditAction.EXPORT,
        request=request,
        object_type=object_type,
        object_id=municipality.code,
        detail={"period": period.label},
    )
    response = HttpResponse(tables_xlsx(tables, title=f"{municipality.name}, {period.label}"), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{download_name(municipality, period, suffix)}.xlsx"'
    return response
