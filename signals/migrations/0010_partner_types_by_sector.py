"""Partners may send only the Bgs signal types of their own sector (contract
2026-11-30): each partner's list becomes its sector's Bgs types plus the extra types
its agreement listed; a Bgs type of another sector is dropped. Signals that intake
marked as repeats (no case, status "herhaalde melding") get is_repeat."""

from django.db import migrations

SECTOR = {
    "Huur": ["huur"],
    "Zorg": ["zorgverzekering"],
    "Water": ["drinkwater"],
    "Energie": ["elektra", "gas", "warmte"],
}
BGS = {"huur", "drinkwater", "zorgverzekering", "elektra", "gas", "warmte"}


def forwards(apps, schema_editor):
    Partner = apps.get_model("signals", "Partner")
    for partner in Partner.objects.all():
        extras = [t for t in (partner.signal_types or []) if t not in BGS]
        types = SECTOR.get(partner.partner_type, []) + [t for t in extras if t not in SECTOR.get(partner.partner_type, [])]
        if types != partner.signal_types:
            partner.signal_types = types
            partner.save(update_fields=["signal_types"])
    Signal = apps.get_model("signals", "Signal")
    Signal.objects.filter(case__isnull=True, status="Niet opgepakt: herhaalde melding").update(is_repeat=True)


class Migration(migrations.Migration):
    dependencies = [("signals", "0009_lcv_member_is_repeat")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
