from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Partner API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The bearer-key scheme in the OpenAPI document (drf-spectacular extension).
        from . import schema  # noqa: F401
