from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_LOGINS, DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo municipality, partners and accounts (idempotent; demo mode only)."

    def handle(self, *args, **options) -> None:
        try:
            demo_load()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<11} ({login.role}) password: {DEMO_PASSWORD}")
