from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class VroegModelBackend(ModelBackend):
    """Django's model backend, refusing demo accounts outside demo mode."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.VROEG_DEMO:
            return False
        return super().user_can_authenticate(user)
