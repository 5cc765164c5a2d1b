"""The privacy officer's audit trail: search it (page) and export it (CSV).

Both only read: there is no URL through which an entry can be added, changed or
deleted (GET only). Every search and export is itself audit-logged.
"""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.audit.wording import entry_words
from vroeg.csvexport import streamed_csv
from vroeg.dutch import is_number
from vroeg.paging import page_of
from vroeg.replica import reads_from_replica
from vroeg.searches import search_id, search_query, search_redirect

from .forms import AuditSearchForm
from .selectors import audit_search

PAGE_SIZE = 50
# The CSV's columns: the page's (the same words, vroeg/audit/wording.py), and the
# entry as one sentence.
CSV_HEADER = [
    _("When"),
    _("Who"),
    _("What"),
    _("Which object"),
    _("IP address"),
    _("Reason"),
    _("Details"),
    _("Description"),
]


def _row(entry: AuditEntry) -> dict:
    is_case = entry.object_type == "cases.case" and is_number(entry.object_id)
    return {"entry": entry, "words": entry_words(entry), "case_id": int(entry.object_id) if is_case else None}


def _csv_row(entry: AuditEntry) -> list[str]:
    w = entry_words(entry)
    return [w.when, w.who, w.what, w.object, w.ip_address, w.reason, w.details, w.sentence]


@require_http_methods(["GET", "POST"])
@permission_required("accounts.review_audit_log", raise_exception=True)
@reads_from_replica()
def audit_search_view(request: HttpRequest) -> HttpResponse:
    """The search posts (a BSN or an address) and is shown at ?zoek=<id>
    (vroeg/searches.py): the terms never stand in a URL or an access log."""
    if request.method == "POST":
        return search_redirect(request)
    query = search_query(request)
    form = AuditSearchForm(query)
    context = {"form": form, "search_id": search_id(request)}
    if form.is_valid():
        search = audit_search(viewer=request.user, **form.search_arguments())
        page = page_of(search.entries, query.get("pagina"), size=PAGE_SIZE)
        audit_log(
            action=AuditAction.SEARCH,
            request=request,
            object_type="audit.search",
            detail={**form.criteria(), "page": page.number},
        )
        context.update(page=page, rows=[_row(e) for e in page.object_list], case_ids=search.case_ids)
    return render(request, "audit/search.html", context)


@require_GET
@permission_required("accounts.review_audit_log", raise_exception=True)
@reads_from_replica()
def audit_export_view(request: HttpRequest) -> HttpResponse:
    """The entries of the search as CSV (all of them, streamed); with invalid criteria,
    back to the page, which explains them."""
    form = AuditSearchForm(search_query(request))
    if not form.is_valid():
        return redirect(f"{reverse('audit-search')}?{request.GET.urlencode()}")
    entries = audit_search(viewer=request.user, **form.search_arguments()).entries
    audit_log(action=AuditAction.EXPORT, request=request, object_type="audit.csv", detail=form.criteria())
    rows = (_csv_row(entry) for entry in entries.iterator(chunk_size=2000))
    filename = f"audittrail-{timezone.localdate().isoformat()}.csv"
    return streamed_csv(filename=filename, header=[str(name) for name in CSV_HEADER], rows=rows)
