from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Top layer: the team lead's reports and dashboard and the DDAS export to CBS,
    which read across signals, cases and outreach."""

    name = "reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the DDAS pull API's deploy check)
