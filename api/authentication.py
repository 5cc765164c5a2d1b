"""`Authorization: Bearer <key or access token>`: the only way into the partner API
(no sessions, so no CSRF). The bearer is an API key, or (when VROEG_API_OAUTH_ENABLED)
an access token from /api/v1/oauth/token/. The principal is the key's or client's
partner; every view reads only that partner's data."""

from dataclasses import dataclass

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .services import (
    UNKNOWN_KEY,
    ApiKeyRefused,
    OAuthTokenRefused,
    api_key_authenticate,
    oauth_token_authenticate,
)


@dataclass(frozen=True)
class PartnerPrincipal:
    """Who calls: a partner's collection software, by one of its keys or clients."""

    partner: object
    # Who acts in the audit log and uploads: the user who made the key or client.
    acting_user: object
    # What the call came with, for the audit log: {"api_key": prefix} or
    # {"oauth_client": client id}; never a secret.
    credential: dict

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> None:  # not an account
        return None

    @property
    def rate_ident(self) -> str:
        """One rate limit per key, and per client (its token requests and calls)."""
        if "api_key" in self.credential:
            return f"key:{self.credential['api_key']}"
        return f"oauth:{self.credential['oauth_client']}"


KEYWORD = "Bearer"


def _bearer(request) -> str | None:
    """The bearer value, None without one; AuthenticationFailed when malformed."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(UNKNOWN_KEY)
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise exceptions.AuthenticationFailed(UNKNOWN_KEY) from None


def _refused(request, *, object_type: str, object_id: str, detail: dict, message: str):
    audit_log(
        action=AuditAction.LOGIN_FAILED,
        request=request._request,  # the DRF request's user is being decided
        object_type=object_type,
        object_id=object_id,
        detail=detail,
    )
    return exceptions.AuthenticationFailed(message)


class OAuthTokenAuthentication(BaseAuthentication):
    """An access token of a partner's OAuth2 client. A bearer that is no token is left
    to ApiKeyAuthentication (next in line), which answers for unknown bearers."""

    def authenticate(self, request):
        if not settings.VROEG_API_OAUTH_ENABLED:
            return None
        plain = _bearer(request)
        if plain is None:
            return None
        try:
            client = oauth_token_authenticate(plain)
        except OAuthTokenRefused as refused:
            raise _refused(
                request,
                object_type="api.oauth",
                object_id=refused.client_id,
                detail={"oauth_client": refused.client_id},
                message=refused.message,
            ) from None
        if client is None:
            return None
        principal = PartnerPrincipal(
            partner=client.partner, acting_user=client.created_by, credential={"oauth_client": client.client_id}
        )
        return principal, client

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="api"'


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        plain = _bearer(request)
        if plain is None:
            return None  # no key: NotAuthenticated (401) from the permission check
        try:
            api_key = api_key_authenticate(plain)
        except ApiKeyRefused as refused:
            raise _refused(
                request,
                object_type="api.key",
                object_id=plain[:8],
                detail={"api_key": plain[:8]},
                message=refused.message,
            ) from None
        principal = PartnerPrincipal(
            partner=api_key.partner, acting_user=api_key.created_by, credential={"api_key": api_key.prefix}
        )
        return principal, api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) without or with a wrong key.
        return f'{KEYWORD} realm="api"'
