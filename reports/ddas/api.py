"""The DDAS pull API: CBS fetches a municipality's DDAS delivery with
`POST <DDAS_API_PATH_PREFIX>gegevens` (default /ddas/v1/gegevens), as
schema/api/DDAS-VS.yaml describes (a copy of the draft koppelvlakspecificatie).

A plain Django view on the exact bytes of the body: no session, no CSRF token (the
one view exempted), no form parsing. Each call passes, in this order:

1. the API is switched on (DDAS_API_ENABLED), else 404 ERROR_CODE_SERVICE_NOT_FOUND,
   and the method is POST, else 405 ERROR_CODE_METHOD_UNSUPPORTED;
2. the bearer token (tokens.token_verify): 401/403 FSC errors; an unreachable key
   set of the authorization server is 502 ERROR_CODE_SERVICE_UNREACHABLE;
3. the rate per client (DDAS_API_RATE, counted in the cache): 429 with Retry-After;
4. the request signature and Digest over the exact body (signing.
   request_signature_verify): 400, the problem type naming the reason;
5. the body: JSON (Content-Type application/json) valid against GegevensRequest,
   pageSize at most DDAS_API_MAX_PAGE_SIZE: 400 naming each wrong field;
6. what it asks for: an organisation that is one municipality of this installation,
   a period that does not end before it starts, a page that exists: 422.

Then the answer: `{"gegevens": <Uitwisselmodel>}` with the same content as
`manage.py export_ddas` for that municipality and period (reports/ddas/export.py,
one code path), plus `"paginering"` when paged; the body's exact bytes are signed
(signing.response_sign: headers Digest and nlgov-adr-payload-sig). Every error is
application/problem+json (problems.py) and serves nothing of the data.

What the request means (docs/operators/ddas-api.md):

- Period: `aanleverperiodeStartdatum` to `aanleverperiodeEinddatum`, both included,
  as the file export's `--start`/`--end`. Neither given: the previous calendar month
  (Dutch local date), the last complete month. One without the other: 422.
- `aanleverende_organisatie`: the CBS municipality code ("GM0363" or "0363") or the
  municipality's name, with or without "Gemeente " (case and spaces do not matter),
  of an active municipality; or DDAS_ORGANISATION_NAME when the installation serves
  one active municipality. Left out: the one active municipality, or 422 asking for it.
- Paging: a record is a signal or a case of the delivery, counted signals first,
  then cases, each in ID order (export.DdasPage). `page` without `pageSize` pages by
  DDAS_API_MAX_PAGE_SIZE, `pageSize` without `page` is page 1. A delivery larger than
  DDAS_API_MAX_PAGE_SIZE records is paged even when no page was asked: page 1, with
  `paginering` saying how many follow, so no answer is ever larger than one page.
  A page is a complete Uitwisselmodel of its own; a case's signal IDs may be on
  another page of the same delivery.

Every call is one audit entry (no BSN, no body): the client, period, municipality,
page, page size, records served, and the outcome with its reason. Team leads see
them on the report page (calls.py).
"""

import copy
import io
import json
import logging
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from hashlib import sha256
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from jsonschema import Draft202012Validator, ValidationError
from rest_framework.throttling import SimpleRateThrottle

from vroeg.municipalities.models import Municipality
from vroeg.replica import reads_from_replica

from . import problems
from .calls import DdasCall, ddas_call_log
from .export import DdasConfigurationError, DdasPage, DdasPageOutOfRange, ddas_export, ddas_page, ddas_snapshot
from .signing import SignatureRefused, request_signature_verify, response_sign
from .tokens import TokenRefused, TokenServiceUnavailable, token_verify

logger = logging.getLogger(__name__)

SPEC_PATH = Path(__file__).parent / "schema" / "api" / "DDAS-VS.yaml"

# The fields of GegevensRequest, in Dutch words for the error messages.
FIELD_NAMES = {
    "aanleverperiodeStartdatum": "de eerste dag van de aanleverperiode",
    "aanleverperiodeEinddatum": "de laatste dag van de aanleverperiode",
    "aanleverende_organisatie": "de aanleverende organisatie",
    "page": "het paginanummer",
    "pageSize": "het aantal records per pagina",
}
_CODE = re.compile(r"^(?:GM)?(\d{4})$", re.IGNORECASE)


class _Refused(Exception):
    """A call answered with an error; `reason` goes to the audit log."""

    def __init__(self, response: HttpResponse, reason: str):
        super().__init__(reason)
        self.response = response
        self.reason = reason


@dataclass(frozen=True)
class GegevensVraag:
    """What a valid request asks for."""

    start: date
    end: date
    municipality: Municipality
    page: int | None
    page_size: int | None


def url_patterns() -> list[URLPattern]:
    """The API's URLs under DDAS_API_PATH_PREFIX (read at start-up): the endpoint, and
    an FSC 404 for anything else under the prefix (not when the prefix is empty)."""
    prefix = settings.DDAS_API_PATH_PREFIX.strip("/")
    base = f"{prefix}/" if prefix else ""
    patterns = [path(f"{base}gegevens", gegevens, name="ddas-api")]
    if prefix:
        patterns.append(path(f"{base}<path:rest>", not_found, name="ddas-api-other"))
    return patterns


@csrf_exempt
@login_not_required
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return _no_store(problems.service_not_found())


@csrf_exempt  # machine to machine: a bearer token and a signed body, no cookie
@login_not_required  # authenticated by the token, not by a session
def gegevens(request: HttpRequest) -> HttpResponse:
    if not settings.DDAS_API_ENABLED:
        return _no_store(problems.service_not_found())
    call = DdasCall()
    try:
        response = _answer(request, call)
    except _Refused as refused:
        response = refused.response
        call.reason = refused.reason
    call.status = response.status_code
    ddas_call_log(call=call)
    return _no_store(response)


def _answer(request: HttpRequest, call: DdasCall) -> HttpResponse:
    if request.method != "POST":
        raise _Refused(problems.method_unsupported(request.method or ""), "method")
    try:
        claims = token_verify(request.headers.get("Authorization"))
    except TokenRefused as refused:
        call.token_refused = True
        response = problems.fsc_error(
            status=refused.status, code=refused.fsc_code, title=refused.title, detail=refused.detail
        )
        raise _Refused(response, refused.fsc_code) from None
    except TokenServiceUnavailable:
        logger.warning("DDAS API: the token issuer's keys cannot be fetched", exc_info=True)
        raise _Refused(problems.service_unreachable(), "token-keys-unreachable") from None
    call.client_id = claims.client_id
    _rate_check(request, claims.client_id)
    try:
        body = request.body
    except RequestDataTooBig:
        raise _Refused(_bad_request("too-large", "Het verzoek is te groot."), "too-large") from None
    try:
        signer = request_signature_verify(
            body=body,
            digest=request.headers.get("Digest"),
            signature=request.headers.get("nlgov-adr-payload-sig"),
        )
    except SignatureRefused as refused:
        response = problems.problem(status=400, reason=refused.reason, title=refused.title, detail=refused.detail)
        raise _Refused(response, refused.reason) from None
    call.signer = signer.subject
    vraag = _vraag(request, body, call)
    return _deliver(vraag, call)


# --- rate ---------------------------------------------------------------------------


class _ClientRate(SimpleRateThrottle):
    """DDAS_API_RATE ("60/hour") per token client, counted in the cache like the
    partner API's rate (DRF's throttle, used here outside DRF)."""

    scope = "ddas_api"

    def __init__(self, client_id: str):
        self.client_id = client_id
        super().__init__()

    def get_rate(self) -> str:
        return settings.DDAS_API_RATE  # read per call: a changed setting applies at once

    def get_cache_key(self, request, view) -> str:
        ident = sha256(self.client_id.encode()).hexdigest()  # any client id is a safe key
        return self.cache_format % {"scope": self.scope, "ident": ident}


def _rate_check(request: HttpRequest, client_id: str) -> None:
    try:
        rate = _ClientRate(client_id)
        allowed = rate.allow_request(request, None)
    except Exception:  # the cache is down (or the rate unreadable: check --deploy says so)
        logger.warning("DDAS API rate limit not checked", exc_info=True)
        return  # the limit protects, it must not stop CBS
    if not allowed:
        retry_after = max(1, math.ceil(rate.wait() or rate.duration))
        raise _Refused(problems.too_many_requests(retry_after), "rate-limit")


# --- the request --------------------------------------------------------------------


@cache
def _request_schema(max_page_size: int) -> dict:
    """GegevensRequest of DDAS-VS.yaml, with our largest page size."""
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    schema = copy.deepcopy(spec["components"]["schemas"]["GegevensRequest"])
    schema["properties"]["pageSize"]["maximum"] = max_page_size
    return schema


def _bad_request(reason: str, detail: str, invalid_params: list[dict[str, str]] | None = None) -> HttpResponse:
    return problems.problem(
        status=400, reason=reason, title="Ongeldig verzoek", detail=detail, invalid_params=invalid_params
    )


def _unprocessable(reason: str, title: str, detail: str) -> _Refused:
    return _Refused(problems.problem(status=422, reason=reason, title=title, detail=detail), reason)


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON


def _vraag(request: HttpRequest, body: bytes, call: DdasCall) -> GegevensVraag:
    content_type = request.content_type
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if content_type != "application/json" or charset not in ("utf-8", "utf8"):
        detail = "Stuur het verzoek als JSON, met de kop Content-Type: application/json."
        raise _Refused(_bad_request("content-type", detail), "content-type")
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        detail = "Het verzoek is geen geldige JSON (UTF-8, elke naam één keer)."
        raise _Refused(_bad_request("invalid-json", detail), "invalid-json") from None
    if not isinstance(data, dict):
        detail = 'Het verzoek moet een JSON-object zijn, bijvoorbeeld {"aanleverperiodeStartdatum": "2026-10-01"}.'
        raise _Refused(_bad_request("invalid-body", detail), "invalid-body")
    schema = _request_schema(settings.DDAS_API_MAX_PAGE_SIZE)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.validator))
    if errors:
        invalid = [param for error in errors for param in _invalid_params(error, data, schema)]
        detail = " ".join(param["reason"] for param in invalid)
        raise _Refused(_bad_request("invalid-body", detail, invalid), "invalid-body")

    page, size = data.get("page"), data.get("pageSize")
    call.page = int(page) if page is not None else None
    call.page_size = int(size) if size is not None else None
    municipality = _municipality(data.get("aanleverende_organisatie"))
    call.municipality = municipality  # from here on, the team lead sees the call
    start, end = _period(data.get("aanleverperiodeStartdatum"), data.get("aanleverperiodeEinddatum"))
    call.start, call.end = start, end
    if start > end:
        raise _unprocessable(
            "period-reversed",
            "Onmogelijke periode",
            f"De aanleverperiode begint ({start:%d-%m-%Y}) na de laatste dag ({end:%d-%m-%Y}).",
        )
    return GegevensVraag(start, end, municipality, call.page, call.page_size)


def _invalid_params(error: ValidationError, data: dict, schema: dict) -> list[dict[str, str]]:
    """Dutch reasons, one per field, for a schema error."""
    if error.validator == "additionalProperties":
        allowed = ", ".join(schema["properties"])
        return [
            {"name": name, "reason": f"Onbekend veld '{name}'. Toegestane velden zijn: {allowed}."}
            for name in sorted(set(data) - set(schema["properties"]))
        ]
    name = str(error.absolute_path[0]) if error.absolute_path else ""
    words = FIELD_NAMES.get(name, name)
    prefix = f"Het veld '{name}' ({words})"
    if name in ("aanleverperiodeStartdatum", "aanleverperiodeEinddatum"):
        reason = f"{prefix} moet een bestaande datum zijn als JJJJ-MM-DD, bijvoorbeeld 2026-10-01."
    elif name == "aanleverende_organisatie":
        reason = f"{prefix} moet tekst zijn, bijvoorbeeld de CBS-code GM0363."
    elif name == "pageSize":
        reason = f"{prefix} moet een geheel getal zijn van 1 tot en met {settings.DDAS_API_MAX_PAGE_SIZE}."
    else:
        reason = f"{prefix} moet een geheel getal zijn van 1 of meer."
    return [{"name": name, "reason": reason}]


def _period(start: str | None, end: str | None) -> tuple[date, date]:
    if start is None and end is None:  # the last complete month
        last = timezone.localdate().replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if start is None or end is None:
        raise _unprocessable(
            "period-incomplete",
            "Onvolledige periode",
            "Geef zowel aanleverperiodeStartdatum als aanleverperiodeEinddatum op, of geen van beide "
            "(dan de vorige kalendermaand).",
        )
    return date.fromisoformat(start), date.fromisoformat(end)


def _municipality(asked: str | None) -> Municipality:
    active = Municipality.objects.filter(active=True).order_by("name")
    if asked is None:
        only = list(active[:2])
        if len(only) == 1:
            return only[0]
        names = ", ".join(f"{m.name} (GM{m.code})" for m in active[:10])
        raise _unprocessable(
            "organisation-required",
            "Organisatie ontbreekt",
            f"Deze installatie levert voor meer gemeenten. Geef aanleverende_organisatie op: de CBS-code of de "
            f"naam van een van deze gemeenten: {names}.",
        )
    text = " ".join(asked.split())
    code = _CODE.match(text)
    if code:
        found = active.filter(code=code.group(1)).first()
    else:
        name = re.sub(r"^gemeente\s+", "", text, flags=re.IGNORECASE)
        found = active.filter(name__iexact=name).first()
        if found is None and text.casefold() == str(settings.DDAS_ORGANISATION_NAME).casefold():
            only = list(active[:2])
            found = only[0] if len(only) == 1 else None
    if found is None:
        raise _unprocessable(
            "organisation-unknown",
            "Onbekende organisatie",
            "Deze installatie levert niet voor de gevraagde organisatie. Geef de CBS-code (bijvoorbeeld "
            "GM0363) of de naam van een gemeente die deze installatie bedient.",
        )
    return found


# --- the answer ---------------------------------------------------------------------


def _deliver(vraag: GegevensVraag, call: DdasCall) -> HttpResponse:
    paged = vraag.page is not None or vraag.page_size is not None
    buffer = io.BytesIO()
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n")
    try:
        with reads_from_replica(), ddas_snapshot():  # the count and the page from one moment (replica)
            page = ddas_page(
                municipality=vraag.municipality,
                start=vraag.start,
                end=vraag.end,
                number=vraag.page or 1,
                size=vraag.page_size or settings.DDAS_API_MAX_PAGE_SIZE,
            )
            paged = paged or page.total_pages > 1  # never more than one page in one answer
            out.write('{"gegevens":')
            counts = ddas_export(
                municipalities=[vraag.municipality],
                start=vraag.start,
                end=vraag.end,
                out=out,
                page=page if paged else None,
            )[vraag.municipality.code]
            if paged:
                out.write(',"paginering":' + json.dumps(_paginering(page), separators=(",", ":")))
            out.write("}")
    except DdasPageOutOfRange as beyond:
        pages = "1 pagina" if beyond.total_pages == 1 else f"{beyond.total_pages} pagina's"
        raise _unprocessable(
            "page-out-of-range",
            "Pagina bestaat niet",
            f"Pagina {beyond.number} bestaat niet: deze levering heeft {pages} bij deze paginagrootte.",
        ) from None
    except DdasConfigurationError:
        logger.exception("DDAS API: the DDAS settings give no valid delivery")
        raise _Refused(_not_configured(), "configuration") from None
    out.flush()
    body = buffer.getvalue()
    out.close()  # frees the buffer's copy before signing makes its own
    call.signals, call.cases = counts["signals"], counts["cases"]
    if paged:
        call.page, call.page_size = page.number, page.size
        call.total_pages, call.total_records = page.total_pages, page.total_records
    try:
        signature = response_sign(body)
    except Exception:  # the key or chain unreadable: configuration_problems() names it
        logger.exception("DDAS API: the answer cannot be signed")
        raise _Refused(_not_configured(), "response-signing") from None
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    for header, value in signature.items():
        response[header] = value
    return response


def _paginering(page: DdasPage) -> dict[str, int]:
    return {
        "pageSize": page.size,
        "currentPage": page.number,
        "totalPages": page.total_pages,
        "totalRecords": page.total_records,
    }


def _not_configured() -> HttpResponse:
    return problems.fsc_error(
        status=502,
        code=problems.SERVICE_UNREACHABLE,
        title="Dienst niet bereikbaar",
        detail="De DDAS-koppeling van deze installatie is niet compleet ingesteld. Meld dit aan de beheerder.",
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # BSNs: no proxy or client keeps a copy
    return response
