"""Errors of the partner API in Dutch, as {"detail": "..."}: DRF's exception handler,
with our own words for a missing key, too many requests and a malformed request."""

from rest_framework import exceptions
from rest_framework.views import exception_handler

NO_KEY = "Geen API-sleutel meegegeven. Stuur de kop 'Authorization: Bearer <sleutel>' mee."


def _dutch(exc: exceptions.APIException) -> str | None:
    if isinstance(exc, exceptions.NotAuthenticated):
        return NO_KEY
    if isinstance(exc, exceptions.Throttled):
        return f"Te veel verzoeken met deze sleutel of client; probeer het over {exc.wait or 1} seconden opnieuw."
    if isinstance(exc, exceptions.ParseError):
        return "De inhoud van het verzoek is geen geldige JSON of multipart."
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return "Stuur multipart/form-data (veld 'bestand') of application/json (veld 'regels')."
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "Deze methode is hier niet toegestaan."
    if isinstance(exc, exceptions.NotAcceptable):
        return "De API antwoordt alleen in JSON (application/json)."
    return None


def api_exception_handler(exc, context):
    if isinstance(exc, exceptions.APIException) and (words := _dutch(exc)):
        # The same exception, so its status and headers (WWW-Authenticate, Retry-After) stay.
        exc.detail = exceptions.ErrorDetail(words, code=exc.default_code)
    return exception_handler(exc, context)
