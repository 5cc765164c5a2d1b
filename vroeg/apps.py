from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class VroegConfig(AppConfig):
    """The project package itself: heartbeat, health check, management commands."""

    name = "vroeg"
    verbose_name = "Vroeg"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)


class VroegAdminConfig(AdminConfig):
    """Django's admin, on the site class in vroeg/admin_site.py."""

    default_site = "vroeg.admin_site.VroegAdminSite"
