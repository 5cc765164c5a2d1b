import django.db.models.deletion
from django.db import migrations, models


def retire_content_type(apps, schema_editor):
    """Permissions on partners live under the content type `partners.partner` from now
    on (accounts 0007 gave the roles theirs): the old one goes, or becomes the new one
    where that does not exist yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="signals", model="partner")
    if ContentType.objects.filter(app_label="partners", model="partner").exists():
        old.delete()
    else:
        old.update(app_label="partners")


class Migration(migrations.Migration):
    """Partners moved to the core app `partners` (issue 14): deliveries and signals point
    there, and the model leaves this app's state. The table stays (db_table)."""

    dependencies = [
        ("signals", "0010_partner_types_by_sector"),
        ("partners", "0001_initial"),
        ("accounts", "0007_partner_in_core"),
        ("feedback", "0003_partner_in_core"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="partner",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="deliveries", to="partners.partner"),
                ),
                migrations.AlterField(
                    model_name="signal",
                    name="partner",
                    field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="signals", to="partners.partner"),
                ),
                migrations.DeleteModel(name="Partner"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(retire_content_type, migrations.RunPython.noop),
    ]
