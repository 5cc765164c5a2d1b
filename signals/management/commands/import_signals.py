"""python manage.py import_signals FILE --partner CODE [--received-on YYYY-MM-DD]

Exit status: 0 processed (also with rejected lines), 2 file refused (nothing
stored), 1 other errors. The last line is `accepted=<n> repeated=<n> rejected=<n>`.
"""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from signals.models import DeliveryStatus, Partner
from signals.services import delivery_process, delivery_receive


class Command(BaseCommand):
    help = "Import a Signaal-CSV v1 file for a partner (same engine as the upload form)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str):
            # argparse exits with 2, which this command keeps for a refused file.
            parser.print_usage(sys.stderr)
            sys.stderr.write(f"{subcommand}: fout in de opdracht: {message}\n")
            sys.exit(1)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--partner", required=True, help="the partner's code")
        parser.add_argument(
            "--received-on",
            type=date.fromisoformat,
            help="date of receipt (YYYY-MM-DD), default today; starts the 4-week term",
        )

    def handle(self, *args, file: str, partner: str, received_on: date | None, **options):
        try:
            partner_obj = Partner.objects.get(code=partner)
        except Partner.DoesNotExist as exc:
            raise CommandError(f"Onbekende partner: {partner}") from exc
        try:
            stream = open(file, "rb")  # noqa: SIM115  (closed below)
        except OSError as exc:
            raise CommandError(f"Kan {file} niet openen: {exc.strerror}") from exc
        with stream:
            delivery = delivery_receive(
                partner=partner_obj,
                stream=stream,
                original_name=file.rsplit("/", 1)[-1],
                via_command=True,
                received_on=received_on,
                keep_file=False,
            )
            if delivery.status != DeliveryStatus.REFUSED:
                delivery = delivery_process(delivery_id=delivery.pk, stream=stream)
        if delivery.status == DeliveryStatus.REFUSED:
            self.stderr.write(f"Bestand geweigerd: {delivery.refusal_reason}")
            sys.exit(2)
        for line in delivery.rejected_lines.all().iterator():
            self.stdout.write(f"regel {line.line_number} ({line.partner_referentie or '-'}): " + " ".join(line.reasons))
        self.stdout.write(
            f"levering {delivery.public_id}: {delivery.rows_read} regels gelezen, "
            f"{delivery.accepted_count} geaccepteerd, {delivery.repeated_count} herhaald, "
            f"{delivery.rejected_count} afgewezen"
        )
        self.stdout.write(
            f"accepted={delivery.accepted_count} repeated={delivery.repeated_count} rejected={delivery.rejected_count}"
        )
