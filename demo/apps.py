from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Top layer: demo data made through every app's own services (`load_demo`)."""

    name = "demo"
    verbose_name = _("Demo data")
