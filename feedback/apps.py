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
        from signals.hooks import delivery_ingested, profile_links, profile_problems

        from .platform import way_back_problems
        from .services import feedback_case_closed, feedback_for_delivery, feedback_help_accepted
        from .views import case_panel
        from .views_platform import profile_links as platform_feedback_links

        delivery_ingested.register(feedback_for_delivery)
        help_accepted.register(feedback_help_accepted)
        case_closed.register(feedback_case_closed)
        case_panels.register(case_panel)
        profile_problems.register(way_back_problems)
        profile_links.register(platform_feedback_links)
