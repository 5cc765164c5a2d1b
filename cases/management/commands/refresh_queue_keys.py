"""python manage.py refresh_queue_keys [--all]

Brings the queue's stored sort keys (cases/queue_keys.py) up to date for today and the
current priority weights, as beat does every 10 minutes; `--all` refreshes every open
case (after a restore or a repair of data outside the services).
"""

from django.core.management.base import BaseCommand

from cases.queue_keys import queue_keys_sweep


class Command(BaseCommand):
    help = "Refresh the queue's stored sort keys for today and the current priority weights."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="refresh every open case")

    def handle(self, *args, all: bool = False, **options):
        refreshed = queue_keys_sweep(everything=all)
        self.stdout.write(f"Wachtrijsleutels bijgewerkt: {refreshed} zaken.")
