"""The team lead's report "Bereik" (reports/reach.py): the page with its chart and
tables, each table as CSV and all of them as one Excel workbook; every read audited as
the other reports are."""

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from outreach.reach import SUGGESTION_MIN_ATTEMPTS, SUGGESTION_MONTHS
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.selectors import municipalities_for_user
from vroeg.replica import reads_from_replica

from .exports import table_download, workbook_download
from .forms import ReportForm, report_form
from .reach import MASKED, SMALL, reach_chart, reach_report, sources


def _form(request: HttpRequest) -> ReportForm:
    municipalities = municipalities_for_user(user=request.user).order_by("name")
    return report_form(data=request.GET, municipalities=municipalities)


def _tables(request: HttpRequest):
    form = _form(request)
    if not form.is_valid():
        return form, None, None, None
    municipality, period = form.cleaned_data["municipality"], form.period_chosen()
    return form, municipality, period, reach_report(municipality, period, today=timezone.localdate())


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def reach_page(request: HttpRequest) -> HttpResponse:
    form, municipality, period, tables = _tables(request)
    if tables:
        audit_log(
            municipality=municipality,
            action=AuditAction.VIEW,
            request=request,
            object_type="reports.reach",
            object_id=municipality.code,
            detail={"period": period.label},
        )
    return render(
        request,
        "reports/reach.html",
        {
            "form": form,
            "municipality": municipality,
            "period": period,
            "tables": tables,
            "chart": reach_chart(tables) if tables else None,
            "sources": sources(),
            "small": SMALL,
            "masked": MASKED,
            "suggestion_min": SUGGESTION_MIN_ATTEMPTS,
            "suggestion_months": SUGGESTION_MONTHS,
            "query": request.GET.urlencode(),
        },
    )


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def reach_csv(request: HttpRequest, key: str) -> HttpResponse:
    form, municipality, period, tables = _tables(request)
    table = next((t for t in tables or [] if t.key == key), None)
    if table is None:
        raise Http404
    return table_download(request, municipality=municipality, period=period, table=table)


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def reach_xlsx(request: HttpRequest) -> HttpResponse:
    form, municipality, period, tables = _tables(request)
    if tables is None:
        raise Http404
    return workbook_download(
        request,
        municipality=municipality,
        period=period,
        tables=tables,
        object_type="reports.reach_workbook",
        suffix="bereik",
    )
