from django.db import migrations


def sync(apps, schema_editor):
    from vroeg.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Functional admins may delete a wrongly entered closure day."""

    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
