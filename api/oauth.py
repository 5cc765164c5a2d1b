"""OAuth2 client credentials for the partner API, through django-oauth-toolkit (DOT):
its token endpoint logic with oauthlib's BackendApplicationServer (the
client-credentials grant only; settings.OAUTH2_PROVIDER), and this validator, which
lets only a partner's own, active client have a token."""

import base64
import binascii
from urllib.parse import unquote_plus

from django.http import HttpRequest
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import errors

from .models import OAuthClient
from .services import UNKNOWN_CLIENT, oauth_client_refusal, oauth_token_issued


class PartnerOAuth2Validator(OAuth2Validator):
    """DOT's checks (the client id, the hashed secret, the grant type, the scope), and
    then ours: the client belongs to a partner and is neither revoked nor expired, and
    the partner is active. Every refusal is `invalid_client` with a Dutch description."""

    def authenticate_client(self, request, *args, **kwargs) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            raise errors.InvalidClientError(description=UNKNOWN_CLIENT, request=request)
        client = OAuthClient.objects.select_related("partner").filter(application=request.client).first()
        if client is None:  # an application made outside the portal: not a partner's
            raise errors.InvalidClientError(description=UNKNOWN_CLIENT, request=request)
        if refusal := oauth_client_refusal(client):
            raise errors.InvalidClientError(description=refusal, request=request)
        request.partner_client = client
        return True

    def save_bearer_token(self, token, request, *args, **kwargs):
        saved = super().save_bearer_token(token, request, *args, **kwargs)
        oauth_token_issued(client=request.partner_client)
        return saved


def client_id_of(request: HttpRequest) -> str:
    """The client id a token request names (HTTP Basic, else the form), never the
    secret; "" when it names none. For the rate limit and the audit log."""
    kind, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote_plus(decoded.partition(":")[0])[:64]
    return str(request.POST.get("client_id", ""))[:64]
