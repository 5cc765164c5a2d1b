"""The error answers of the DDAS pull API, as DDAS-VS.yaml describes them.

Two kinds, both `application/problem+json`:

- FSC errors (401, 403, 404, 405, 502): the body `FscError` {code, domain, title,
  detail, status} and the header `Fsc-Error-Code` with the same code (Logius FSC
  Core 1.0.0). Vroeg stands behind the Inway, so the domain is always
  ERROR_DOMAIN_INWAY.
- Problem details (400, 422, 429): RFC 9457 {type, title, status, detail}, with
  `invalid-params` (name and reason per field) for a body that breaks the schema.
  `type` is `urn:vroeg:ddas-api:<reason>`, one stable reason per kind of refusal
  (the request signature's reasons come from signing.SignatureRefused); they are
  listed in docs/operators/ddas-api.md.

Titles and details are Dutch; none repeats a token, a header or the body sent.
"""

import json

from django.http import HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE = "urn:vroeg:ddas-api:{reason}"
FSC_DOMAIN = "ERROR_DOMAIN_INWAY"

# The FSC error codes of DDAS-VS.yaml's `Fsc-Error-Code` header that Vroeg answers with.
SERVICE_NOT_FOUND = "ERROR_CODE_SERVICE_NOT_FOUND"
METHOD_UNSUPPORTED = "ERROR_CODE_METHOD_UNSUPPORTED"
SERVICE_UNREACHABLE = "ERROR_CODE_SERVICE_UNREACHABLE"


def _json(body: dict) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fsc_error(*, status: int, code: str, title: str, detail: str) -> HttpResponse:
    """An FSC error: body and `Fsc-Error-Code` header; `WWW-Authenticate: Bearer` on 401."""
    body = {"code": code, "domain": FSC_DOMAIN, "title": title, "detail": detail, "status": status}
    response = HttpResponse(_json(body), status=status, content_type=PROBLEM_CONTENT_TYPE)
    response["Fsc-Error-Code"] = code
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def problem(
    *,
    status: int,
    reason: str,
    title: str,
    detail: str,
    invalid_params: list[dict[str, str]] | None = None,
) -> HttpResponse:
    """An RFC 9457 problem whose type names `reason`."""
    body: dict = {"type": PROBLEM_TYPE.format(reason=reason), "title": title, "status": status, "detail": detail}
    if invalid_params:
        body["invalid-params"] = invalid_params
    return HttpResponse(_json(body), status=status, content_type=PROBLEM_CONTENT_TYPE)


def service_not_found() -> HttpResponse:
    return fsc_error(
        status=404,
        code=SERVICE_NOT_FOUND,
        title="Dienst niet gevonden",
        detail="Deze dienst bestaat hier niet of staat uit.",
    )


def method_unsupported(method: str) -> HttpResponse:
    response = fsc_error(
        status=405,
        code=METHOD_UNSUPPORTED,
        title="Methode niet ondersteund",
        detail="Vraag de gegevens op met POST.",
    )
    response["Allow"] = "POST"
    return response


def service_unreachable() -> HttpResponse:
    return fsc_error(
        status=502,
        code=SERVICE_UNREACHABLE,
        title="Dienst niet bereikbaar",
        detail="De sleutels van de autorisatieserver zijn nu niet op te halen. Probeer het later opnieuw.",
    )


def too_many_requests(retry_after: int) -> HttpResponse:
    response = problem(
        status=429,
        reason="rate-limit",
        title="Te veel verzoeken",
        detail=f"U heeft te vaak gegevens opgevraagd. Probeer het over {retry_after} seconden opnieuw.",
    )
    response["Retry-After"] = str(retry_after)
    return response
