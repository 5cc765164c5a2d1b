"""`Authorization: Bearer <key>`: the only way into the partner API (no sessions, so
no CSRF). The principal is the key's partner; every view reads only that partner's data."""

from dataclasses import dataclass

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .models import ApiKey
from .services import UNKNOWN_KEY, ApiKeyRefused, api_key_authenticate


@dataclass(frozen=True)
class PartnerPrincipal:
    """Who calls: a partner's collection software, by one of its keys."""

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False

    @property
    def partner(self):
        return self.api_key.partner

    @property
    def pk(self) -> None:  # not an account
        return None


class ApiKeyAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no key: NotAuthenticated (401) from the permission check
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(UNKNOWN_KEY)
        try:
            plain = parts[1].decode("ascii")
            api_key = api_key_authenticate(plain)
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(UNKNOWN_KEY) from None
        except ApiKeyRefused as refused:
            audit_log(
                action=AuditAction.LOGIN_FAILED,
                request=request._request,  # the DRF request's user is being decided
                object_type="api.key",
                object_id=plain[:8],
                detail={"api_key": plain[:8]},
            )
            raise exceptions.AuthenticationFailed(refused.message) from None
        return PartnerPrincipal(api_key=api_key), api_key

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) without or with a wrong key.
        return f'{self.keyword} realm="api"'
