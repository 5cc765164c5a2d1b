"""python manage.py export_profiles [--name NAME ...] [--output FILE]

Writes the newest version of every import profile (or the named ones), active or not,
as a JSON list that import_profiles reads (partners by code).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from signals.selectors import import_profiles_current
from signals.services_profiles import import_profile_export


class Command(BaseCommand):
    help = "Export import profiles as JSON (the newest version of each)."

    def add_arguments(self, parser):
        parser.add_argument("--name", action="append", default=[], help="only this profile (repeatable)")
        parser.add_argument("--output", help="file to write; default standard output")

    def handle(self, *args, name: list[str], output: str | None, **options):
        profiles = import_profiles_current(active_only=False)
        if name:
            profiles = profiles.filter(name__in=name)
            missing = sorted(set(name) - {p.name for p in profiles})
            if missing:
                raise CommandError(f"Onbekend importprofiel: {', '.join(missing)}")
        text = json.dumps([import_profile_export(p) for p in profiles], ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
