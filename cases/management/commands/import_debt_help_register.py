"""python manage.py import_debt_help_register FILE --municipality CODE

Replaces the municipality's register of current debt-help clients with the file:
CSV read by the one reader of every upload (vroeg/csvfile.py: encoding, `;` or `,`,
quoting, line numbers), header with bsn, achternaam, voorvoegsel, geboortedatum,
postcode, huisnummer (bsn, or achternaam + geboortedatum + postcode + huisnummer, per
row). Rows that identify nobody are reported and skipped; the rest replaces the
register in one transaction.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.models import DebtHelpClient
from vroeg.csvfile import CsvFile, FileRefused
from vroeg.dutch import is_number, normalise_bsn, normalise_name, normalise_postcode, parse_date
from vroeg.municipalities.models import Municipality

COLUMNS = ("bsn", "achternaam", "voorvoegsel", "geboortedatum", "postcode", "huisnummer")
BY_NAME = {"achternaam", "geboortedatum", "postcode", "huisnummer"}
NAME_MAX = DebtHelpClient._meta.get_field("name_key").max_length
MAX_BYTES = 200 * 1024 * 1024  # a register of every client of a large city


class Command(BaseCommand):
    help = "Replace a municipality's register of current debt-help clients from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--municipality", required=True, help="CBS code, e.g. 0363")

    def handle(self, *args, file: str, municipality: str, **options):
        try:
            town = Municipality.objects.get(code=municipality)
        except Municipality.DoesNotExist as exc:
            raise CommandError(f"Onbekende gemeente: {municipality}") from exc
        try:
            with open(file, "rb") as stream:
                clients, skipped = self._read(stream)
        except OSError as exc:
            raise CommandError(f"Kan {file} niet openen: {exc.strerror}") from exc
        except FileRefused as exc:
            raise CommandError(exc.message) from exc
        now = timezone.now()
        with transaction.atomic():
            DebtHelpClient.objects.filter(municipality=town).delete()
            DebtHelpClient.objects.bulk_create(
                [DebtHelpClient(municipality=town, imported_at=now, **c) for c in clients],
                batch_size=5000,
            )
        for line, reason in skipped:
            self.stdout.write(f"regel {line} overgeslagen: {reason}")
        self.stdout.write(f"register {town.name}: {len(clients)} cliënten, {len(skipped)} regels overgeslagen")

    def _read(self, stream):
        with CsvFile(stream, columns=COLUMNS, required=(), max_bytes=MAX_BYTES) as table:
            if not ("bsn" in table.columns or set(table.columns) >= BY_NAME):
                raise FileRefused(
                    "Kopregel klopt niet: gebruik bsn, of achternaam, geboortedatum, postcode en huisnummer "
                    "(voorvoegsel mag erbij)."
                )
            clients, skipped = [], []
            for line in table:
                if line.values is None:
                    skipped.append((line.line, line.problem))
                    continue
                row = line.values
                bsn = normalise_bsn(row.get("bsn", "")) if row.get("bsn") else ""
                born = parse_date(row.get("geboortedatum", ""))
                postcode = normalise_postcode(row.get("postcode", "")) or ""
                number = int(row["huisnummer"]) if is_number(row.get("huisnummer", "")) else None
                name = normalise_name(row.get("voorvoegsel", ""), row.get("achternaam", ""))
                if bsn is None:
                    skipped.append((line.line, "bsn is geen geldig burgerservicenummer"))
                elif len(name) > NAME_MAX:
                    skipped.append((line.line, f"voorvoegsel en achternaam samen zijn langer dan {NAME_MAX} tekens"))
                elif bsn or (name and born and postcode and number):
                    clients.append(
                        {"bsn": bsn, "name_key": name, "birth_date": born, "postcode": postcode, "house_number": number}
                    )
                else:
                    skipped.append((line.line, "geen bsn en geen volledige naam, geboortedatum en adres"))
        return clients, skipped
