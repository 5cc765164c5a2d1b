"""python manage.py import_signals FILE (--partner CODE | --profile NAME) [--received-on YYYY-MM-DD]

With --profile the file is read through that import profile (its newest version, which
must be active): one delivery per partner in it, rejected lines by source line number.

Exit status: 0 processed (also with rejected lines), 2 file refused (nothing
stored), 1 other errors. The last line is `accepted=<n> repeated=<n> rejected=<n>`.
"""

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from signals.models import Delivery, DeliveryStatus, Partner, ProfileImport
from signals.selectors import import_profiles_current
from signals.services import delivery_process, delivery_receive
from signals.services_profiles import profile_import_receive


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
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--partner", help="the partner's code (a Signaal-CSV v1 file)")
        source.add_argument("--profile", help="the name of an import profile (a file in another layout)")
        parser.add_argument(
            "--received-on",
            type=date.fromisoformat,
            help="date of receipt (YYYY-MM-DD), default today; starts the 4-week term",
        )

    def handle(self, *args, file: str, partner: str | None, profile: str | None, received_on: date | None, **options):
        if profile is not None:
            return self._through_profile(file, profile, received_on)
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
        self._report(delivery)
        self.stdout.write(
            f"accepted={delivery.accepted_count} repeated={delivery.repeated_count} rejected={delivery.rejected_count}"
        )

    def _report(self, delivery: Delivery) -> None:
        for line in delivery.rejected_lines.all().iterator():
            self.stdout.write(f"regel {line.line_number} ({line.partner_referentie or '-'}): " + " ".join(line.reasons))
        self.stdout.write(
            f"levering {delivery.public_id}: {delivery.rows_read} regels gelezen, "
            f"{delivery.accepted_count} geaccepteerd, {delivery.repeated_count} herhaald, "
            f"{delivery.rejected_count} afgewezen"
        )

    def _through_profile(self, file: str, name: str, received_on: date | None) -> None:
        profile = import_profiles_current().filter(name=name).first()
        if profile is None:
            raise CommandError(f"Onbekend of niet actief importprofiel: {name}")
        try:
            stream = open(file, "rb")  # noqa: SIM115  (closed below)
        except OSError as exc:
            raise CommandError(f"Kan {file} niet openen: {exc.strerror}") from exc
        with stream:
            record = profile_import_receive(
                profile=profile,
                stream=stream,
                original_name=file.rsplit("/", 1)[-1],
                via_command=True,
                received_on=received_on,
                process_now=True,
            )
        if record.status == ProfileImport.Status.REFUSED:
            self.stderr.write(f"Bestand geweigerd: {record.refusal_reason}")
            sys.exit(2)
        totals = {"accepted": 0, "repeated": 0, "rejected": len(record.rejected_lines)}
        for line in record.rejected_lines:
            self.stdout.write(f"regel {line['line']} (geen partner): " + " ".join(line["reasons"]))
        for delivery in record.deliveries.select_related("partner"):
            self.stdout.write(f"partner {delivery.partner.code}:")
            if delivery.status == DeliveryStatus.REFUSED:
                self.stdout.write(f"levering geweigerd: {delivery.refusal_reason}")
                continue
            self._report(delivery)
            totals["accepted"] += delivery.accepted_count
            totals["repeated"] += delivery.repeated_count
            totals["rejected"] += delivery.rejected_count
        self.stdout.write(" ".join(f"{key}={value}" for key, value in totals.items()))
