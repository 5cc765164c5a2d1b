"""The privacy officer's audit trail: search it (page) and export it (CSV).

Both only read: there is no URL through which an entry can be added, changed or
deleted (GET only). Every search and export is itself audit-logged.
"""

import json

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.csvexport import streamed_csv
from vroeg.dutch import is_number
from vroeg.paging import page_of
from vroeg.searches import search_id, search_query, search_redirect

from .forms import AuditSearchForm
from .selectors import audit_search

PAGE_SIZE = 50
CSV_HEADER = [
    "tijdstip",
    "gebruiker",
    "actie",
    "actie_omschrijving",
    "objecttype",
    "object_id",
    "ip_adres",
    "reden",
    "detail",
]
_DETAIL_LIMIT = 200


def detail_text(detail: dict) -> str:
    """An entry's detail on one short line: `key: value, key: value`."""
    if not isinstance(detail, dict):
        return str(detail)
    text = ", ".join(f"{key}: {value}" for key, value in detail.items() if value not in ("", None, [], {}))
    return text if len(text) <= _DETAIL_LIMIT else text[: _DETAIL_LIMIT - 1] + "…"


def _row(entry: AuditEntry) -> dict:
    is_case = entry.object_type == "cases.case" and is_number(entry.object_id)
    return {"entry": entry, "case_id": int(entry.object_id) if is_case else None, "detail": detail_text(entry.detail)}


@require_http_methods(["GET", "POST"])
@permission_required("accounts.review_audit_log", raise_exception=True)
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
def audit_export_view(request: HttpRequest) -> HttpResponse:
    """The entries of the search as CSV (all of them, streamed); with invalid criteria,
    back to the page, which explains them."""
    form = AuditSearchForm(search_query(request))
    if not form.is_valid():
        return redirect(f"{reverse('audit-search')}?{request.GET.urlencode()}")
    entries = audit_search(viewer=request.user, **form.search_arguments()).entries
    audit_log(action=AuditAction.EXPORT, request=request, object_type="audit.csv", detail=form.criteria())
    labels = {value: str(label) for value, label in AuditAction.choices}
    rows = (
        (
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_username,
            entry.action,
            labels.get(entry.action, entry.action),
            entry.object_type,
            entry.object_id,
            entry.ip_address or "",
            entry.reason,
            json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail else "",
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return streamed_csv(filename=f"audittrail-{timezone.localdate().isoformat()}.csv", header=CSV_HEADER, rows=rows)
