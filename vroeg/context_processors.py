from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

from vroeg.municipalities.selectors import user_municipalities
from vroeg.notifications.selectors import unread_count


class _Unread:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        if self.user is None or not self.user.is_authenticated:
            return 0
        return unread_count(user=self.user)


def vroeg(request: HttpRequest) -> dict:
    """Shared template context: the user's municipalities (loaded only when shown)."""
    user = getattr(request, "user", None)
    return {
        "user_municipalities": SimpleLazyObject(lambda: user_municipalities(user=user) if user is not None else []),
        "demo_mode": settings.VROEG_DEMO,
        # The bell's count: one query, only on pages that show it.
        "unread_notifications": _Unread(user),
    }
