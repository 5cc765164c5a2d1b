"""python manage.py import_debt_help_register FILE --municipality CODE

Replaces the municipality's register of current debt-help clients with the file:
CSV (`;` or `,`), header with bsn, achternaam, voorvoegsel, geboortedatum, postcode,
huisnummer (bsn, or achternaam + geboortedatum + postcode + huisnummer, per row).
Rows that identify nobody are reported and skipped; the rest replaces the register
in one transaction.
"""

import csv
import io

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases.models import DebtHelpClient
from signals.csvformat import (
    FileRefused,
    detect_encoding,
    normalise_bsn,
    normalise_name,
    normalise_postcode,
    parse_date,
)
from vroeg.municipalities.models import Municipality

COLUMNS = {"bsn", "achternaam", "voorvoegsel", "geboortedatum", "postcode", "huisnummer"}


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
                data = stream.read()
            text = data.decode(detect_encoding(io.BytesIO(data)))
        except OSError as exc:
            raise CommandError(f"Kan {file} niet openen: {exc.strerror}") from exc
        except FileRefused as exc:
            raise CommandError(exc.message) from exc
        clients, skipped = self._read(text, town)
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

    def _read(self, text: str, town):
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        names = {(n or "").strip().lower() for n in reader.fieldnames or []}
        by_name = {"achternaam", "geboortedatum", "postcode", "huisnummer"}
        if not names <= COLUMNS or not ("bsn" in names or by_name <= names):
            raise CommandError(
                "Kopregel klopt niet: gebruik bsn, achternaam, voorvoegsel, geboortedatum, postcode, huisnummer."
            )
        clients, skipped = [], []
        for line, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            bsn = normalise_bsn(row.get("bsn", "")) if row.get("bsn") else ""
            born = parse_date(row.get("geboortedatum", ""))
            postcode = normalise_postcode(row.get("postcode", "")) or ""
            number = int(row["huisnummer"]) if row.get("huisnummer", "").isdigit() else None
            name = normalise_name(row.get("voorvoegsel", ""), row.get("achternaam", ""))
            if bsn is None:
                skipped.append((line, "bsn is geen geldig burgerservicenummer"))
            elif bsn or (name and born and postcode and number):
                clients.append(
                    {"bsn": bsn, "name_key": name, "birth_date": born, "postcode": postcode, "house_number": number}
                )
            else:
                skipped.append((line, "geen bsn en geen volledige naam, geboortedatum en adres"))
        return clients, skipped
