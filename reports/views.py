"""The team lead's pages: the team dashboard, and reports (figures per municipality and
period, a chart, downloads, the DDAS delivery)."""

import io
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.selectors import municipalities_for_user
from vroeg.replica import reads_from_replica

from .chart import stacked_bars
from .ddas.calls import ddas_calls_recent
from .ddas.export import DdasConfigurationError, ddas_export
from .exports import table_download, workbook_download
from .figures import report
from .forms import ReportForm, report_form
from .team import team_overview


@permission_required("accounts.lead_team", raise_exception=True)
def team_dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request, "dashboards/team.html", {"overview": team_overview(user=request.user, today=timezone.localdate())}
    )


def _form(request: HttpRequest) -> ReportForm:
    municipalities = municipalities_for_user(user=request.user).order_by("name")
    return report_form(data=request.GET, municipalities=municipalities)


def _figures(request: HttpRequest):
    form = _form(request)
    if not form.is_valid():
        return form, None, None, None
    municipality, period = form.cleaned_data["municipality"], form.period_chosen()
    return form, municipality, period, report(municipality, period, today=timezone.localdate())


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def report_page(request: HttpRequest) -> HttpResponse:
    form, municipality, period, tables = _figures(request)
    chart = None
    if tables:
        per_month = tables[0]
        types = per_month.columns[1:-2]
        chart = stacked_bars(
            [row[0] for row in per_month.rows], {t: [row[1 + i] for row in per_month.rows] for i, t in enumerate(types)}
        )
        audit_log(
            municipality=municipality,
            action=AuditAction.VIEW,
            request=request,
            object_type="reports.report",
            object_id=municipality.code,
            detail={"period": period.label},
        )
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "municipality": municipality,
            "period": period,
            "tables": tables,
            "chart": chart,
            "query": request.GET.urlencode(),
            # What CBS fetched through the DDAS pull API (no personal data in it).
            "ddas_api": settings.DDAS_API_ENABLED,
            "ddas_calls": ddas_calls_recent(municipality=municipality) if tables else [],
        },
    )


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def report_csv(request: HttpRequest, key: str) -> HttpResponse:
    form, municipality, period, tables = _figures(request)
    table = next((t for t in tables or [] if t.key == key), None)
    if table is None:
        raise Http404
    return table_download(request, municipality=municipality, period=period, table=table)


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def report_xlsx(request: HttpRequest) -> HttpResponse:
    form, municipality, period, tables = _figures(request)
    if tables is None:
        raise Http404
    return workbook_download(
        request,
        municipality=municipality,
        period=period,
        tables=tables,
        object_type="reports.workbook",
        suffix="rapportage",
    )


@permission_required("accounts.lead_team", raise_exception=True)
@reads_from_replica()
def report_ddas(request: HttpRequest) -> HttpResponse:
    """The DDAS v1.2 delivery for CBS of the chosen municipality and period (the same
    as `manage.py export_ddas`). Written to a temporary file first (memory stays flat;
    no half a file reaches the browser), then sent."""
    form = _form(request)
    if not form.is_valid():
        raise Http404
    municipality, period = form.cleaned_data["municipality"], form.period_chosen()
    text = io.TextIOWrapper(tempfile.TemporaryFile(), encoding="utf-8")  # noqa: SIM115 (the response closes it)
    try:
        counts = ddas_export(municipalities=[municipality], start=period.start, end=period.end, out=text)
    except DdasConfigurationError as error:
        text.close()
        messages.error(request, _("The DDAS export is not configured correctly: %(error)s") % {"error": error})
        return redirect(f"{reverse('reports')}?{request.GET.urlencode()}")
    text.flush()
    spool = text.detach()
    spool.seek(0)
    audit_log(
        municipality=municipality,
        action=AuditAction.EXPORT,
        request=request,
        object_type="ddas.levering",
        object_id=municipality.code,
        detail={"start": period.start.isoformat(), "end": period.end.isoformat(), **counts[municipality.code]},
    )
    name = f"ddas-{municipality.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.json"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/json")
