"""The next step of a case's contact plan (issue 19), stored on the case so the queue
filters and sorts on it; written only by outreach's plan service."""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("cases", "0019_assessment_backoff")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="next_step_on",
            field=models.DateField(blank=True, null=True, verbose_name="next step on"),
        ),
        migrations.AddField(
            model_name="case",
            name="next_step_kind",
            field=models.CharField(blank=True, db_default="", default="", max_length=30, verbose_name="next step"),
        ),
        migrations.AddField(
            model_name="case",
            name="next_step_part_of_day",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=10, verbose_name="next step: part of day"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="next_step_pulled_forward",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=Q(closed_at__isnull=True, next_step_on__isnull=False),
                fields=["municipality", "next_step_on"],
                name="case_next_step_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=Q(closed_at__isnull=True, next_step_on__isnull=False),
                fields=["municipality", "next_step_kind", "next_step_on"],
                name="case_next_step_kind_idx",
            ),
        ),
    ]
