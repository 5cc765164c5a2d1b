from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from vroeg.municipalities.selectors import municipalities_for_user


def vroeg(request: HttpRequest) -> dict:
    """Shared template context: the user's municipalities (loaded only when shown)."""
    user = getattr(request, "user", None)
    return {
        "user_municipalities": SimpleLazyObject(
            lambda: list(municipalities_for_user(user=user)) if user is not None else []
        ),
        "demo_mode": settings.VROEG_DEMO,
    }
