"""python manage.py purge_personal_data [--dry-run]

Removes personal data past its retention term (privacy/retention.py); beat runs the
same every night. --dry-run only says what would go. Exit status 0.
"""

from django.core.management.base import BaseCommand

from privacy.retention import retention_plan, retention_purge

LABELS = {
    "not_picked_up": "zaken niet opgepakt",
    "closed_without_help": "zaken afgesloten zonder hulp",
    "closed_after_help": "zaken afgesloten na geaccepteerde hulp",
    "signals_without_case": "signalen zonder zaak (herhaalde meldingen)",
    "delivery_reports": "afgewezen regels uit leveringsverslagen",
    "notifications": "meldingen",
    "audit": "audit-regels",
}


class Command(BaseCommand):
    help = "Remove personal data whose retention term has passed (--dry-run: only report)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only report what would be removed")

    def handle(self, *args, dry_run: bool, **options):
        counts = retention_plan() if dry_run else retention_purge()
        verb = "zou verwijderen" if dry_run else "verwijderd"
        for key, label in LABELS.items():
            self.stdout.write(f"{label}: {counts.get(key, 0)} {verb}")
