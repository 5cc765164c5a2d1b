"""A case whose BRP check failed is retried later with a growing delay, not in every
run of the first assessment (issue 14): the failed attempts in a row and the earliest
time of the next one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0018_late_signals_picked_up")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="assessment_failures",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="case",
            name="assess_after",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
