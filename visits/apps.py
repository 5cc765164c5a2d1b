from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    """Home-visit days (issue 19): a round of due home visits planned for a day, its
    route sheet, and the visits recorded in one screen as contact attempts."""

    name = "visits"
    verbose_name = _("Home visits")
