from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignalsConfig(AppConfig):
    """Signal partners and, from issue 3 on, their deliveries and signals."""

    name = "signals"
    verbose_name = _("Signals")
