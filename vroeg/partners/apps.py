from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Signal partners and partner types: core reference data every layer reads."""

    name = "vroeg.partners"
    label = "partners"
    verbose_name = _("Signal partners")
