from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Feedback to partners and the collection pause (issue 6)."""

    name = "feedback"
    verbose_name = _("Partner feedback")
