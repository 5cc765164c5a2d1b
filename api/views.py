"""The partner API (/api/v1/): deliver, poll a delivery's report, fetch feedback, the
OpenAPI document, and (when OAuth2 is on) the token endpoint. Every call is
authenticated by an API key or an access token (api/authentication.py), works on that
key's or client's partner's data only, is rate limited and audited."""

import io
import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views.mixins import OAuthLibMixin
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from signals.models import DeliveryStatus
from signals.services import delivery_receive
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.uploads import TOO_LARGE, upload_too_large

from . import schema  # noqa: F401  (the OpenAPI document's security schemes)
from .authentication import ApiKeyAuthentication, OAuthTokenAuthentication
from .cursors import CursorRefused, cursor_make, cursor_read
from .oauth import client_id_of
from .rows import RowsRefused, rows_to_csv
from .selectors import (
    FEEDBACK_PAGE_MAX,
    client_of_access_token,
    delivery_of_partner,
    delivery_report,
    feedback_page,
)
from .serializers import (
    DeliveryRequestSerializer,
    DeliverySerializer,
    DeliveryUploadSerializer,
    FeedbackListSerializer,
    OAuthErrorSerializer,
    ProblemSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from .throttling import ApiKeyRateThrottle, OAuthTokenRateThrottle

NOT_FOUND = "Deze levering bestaat niet, of is niet van uw organisatie."
JSON_ROWS_NAME = "api-regels.csv"
JSON_TOO_LARGE = "Een verzoek met JSON-regels is hoogstens 5 MB; lever grote aantallen regels als bestand aan."

_PROBLEMS = {
    401: OpenApiResponse(
        ProblemSerializer, description="Geen, een onbekende, ingetrokken of verlopen sleutel (of token)."
    ),
    429: OpenApiResponse(ProblemSerializer, description="Te veel verzoeken; probeer het na Retry-After seconden."),
}


class PartnerApiView(APIView):
    authentication_classes = [OAuthTokenAuthentication, ApiKeyAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]

    def audit(self, request, **kwargs) -> None:
        """One audit entry per call: the key's or client's creator acts, the key's
        prefix or the client's id is named."""
        principal = request.user
        detail = {**principal.credential, **kwargs.pop("detail", {})}
        audit_log(actor=principal.acting_user, request=request, detail=detail, **kwargs)


def _problem(message: str, code: int) -> Response:
    return Response({"detail": message}, status=code)


class DeliveryCreateView(PartnerApiView):
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="levering_aanleveren",
        summary="Signalen aanleveren: een Signaal-CSV v1-bestand of dezelfde regels als JSON",
        request={"multipart/form-data": DeliveryUploadSerializer, "application/json": DeliveryRequestSerializer},
        responses={
            201: OpenApiResponse(DeliverySerializer, description="Ontvangen; wordt verwerkt."),
            200: OpenApiResponse(DeliverySerializer, description="Dit bestand was al ontvangen: de eerdere levering."),
            400: OpenApiResponse(ProblemSerializer, description="Geen bestand of onjuiste regels."),
            413: OpenApiResponse(ProblemSerializer, description="Een bestand boven 50 MB, JSON boven 5 MB."),
            422: OpenApiResponse(DeliverySerializer, description="Geweigerd; zie reden_weigering."),
            **_PROBLEMS,
        },
    )
    def post(self, request):
        partner = request.user.partner
        if request.content_type.startswith("multipart/"):
            upload = request.FILES.get("bestand")
            if upload_too_large(request._request):
                return _problem(TOO_LARGE, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
            if upload is None or upload.size == 0:
                return _problem("Stuur het bestand mee in het veld 'bestand'.", status.HTTP_400_BAD_REQUEST)
            stream, name = upload, upload.name
        else:
            if int(request.META.get("CONTENT_LENGTH") or 0) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return _problem(JSON_TOO_LARGE, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
            try:
                rows = request.data.get("regels") if isinstance(request.data, dict) else None
                stream, name = io.BytesIO(rows_to_csv(rows)), JSON_ROWS_NAME
            except RowsRefused as refused:
                return _problem(refused.message, status.HTTP_400_BAD_REQUEST)
        delivery = delivery_receive(
            partner=partner, stream=stream, original_name=name, uploaded_by=request.user.acting_user
        )
        answer = status.HTTP_201_CREATED
        if delivery.duplicate_of_id is not None:  # the same bytes again: the earlier delivery
            delivery, answer = delivery.duplicate_of, status.HTTP_200_OK
        elif delivery.status == DeliveryStatus.REFUSED:
            answer = status.HTTP_422_UNPROCESSABLE_ENTITY
        self.audit(
            request,
            action=AuditAction.CREATE,
            obj=delivery,
            detail={"rows": "json" if name == JSON_ROWS_NAME else "file"},
        )
        return Response(DeliverySerializer(delivery_report(delivery)).data, status=answer)


class DeliveryDetailView(PartnerApiView):
    @extend_schema(
        operation_id="levering_opvragen",
        summary="De status en het verslag van een levering",
        responses={
            200: DeliverySerializer,
            404: OpenApiResponse(ProblemSerializer, description="Onbekend, of niet van uw organisatie."),
            **_PROBLEMS,
        },
    )
    def get(self, request, public_id):
        delivery = delivery_of_partner(partner=request.user.partner, public_id=public_id)
        if delivery is None:
            return _problem(NOT_FOUND, status.HTTP_404_NOT_FOUND)
        self.audit(request, action=AuditAction.VIEW, obj=delivery)
        return Response(DeliverySerializer(delivery_report(delivery)).data)


SINCE_NEEDED = (
    "Geef 'sinds' mee als datum en tijd (ISO 8601), bv. 2026-11-01T00:00:00+01:00, "
    "of 'vanaf' uit 'volgende' van de vorige pagina."
)


class FeedbackView(PartnerApiView):
    @extend_schema(
        operation_id="terugkoppeling_opvragen",
        summary="De terugkoppeling op uw signalen sinds een moment, per pagina",
        parameters=[
            OpenApiParameter(
                "sinds",
                OpenApiTypes.DATETIME,
                description="ISO 8601, bv. 2026-11-01T00:00:00+01:00. Alleen terugkoppeling ná dit moment, "
                "oudste eerst. Verplicht op de eerste pagina; niet samen met 'vanaf'.",
            ),
            OpenApiParameter(
                "vanaf",
                OpenApiTypes.STR,
                description="Waar de volgende pagina begint: neem de link uit 'volgende' ongewijzigd over.",
            ),
            OpenApiParameter(
                "aantal",
                {"type": "integer", "minimum": 1, "maximum": FEEDBACK_PAGE_MAX, "default": FEEDBACK_PAGE_MAX},
                description=f"Regels per pagina, 1 tot en met {FEEDBACK_PAGE_MAX} (standaard {FEEDBACK_PAGE_MAX}).",
            ),
        ],
        responses={200: FeedbackListSerializer, 400: ProblemSerializer, **_PROBLEMS},
    )
    def get(self, request):
        partner = request.user.partner
        params = request.query_params
        size = params.get("aantal", str(FEEDBACK_PAGE_MAX))
        if not (size.isascii() and size.isdigit()) or not 1 <= int(size) <= FEEDBACK_PAGE_MAX:
            return _problem(
                f"'aantal' is een geheel getal van 1 tot en met {FEEDBACK_PAGE_MAX}.", status.HTTP_400_BAD_REQUEST
            )
        size = int(size)
        after = None
        if "vanaf" in params:
            if "sinds" in params:
                return _problem(
                    "Geef 'sinds' (eerste pagina) of 'vanaf' (volgende pagina), niet allebei.",
                    status.HTTP_400_BAD_REQUEST,
                )
            try:
                since, after = cursor_read(params["vanaf"], partner_pk=partner.pk)
            except CursorRefused as refused:
                return _problem(str(refused), status.HTTP_400_BAD_REQUEST)
        else:
            raw = params.get("sinds", "")
            try:
                since = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
            except ValueError:
                since = None
            if since is None:
                return _problem(SINCE_NEEDED, status.HTTP_400_BAD_REQUEST)
            if is_naive(since):
                since = make_aware(since)  # local time, as the partner's pages show it
        rows, following = feedback_page(partner=partner, since=since, after=after, size=size)
        next_url = None
        if following is not None:
            query = urlencode(
                {"vanaf": cursor_make(partner_pk=partner.pk, since=since, after=following), "aantal": size}
            )
            next_url = request.build_absolute_uri(f"{reverse('api-feedback')}?{query}")
        detail = {"since": since.isoformat(), "rows": len(rows)}
        if after is not None:
            detail["start"] = after.given_at.isoformat()
        self.audit(
            request, action=AuditAction.DOWNLOAD, object_type="api.feedback", object_id=partner.pk, detail=detail
        )
        return Response(FeedbackListSerializer({"sinds": since, "terugkoppeling": rows, "volgende": next_url}).data)


class SchemaView(PartnerApiView, SpectacularAPIView):
    """The OpenAPI 3 document, as JSON (no Swagger UI: no CDN). Needs a key too."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]  # application/json first

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        self.audit(request, action=AuditAction.VIEW, object_type="api.schema")
        return super().get(request, *args, **kwargs)


class OAuthDisabled(exceptions.NotFound):
    default_detail = "OAuth2 staat bij deze gemeente niet aan; gebruik een API-sleutel."


# oauthlib's errors in Dutch (invalid_client comes in Dutch from api/oauth.py already).
_OAUTH_ERRORS = {
    "invalid_request": "Het verzoek is onvolledig of dubbel. Stuur grant_type=client_credentials als formulier "
    "(application/x-www-form-urlencoded), met client_id en client_secret via HTTP Basic of in het formulier.",
    "unsupported_grant_type": "Alleen grant_type=client_credentials wordt ondersteund.",
    "invalid_scope": "Onbekende scope: vraag 'partner-api', of laat scope weg.",
    "unauthorized_client": "Deze client mag alleen client_credentials gebruiken.",
}


class OAuthTokenView(OAuthLibMixin, APIView):
    """POST /api/v1/oauth/token/: an access token for a partner's OAuth2 client
    (RFC 6749 §4.4, client credentials), by django-oauth-toolkit. 404 while
    VROEG_API_OAUTH_ENABLED is off."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [OAuthTokenRateThrottle]
    parser_classes = [FormParser]
    renderer_classes = [JSONRenderer]

    def initial(self, request, *args, **kwargs):
        if not settings.VROEG_API_OAUTH_ENABLED:
            raise OAuthDisabled
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="oauth_token",
        summary="Een toegangstoken voor uw OAuth2-client (client credentials)",
        description="Alleen als de gemeente OAuth2 heeft aangezet. De client meldt zich met HTTP Basic "
        "(client_id:client_secret) of met client_id en client_secret in het formulier.",
        request={"application/x-www-form-urlencoded": TokenRequestSerializer},
        responses={
            200: OpenApiResponse(TokenSerializer, description="Het token; geldig voor expires_in seconden."),
            400: OpenApiResponse(OAuthErrorSerializer, description="Onjuist verzoek (RFC 6749 §5.2)."),
            401: OpenApiResponse(
                OAuthErrorSerializer,
                description="invalid_client: onbekende client, onjuist geheim, of een ingetrokken of verlopen client.",
            ),
            404: OpenApiResponse(ProblemSerializer, description="OAuth2 staat bij deze gemeente niet aan."),
            429: _PROBLEMS[429],
        },
        auth=[],
    )
    def post(self, request):
        django_request = request._request
        django_request.sensitive_post_parameters = ["client_secret"]  # never in an error report
        client_id = client_id_of(django_request)
        _, headers, body, code = self.create_token_response(django_request)
        answer = json.loads(body)
        if code != status.HTTP_200_OK and answer.get("error") in _OAUTH_ERRORS:
            answer["error_description"] = _OAUTH_ERRORS[answer["error"]]
        if code == status.HTTP_200_OK:
            client = client_of_access_token(answer["access_token"])
            audit_log(
                action=AuditAction.LOGIN,
                actor=client.created_by,
                request=django_request,
                obj=client,
                detail={"oauth_client": client.client_id},
            )
        else:
            audit_log(
                action=AuditAction.LOGIN_FAILED,  # no actor: the address comes from the audit middleware
                object_type="api.oauth",
                object_id=client_id,
                detail={"oauth_client": client_id, "reason": answer.get("error", "")},
            )
        response = HttpResponse(json.dumps(answer), status=code, content_type="application/json")
        for name, value in headers.items():
            if name.lower() != "content-type":
                response[name] = value
        return response
