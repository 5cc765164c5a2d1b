from django.db import migrations


def sync(apps, schema_editor):
    from vroeg.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Functional admins see deliveries and upload on partners' behalf."""

    dependencies = [
        ("accounts", "0003_roles_closure_day_delete"),
        ("signals", "0002_alter_partner_signal_types_delivery_deliveryfile_and_more"),
    ]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
