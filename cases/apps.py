from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Vroegsignaalzaken: one case per household, its state machine and deadlines (issue 4)."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # A closure day added or deleted later moves the stored deadlines of open cases.
        from vroeg.calendar.services import closure_days_changed_register

        from .deadline_updates import case_deadlines_recompute

        closure_days_changed_register(case_deadlines_recompute)
