from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Feedback to partners and the collection pause (issue 6)."""

    name = "feedback"
    verbose_name = _("Partner feedback")

    def ready(self) -> None:
        # Feedback takes part in intake and in a case's steps through the hooks of the
        # layers below it (vroeg/hooks.py), never the other way round.
        from cases.hooks import case_closed, case_panels, help_accepted
        from signals.hooks import delivery_ingested

        from .services import feedback_case_closed, feedback_for_delivery, feedback_help_accepted
        from .views import case_panel

        delivery_ingested.register(feedback_for_delivery)
        help_accepted.register(feedback_help_accepted)
        case_closed.register(feedback_case_closed)
        case_panels.register(case_panel)
