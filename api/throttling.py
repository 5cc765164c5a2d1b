"""Rate limit per API key and per OAuth2 client (settings.VROEG_API_RATE, e.g.
"120/minute"), counted in the cache; a client's token requests are counted apart
from its calls, so a flood of token requests naming it cannot stop its calls. Over
the limit: 429 with Retry-After. With the cache unreachable the call goes through
rather than failing (the limit protects, it must not break intake)."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .oauth import client_id_of

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "partner_api"

    def get_rate(self) -> str:
        # Read per request (DRF makes a throttle per request): a changed setting applies at once.
        return settings.VROEG_API_RATE

    def get_cache_key(self, request, view) -> str | None:
        if request.auth is None:
            return None
        # The key's prefix or the client's id, not a row id: ids repeat between test databases.
        return self.cache_format % {"scope": self.scope, "ident": request.user.rate_ident}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down
            logger.warning("API rate limit not checked: the cache is unreachable", exc_info=True)
            return True


class OAuthTokenRateThrottle(ApiKeyRateThrottle):
    """The token endpoint, per client id the request names (guessing a secret is
    limited; the calls of a client with a valid token are not counted here)."""

    def get_cache_key(self, request, view) -> str | None:
        client_id = client_id_of(request._request)
        if not client_id:
            return None  # names no client: refused as invalid_client at once
        return self.cache_format % {"scope": self.scope, "ident": f"oauth-token:{client_id}"}
