"""python manage.py export_ddas --municipality CODE [--municipality CODE ...]
        --start YYYY-MM-DD --end YYYY-MM-DD --output FILE

Writes the DDAS v1.2 delivery for CBS (reports/ddas/export.py): one `levering` per
municipality, over the signals received from start to end (both included). FILE is
written under a temporary name in the same folder and renamed into place only when
complete, with mode 600 (it holds BSNs); `--output -` writes to standard output and
the summary to standard error. Exit status: 0 written, 1 any error (then no FILE is
written or changed).
"""

import errno
import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.ddas.export import DdasConfigurationError, ddas_export
from vroeg.municipalities.models import Municipality
from vroeg.replica import reads_from_replica

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Command(BaseCommand):
    help = "Write the DDAS v1.2 delivery (Uitwisselmodel) for CBS of one or more municipalities."
    # No system checks first: they import every view of the URLconf (0.3 s and 16 MB of
    # a run of about a second, issue 21); `manage.py check --deploy` is the place for
    # them, and the export checks its own DDAS settings (DdasConfigurationError).
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str):
            # argparse would exit with 2; this command uses 1 for every error.
            parser.print_usage(sys.stderr)
            sys.stderr.write(f"{subcommand}: fout in de opdracht: {message}\n")
            sys.exit(1)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality",
            action="append",
            required=True,
            metavar="CODE",
            help="CBS code of a municipality (4 digits); repeat for more municipalities",
        )
        parser.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first date of receipt")
        parser.add_argument("--end", required=True, metavar="YYYY-MM-DD", help="last date of receipt")
        parser.add_argument("--output", required=True, metavar="FILE", help="file to write, or - for stdout")

    def handle(self, *args, municipality: list[str], start: str, end: str, output: str, **options):
        start_on = _date(start, "--start")
        end_on = _date(end, "--end")
        if start_on > end_on:
            raise CommandError(f"De startdatum ({start_on:%d-%m-%Y}) ligt na de einddatum ({end_on:%d-%m-%Y}).")
        municipalities = _municipalities(municipality)
        if output == "-":
            # The wrapper's own write() adds a newline to every call: write to its stream.
            counts = self._export(municipalities, start_on, end_on, self.stdout._out)
            report = self.stderr
        else:
            counts = self._export_to_file(municipalities, start_on, end_on, Path(output))
            report = self.stdout
        for m in municipalities:
            c = counts[m.code]
            report.write(
                f"Gemeente {m.code} ({m.name}): {c['signals']} vroegsignalen, "
                f"{c['cases']} vroegsignaalzaken, ontvangen {start_on:%d-%m-%Y} t/m {end_on:%d-%m-%Y}."
            )
        if output != "-":
            report.write(f"DDAS-levering geschreven naar {output}.")

    @reads_from_replica()
    def _export(self, municipalities, start: date, end: date, out) -> dict:
        try:
            return ddas_export(municipalities=municipalities, start=start, end=end, out=out)
        except DdasConfigurationError as exc:
            raise CommandError(f"De DDAS-instellingen kloppen niet: {exc}") from exc

    def _export_to_file(self, municipalities, start: date, end: date, target: Path) -> dict:
        folder = target.parent
        if not folder.is_dir():
            raise CommandError(f"De map {folder} bestaat niet. Maak de map eerst aan of kies een andere.")
        if target.is_dir():
            raise CommandError(f"{target} is een map. Geef de naam van een bestand op.")
        try:
            tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed below)
                "w", encoding="utf-8", dir=folder, prefix=f".{target.name}.", suffix=".tmp", delete=False
            )
        except OSError as exc:
            raise CommandError(f"Kan niet schrijven in de map {folder}: {_reason(exc)}.") from exc
        done = False
        try:
            with tmp:
                counts = self._export(municipalities, start, end, tmp)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp.name, target)
            done = True
        except OSError as exc:
            raise CommandError(f"Kan {target} niet schrijven: {_reason(exc)}.") from exc
        finally:
            if not done:
                Path(tmp.name).unlink(missing_ok=True)
        return counts


def _reason(exc: OSError) -> str:
    """Why writing failed, in Dutch where it is a common reason."""
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return "geen schrijfrechten"
    if exc.errno == errno.ENOSPC:
        return "de schijf is vol"
    return exc.strerror or str(exc)


def _date(value: str, option: str) -> date:
    try:
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Ongeldige datum bij {option}: '{value}'. Gebruik JJJJ-MM-DD, bijvoorbeeld 2026-11-01."
        ) from None


def _municipalities(codes: list[str]) -> list[Municipality]:
    """The municipalities in the order given (each once); only known, active ones."""
    codes = list(dict.fromkeys(code.strip() for code in codes))
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise CommandError(
            f"Onbekende gemeentecode: {', '.join(unknown)}. "
            "Geef de CBS-code (4 cijfers) van een gemeente die Vroeg bedient, bijvoorbeeld 0363."
        )
    inactive = [found[code] for code in codes if not found[code].active]
    if inactive:
        names = ", ".join(f"{m.name} ({m.code})" for m in inactive)
        raise CommandError(f"Gemeente niet actief: {names}. Vroeg levert alleen voor actieve gemeenten.")
    return [found[code] for code in codes]
