"""The partner API (/api/v1/): deliver, poll a delivery's report, fetch feedback, and
the OpenAPI document. Every call is authenticated by an API key (api/authentication.py),
works on that key's partner's data only, is rate limited and audited."""

import io

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from signals.models import DeliveryStatus
from signals.services import delivery_receive
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.uploads import TOO_LARGE, upload_too_large

from .authentication import ApiKeyAuthentication
from .rows import RowsRefused, rows_to_csv
from .selectors import delivery_of_partner, delivery_report, feedback_since
from .serializers import (
    DeliveryRequestSerializer,
    DeliverySerializer,
    DeliveryUploadSerializer,
    FeedbackListSerializer,
    ProblemSerializer,
)
from .throttling import ApiKeyRateThrottle

NOT_FOUND = "Deze levering bestaat niet, of is niet van uw organisatie."
JSON_ROWS_NAME = "api-regels.csv"
JSON_TOO_LARGE = "Een verzoek met JSON-regels is hoogstens 5 MB; lever grote aantallen regels als bestand aan."

_PROBLEMS = {
    401: OpenApiResponse(ProblemSerializer, description="Geen, een onbekende, ingetrokken of verlopen sleutel."),
    429: OpenApiResponse(ProblemSerializer, description="Te veel verzoeken; probeer het na Retry-After seconden."),
}


class PartnerApiView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]

    def audit(self, request, **kwargs) -> None:
        """One audit entry per call: the key's creator acts, the key is named."""
        api_key = request.auth
        detail = {"api_key": api_key.prefix, **kwargs.pop("detail", {})}
        audit_log(actor=api_key.created_by, request=request, detail=detail, **kwargs)


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
            partner=partner, stream=stream, original_name=name, uploaded_by=request.auth.created_by
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


class FeedbackView(PartnerApiView):
    @extend_schema(
        operation_id="terugkoppeling_opvragen",
        summary="De terugkoppeling op uw signalen sinds een moment",
        parameters=[
            OpenApiParameter(
                "sinds",
                OpenApiTypes.DATETIME,
                required=True,
                description="ISO 8601, bv. 2026-11-01T00:00:00+01:00. "
                "Alleen terugkoppeling ná dit moment, oudste eerst.",
            )
        ],
        responses={200: FeedbackListSerializer, 400: ProblemSerializer, **_PROBLEMS},
    )
    def get(self, request):
        raw = request.query_params.get("sinds", "")
        try:
            since = parse_datetime(raw.replace(" ", "+"))  # a '+' in a query string arrives as a space
        except ValueError:
            since = None
        if since is None:
            return _problem(
                "Geef 'sinds' mee als datum en tijd (ISO 8601), bv. 2026-11-01T00:00:00+01:00.",
                status.HTTP_400_BAD_REQUEST,
            )
        if is_naive(since):
            since = make_aware(since)  # local time, as the partner's pages show it
        partner = request.user.partner
        rows = feedback_since(partner=partner, since=since)
        self.audit(
            request,
            action=AuditAction.DOWNLOAD,
            object_type="api.feedback",
            object_id=partner.pk,
            detail={"since": since.isoformat(), "rows": len(rows)},
        )
        return Response(FeedbackListSerializer({"sinds": since, "terugkoppeling": rows}).data)


class SchemaView(PartnerApiView, SpectacularAPIView):
    """The OpenAPI 3 document, as JSON (no Swagger UI: no CDN). Needs a key too."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]  # application/json first

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        self.audit(request, action=AuditAction.VIEW, object_type="api.schema")
        return super().get(request, *args, **kwargs)
