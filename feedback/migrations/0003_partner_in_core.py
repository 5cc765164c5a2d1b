import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The partner foreign keys point to the partner in its new app (same table: state only)."""

    dependencies = [("feedback", "0002_consent_resident_told"), ("partners", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="feedback",
                    name="partner",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="feedback", to="partners.partner"),
                ),
                migrations.AlterField(
                    model_name="collectionpause",
                    name="partner",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="collection_pauses", to="partners.partner"),
                ),
            ],
            database_operations=[],
        ),
    ]
