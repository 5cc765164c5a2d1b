"""The shapes of the API's answers, for the OpenAPI document (drf-spectacular). The
views build plain dicts (api/selectors.py); these describe and render them."""

from rest_framework import serializers

from feedback.models import FeedbackResult
from signals.models import DeliveryStatus


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Wat er mis is, in het Nederlands.")


class RejectedLineSerializer(serializers.Serializer):
    regel = serializers.IntegerField(help_text="Regelnummer in het bestand (de kopregel is regel 1).")
    partner_referentie = serializers.CharField(allow_blank=True)
    redenen = serializers.ListField(child=serializers.CharField())


class DeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="Het nummer van de levering; gebruik het om de status op te vragen.")
    bestandsnaam = serializers.CharField()
    ontvangen_op = serializers.DateTimeField()
    datum_ontvangst = serializers.DateField(help_text="De start van de wettelijke termijn van de signalen.")
    status = serializers.ChoiceField(choices=DeliveryStatus.values)
    status_omschrijving = serializers.CharField()
    verwerkt_op = serializers.DateTimeField(allow_null=True)
    regels_gelezen = serializers.IntegerField()
    geaccepteerd = serializers.IntegerField()
    herhaald = serializers.IntegerField()
    afgewezen = serializers.IntegerField()
    reden_weigering = serializers.CharField(allow_blank=True, help_text="Leeg, tenzij de status 'refused' is.")
    afgewezen_regels = RejectedLineSerializer(many=True)


class DeliveryRequestSerializer(serializers.Serializer):
    """Rows as JSON: each an object with the Signaal-CSV v1 column names as keys."""

    regels = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True)),
        help_text="De regels van een Signaal-CSV v1-bestand, met de kolomnamen van het formaat als sleutels.",
    )


class DeliveryUploadSerializer(serializers.Serializer):
    bestand = serializers.FileField(help_text="Een Signaal-CSV v1-bestand (hoogstens 50 MB).")


class FeedbackSerializer(serializers.Serializer):
    partner_referentie = serializers.CharField()
    signaal_type = serializers.CharField()
    signaaldatum = serializers.DateField()
    teruggekoppeld_op = serializers.DateTimeField()
    resultaat = serializers.ChoiceField(choices=FeedbackResult.values)
    resultaat_omschrijving = serializers.CharField()
    toelichting = serializers.CharField(allow_blank=True)
    incassopauze_tot = serializers.DateField(allow_null=True)


class FeedbackListSerializer(serializers.Serializer):
    sinds = serializers.DateTimeField(help_text="Het moment uit de eerste vraag; hetzelfde op elke volgende pagina.")
    terugkoppeling = FeedbackSerializer(many=True)
    volgende = serializers.URLField(
        allow_null=True,
        help_text="De link naar de volgende pagina (met 'vanaf'); null op de laatste pagina.",
    )


class TokenRequestSerializer(serializers.Serializer):
    """RFC 6749 §4.4: the client authenticates by HTTP Basic (preferred) or in the form."""

    grant_type = serializers.ChoiceField(choices=["client_credentials"])
    scope = serializers.ChoiceField(
        choices=["partner-api"], required=False, help_text="Mag weg; de enige scope is 'partner-api'."
    )
    client_id = serializers.CharField(required=False, help_text="Alleen als u geen HTTP Basic gebruikt.")
    client_secret = serializers.CharField(required=False, help_text="Alleen als u geen HTTP Basic gebruikt.")


class TokenSerializer(serializers.Serializer):
    access_token = serializers.CharField(help_text="Stuur mee als 'Authorization: Bearer <token>'.")
    token_type = serializers.ChoiceField(choices=["Bearer"])
    expires_in = serializers.IntegerField(help_text="Seconden dat het token geldig is.")
    scope = serializers.CharField()


class OAuthErrorSerializer(serializers.Serializer):
    """RFC 6749 §5.2."""

    error = serializers.CharField(help_text="Bv. invalid_client, invalid_request, unsupported_grant_type.")
    error_description = serializers.CharField(required=False, help_text="Wat er mis is, in het Nederlands.")
