"""Rate limit per API key (settings.VROEG_API_RATE, e.g. "120/minute"), counted in
the cache. Over the limit: 429 with Retry-After. With the cache unreachable the call
goes through rather than failing (the limit protects, it must not break intake)."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "partner_api"

    def get_rate(self) -> str:
        # Read per request (DRF makes a throttle per request): a changed setting applies at once.
        return settings.VROEG_API_RATE

    def get_cache_key(self, request, view) -> str | None:
        if request.auth is None:
            return None
        # The key's prefix, not its row id: ids repeat between test databases.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down
            logger.warning("API rate limit not checked: the cache is unreachable", exc_info=True)
            return True
