"""Every resident is known by the keys of cases/persons.py: its own person_key, and,
for a resident with a BSN and a birth date, also its name key. Objections get the
keys of their resident. Crisis judgements stored on cases become CrisisTerm rows."""

import unicodedata

from django.db import migrations


def _name_key(prefix, surname, birth_date):
    name = unicodedata.normalize("NFKD", f"{prefix}{surname}".lower())
    name = "".join(ch for ch in name if ch.isalnum())
    return f"name:{name}|{birth_date.isoformat() if birth_date else ''}"


def forwards(apps, schema_editor):
    Resident = apps.get_model("cases", "Resident")
    ResidentKey = apps.get_model("cases", "ResidentKey")
    keys = []
    taken = set()
    for r in Resident.objects.order_by("pk").iterator(chunk_size=2000):
        for key in [r.person_key] + ([_name_key(r.prefix, r.surname, r.birth_date)] if r.bsn and r.birth_date else []):
            if (r.household_id, key) not in taken:
                taken.add((r.household_id, key))
                keys.append(ResidentKey(household_id=r.household_id, key=key, resident_id=r.pk))
    ResidentKey.objects.bulk_create(keys, batch_size=2000, ignore_conflicts=True)

    Objection = apps.get_model("cases", "Objection")
    for o in Objection.objects.select_related("resident"):
        r = o.resident
        if r is not None:
            o.bsn = r.bsn
            o.name_key = _name_key(r.prefix, r.surname, r.birth_date) if r.surname else ""
        elif o.person_key.startswith("bsn:"):
            o.bsn = o.person_key[4:]
        else:
            o.name_key = o.person_key
        o.save(update_fields=["bsn", "name_key"])

    Case = apps.get_model("cases", "Case")
    CrisisTerm = apps.get_model("cases", "CrisisTerm")
    CrisisTerm.objects.bulk_create(
        [
            CrisisTerm(case_id=pk, judged_on=judged, due=due, reason="Overgenomen uit een eerdere versie")
            for pk, judged, due in Case.objects.filter(crisis_judged_on__isnull=False, crisis_due__isnull=False)
            .values_list("pk", "crisis_judged_on", "crisis_due")
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_person_keys_crisis_terms")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
