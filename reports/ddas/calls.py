"""The audit trail of the DDAS pull API: one entry per call (api.py), and the recent
calls of a municipality in words for the team lead's report page.

An entry holds who called (the token's client id; the request signer's certificate
subject), the period, the municipality, the page asked and served, the number of
records and the outcome with its reason: never a BSN, a token or the body (the DDAS
DPIA advises against logging the individual BSNs exchanged).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from reports.periods import custom, month, quarter, year
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality

OBJECT_TYPE = "ddas.api"

# Why a call with a known municipality was refused, for the team lead.
REFUSALS = {
    "period-reversed": gettext_lazy("the period ended before it started"),
    "period-incomplete": gettext_lazy("the period had only one date"),
    "page-out-of-range": gettext_lazy("the page asked for does not exist"),
    "configuration": gettext_lazy("the DDAS settings of this installation are incomplete"),
    "response-signing": gettext_lazy("the answer could not be signed"),
}


@dataclass
class DdasCall:
    """What one call asked and got, filled in as the call is checked."""

    token_refused: bool = False  # logged as a failed login
    status: int = 0
    reason: str = ""  # empty when served
    client_id: str = ""
    signer: str = ""
    start: date | None = None
    end: date | None = None
    municipality: Municipality | None = None
    page: int | None = None
    page_size: int | None = None
    total_pages: int | None = None
    total_records: int | None = None
    signals: int | None = None
    cases: int | None = None


@dataclass(frozen=True)
class _Client:
    """The caller as the audit log's actor: no account, a client id."""

    client_id: str
    pk = None

    def get_username(self) -> str:
        return f"ddas-api:{self.client_id}"[:150]


def ddas_call_log(*, call: DdasCall) -> AuditEntry:
    """The call's one audit entry (the client's address from the request, via the
    audit middleware; no request object, so no session is read)."""
    served = call.status == 200
    detail: dict = {"outcome": "served" if served else "refused", "status": call.status}
    if call.reason:
        detail["reason"] = call.reason
    if call.client_id:
        detail["client_id"] = call.client_id
    if call.signer:
        detail["signer"] = call.signer
    if call.start and call.end:
        detail["start"], detail["end"] = call.start.isoformat(), call.end.isoformat()
    if call.municipality:
        detail["municipality"] = call.municipality.code
    for key, value in (
        ("page", call.page),
        ("page_size", call.page_size),
        ("total_pages", call.total_pages),
        ("total_records", call.total_records),
        ("signals", call.signals),
        ("cases", call.cases),
    ):
        if value is not None:
            detail[key] = value
    if call.signals is not None and call.cases is not None:
        detail["records"] = call.signals + call.cases
    return audit_log(
        action=AuditAction.LOGIN_FAILED if call.token_refused else AuditAction.EXPORT,
        actor=_Client(call.client_id) if call.client_id else None,
        object_type="ddas.api",  # words: vroeg/audit/words.py
        object_id=call.municipality.code if call.municipality else "",
        municipality=call.municipality,
        detail=detail,
    )


@dataclass(frozen=True)
class DdasCallShown:
    at: datetime
    served: bool
    sentence: str


def ddas_calls_recent(*, municipality: Municipality, limit: int = 10) -> list[DdasCallShown]:
    """The latest calls about `municipality`, newest first, each in one Dutch sentence,
    e.g. "CBS haalde op 12 nov 2026 10:04 de gegevens op over oktober 2026: pagina 1
    van 3, 25.000 records"."""
    entries = AuditEntry.objects.filter(object_type=OBJECT_TYPE, municipality=municipality).order_by("-at", "-id")
    return [_shown(entry) for entry in entries[:limit]]


def _shown(entry: AuditEntry) -> DdasCallShown:
    detail = entry.detail
    when = date_format(timezone.localtime(entry.at), "j M Y H:i")
    period = _period_label(detail.get("start"), detail.get("end"))
    served = detail.get("outcome") == "served"
    if not served:
        reason = REFUSALS.get(detail.get("reason", ""), _("the request was not valid"))
        if period:
            sentence = _("On %(when)s a request about %(period)s was refused: %(reason)s.")
        else:
            sentence = _("On %(when)s a request was refused: %(reason)s.")
        return DdasCallShown(entry.at, False, sentence % {"when": when, "period": period, "reason": reason})
    records = detail.get("records", 0)
    values = {"when": when, "period": period, "records": number_format(records, force_grouping=True)}
    if "total_pages" in detail:
        values |= {"page": detail.get("page", 1), "pages": detail["total_pages"]}
        sentence = ngettext(
            "CBS fetched the data about %(period)s on %(when)s: page %(page)s of %(pages)s, %(records)s record.",
            "CBS fetched the data about %(period)s on %(when)s: page %(page)s of %(pages)s, %(records)s records.",
            records,
        )
    else:
        sentence = ngettext(
            "CBS fetched the data about %(period)s on %(when)s: %(records)s record.",
            "CBS fetched the data about %(period)s on %(when)s: %(records)s records.",
            records,
        )
    return DdasCallShown(entry.at, True, sentence % values)


def _period_label(start: str | None, end: str | None) -> str:
    """ "oktober 2026", "Q4 2026", "2026", or "01-10-2026 t/m 15-10-2026"."""
    if not start or not end:
        return ""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    candidates = [month(first.year, first.month), year(first.year)]
    if first.month in (1, 4, 7, 10):
        candidates.append(quarter(first.year, (first.month - 1) // 3 + 1))
    for period in candidates:
        if (period.start, period.end) == (first, last):
            return period.label
    return custom(first, last).label
