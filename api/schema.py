"""The security schemes of the OpenAPI document (drf-spectacular): the bearer key
always, OAuth2 client credentials only when the installation has it on."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .services import SCOPE

SCOPE_WORDS = "Aanleveren en opvragen voor uw eigen organisatie."
# The components only the token endpoint uses.
_TOKEN_COMPONENTS = ("TokenRequestRequest", "Token", "OAuthError", "GrantTypeEnum", "ScopeEnum", "TokenTypeEnum")


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Een API-sleutel uit het partnerportaal (API-sleutels): 'Authorization: Bearer <sleutel>'.",
        }


class OAuthTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.OAuthTokenAuthentication"
    name = "oauth2"

    def get_security_requirement(self, auto_schema):
        return {self.name: [SCOPE]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": "OAuth2 client credentials (RFC 6749 §4.4): een client uit het partnerportaal "
            "haalt een toegangstoken op en stuurt het mee als 'Authorization: Bearer <token>'.",
            # Made absolute by oauth_when_enabled, from the request for the document.
            "flows": {"clientCredentials": {"tokenUrl": reverse("api-oauth-token"), "scopes": {SCOPE: SCOPE_WORDS}}},
        }


def oauth_when_enabled(result, generator, request, public):
    """Postprocessing hook: without OAuth2 the document has no token endpoint and no
    OAuth2 scheme (it would promise what answers 404); with it, the token URL is
    absolute, as OpenAPI wants a URL."""
    token_path = reverse("api-oauth-token")
    schemes = result.get("components", {}).get("securitySchemes", {})
    if settings.VROEG_API_OAUTH_ENABLED:
        if request is not None and "oauth2" in schemes:
            schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] = request.build_absolute_uri(token_path)
        return result
    result["paths"].pop(token_path, None)
    schemes.pop("oauth2", None)
    for name in _TOKEN_COMPONENTS:
        result.get("components", {}).get("schemas", {}).pop(name, None)
    for operations in result["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict) and "security" in operation:
                operation["security"] = [need for need in operation["security"] if "oauth2" not in need]
    return result
