"""python manage.py import_profiles FILE

Reads the JSON list export_profiles writes and saves each profile as the next version
of its name; a profile equal to its newest version saves nothing. All or nothing: one
profile with a problem stops the import, naming it, with nothing saved.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from signals.services_profiles import import_profile_import


class Command(BaseCommand):
    help = "Import import profiles from JSON (export_profiles' format)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            with open(file, encoding="utf-8") as source:
                data = json.load(source)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Kan {file} niet lezen als JSON: {exc}") from exc
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise CommandError("Het bestand bevat geen lijst van profielen.")
        with transaction.atomic():
            for item in data:
                try:
                    profile = import_profile_import(item)
                except ValidationError as exc:
                    raise CommandError(f"Profiel {item.get('name', '?')}: {' '.join(exc.messages)}") from exc
                self.stdout.write(f"{profile.name}: versie {profile.version}")
