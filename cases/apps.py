from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Vroegsignaalzaken: one case per household, its state machine and deadlines (issue 4)."""

    name = "cases"
    verbose_name = _("Cases")
