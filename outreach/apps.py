from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Contact attempts, letters and the Plan van Aanpak (issue 5)."""

    name = "outreach"
    verbose_name = _("Outreach")

    def ready(self) -> None:
        from cases.hooks import case_panels, close_check, state_changed, tray_changed

        from .services import action_plan_close_check, plan_on_state_changed, plan_on_tray_changed
        from .views import case_panel

        close_check.register(action_plan_close_check)
        case_panels.register(case_panel)
        # The next step of a case's contact plan follows its steps and its trays.
        state_changed.register(plan_on_state_changed)
        tray_changed.register(plan_on_tray_changed)
        from .reach import reach_panel  # the suggestion for the next attempt (issue 19)

        case_panels.register(reach_panel)
