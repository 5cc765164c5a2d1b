from django.db import migrations


def sync(apps, schema_editor):
    from vroeg.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """Create the four role groups. Later migrations that add permissions call roles_sync again."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("calendar", "0001_initial"),
        ("municipalities", "0001_initial"),
        ("signals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
