from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Top layer: the retention purge across every app and the privacy officer's
    search of the audit trail by resident."""

    name = "privacy"
    verbose_name = _("Privacy")
