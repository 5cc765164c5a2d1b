"""python manage.py export_feedback --profile NAME --from YYYY-MM-DD --to YYYY-MM-DD [--output FILE]

Writes the feedback file of the newest version of import profile NAME for the feedback
given in the period (local days, both included): the same bytes as the download on the
profile's admin page (feedback/services_platform.py). Audited.
"""

import sys
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from feedback.services_platform import platform_feedback_export
from signals.selectors import import_profiles_current


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ongeldige datum '{value}'; gebruik JJJJ-MM-DD.") from exc


class Command(BaseCommand):
    help = "Write a platform's feedback file for a period, in the layout of its import profile."

    def add_arguments(self, parser):
        parser.add_argument("--profile", required=True, help="import profile name (its newest version)")
        parser.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="last day (included), YYYY-MM-DD")
        parser.add_argument("--output", help="file to write; default standard output")

    def handle(self, *args, profile: str, date_from: str, date_to: str, output: str | None, **options):
        found = import_profiles_current(active_only=False).filter(name=profile).first()
        if found is None:
            raise CommandError(f"Onbekend importprofiel: {profile}")
        try:
            export = platform_feedback_export(profile=found, date_from=_day(date_from), date_to=_day(date_to))
        except ValidationError as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        if output:
            with open(output, "wb") as out:
                out.writelines(export.chunks)
        else:
            sys.stdout.buffer.writelines(export.chunks)
            sys.stdout.buffer.flush()
