import django.db.models.deletion
from django.db import migrations, models


def sync(apps, schema_editor):
    from vroeg.accounts.roles import roles_sync

    roles_sync(apps)


class Migration(migrations.Migration):
    """User.partner points to the partner in its new app (same table: state only);
    the functional admin's partner permissions follow the renamed content type."""

    dependencies = [("accounts", "0006_roles_privacy_officer"), ("partners", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="partner",
                    field=models.ForeignKey(blank=True, help_text="Only for partner users: the one organisation they work for.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="users", to="partners.partner", verbose_name="partner organisation"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
