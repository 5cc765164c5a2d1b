"""A signal that joined a case after it was picked up kept "Nog niet opgepakt" until
intake learned otherwise (issue 13); in an open, picked-up case it is "Opgepakt", as
the case's other signals are (DDAS EnumSignaalstatus). Closed cases set every
signal's status when they closed, so they need nothing."""

from django.db import migrations


def forwards(apps, schema_editor):
    Signal = apps.get_model("signals", "Signal")
    Case = apps.get_model("cases", "Case")
    picked_up = Case.objects.filter(picked_up_on__isnull=False, closed_at__isnull=True).values("pk")
    Signal.objects.filter(case_id__in=picked_up, status="Nog niet opgepakt").update(status="Opgepakt")


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_backfill_person_keys"), ("signals", "0010_partner_types_by_sector")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
