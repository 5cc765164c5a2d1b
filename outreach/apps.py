from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Contact attempts, letters and the Plan van Aanpak (issue 5)."""

    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from cases.hooks import register_close_check

        from .services import action_plan_close_check

        register_close_check(action_plan_close_check)
