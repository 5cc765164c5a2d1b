"""Every resident is known by the keys of cases/persons.py: its own person_key, and,
for a resident with a BSN and a birth date, also its name key. When that name key is
the own key of another resident of the household without a BSN, the two were one
person split by the old intake: they are merged here (audited) as intake would merge
them. Objections get the keys of their resident. Crisis judgements stored on cases
become CrisisTerm rows."""

import unicodedata

from django.db import migrations


def _name_key(prefix, surname, birth_date):
    name = unicodedata.normalize("NFKD", f"{prefix}{surname}".lower())
    name = "".join(ch for ch in name if ch.isalnum())
    return f"name:{name}|{birth_date.isoformat() if birth_date else ''}"


def forwards(apps, schema_editor):
    Resident = apps.get_model("cases", "Resident")
    ResidentKey = apps.get_model("cases", "ResidentKey")
    # Own keys first: unique per household under the old constraint.
    ResidentKey.objects.bulk_create(
        (ResidentKey(household_id=h, key=key, resident_id=pk)
         for pk, h, key in Resident.objects.values_list("pk", "household_id", "person_key").iterator(chunk_size=2000)),
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip
    for r in Resident.objects.exclude(bsn="").filter(birth_date__isnull=False).order_by("pk").iterator(chunk_size=2000):
        key = _name_key(r.prefix, r.surname, r.birth_date)
        other = ResidentKey.objects.filter(household_id=r.household_id, key=key).select_related("resident").first()
        if other is None:
            ResidentKey.objects.create(household_id=r.household_id, key=key, resident_id=r.pk)
        elif other.resident_id != r.pk and not other.resident.bsn:
            _merge(apps, keep_id=min(r.pk, other.resident_id), merge_id=max(r.pk, other.resident_id))
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


def _merge(apps, *, keep_id, merge_id):
    """cases.persons.resident_merge as it stood when this migration was written."""
    Resident = apps.get_model("cases", "Resident")
    keep, merge = Resident.objects.get(pk=keep_id), Resident.objects.get(pk=merge_id)
    for app_label, model in (("signals", "Signal"), ("cases", "ResidentKey"), ("cases", "Objection")):
        apps.get_model(app_label, model).objects.filter(resident_id=merge_id).update(resident_id=keep_id)
    for field in ("bsn", "birth_date", "initials", "prefix"):
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
    keep.save()
    merge.delete()
    apps.get_model("audit", "AuditEntry").objects.create(
        action="merge", object_type="cases.resident", object_id=str(keep_id),
        reason="Bij de overgang samengevoegd: BSN en naam + geboortedatum wijzen op één persoon.",
        detail={"samengevoegd": merge_id, "in": keep_id},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_person_keys_crisis_terms"),
        ("signals", "0010_partner_types_by_sector"),
        ("audit", "0004_merge_action"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
