from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Vroegsignaalzaken: one case per household, its state machine and deadlines (issue 4)."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # A closure day added or deleted later moves the stored deadlines of open cases.
        from vroeg.calendar.services import closure_days_changed

        from .deadline_updates import case_deadlines_recompute

        closure_days_changed.register(case_deadlines_recompute)

        # Intake (signals, below cases) lets cases refuse rows, match them into cases,
        # link the new signals and assess what changed, through its hooks.
        from signals.hooks import delivery_ingested, intake_links, intake_matching, intake_refusals

        from .intake import match_into_cases, rows_objected_to, signal_links
        from .listeners import assess_after_commit

        intake_refusals.register(rows_objected_to)
        intake_matching.register(match_into_cases)
        intake_links.register(signal_links)
        delivery_ingested.register(assess_after_commit)
