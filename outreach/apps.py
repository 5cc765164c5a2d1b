from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Contact attempts, letters and the Plan van Aanpak (issue 5)."""

    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from cases.hooks import case_panels, close_check

        from .services import action_plan_close_check
        from .views import case_panel

        close_check.register(action_plan_close_check)
        case_panels.register(case_panel)
