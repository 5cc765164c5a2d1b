from django.core.management.base import BaseCommand

from vroeg.accounts.roles import ROLE_PERMISSIONS, roles_sync


class Command(BaseCommand):
    help = "Create the role groups and set their permissions as vroeg/accounts/roles.py says."

    def handle(self, *args, **options) -> None:
        roles_sync()
        for role in ROLE_PERMISSIONS:
            self.stdout.write(f"{role}: ok")
