"""Two indexes for the queue at national scale (issue 21, docs/performance.md): the
priority's young-adult rule reads residents by birth date, and the "due this week"
count reads only open cases whose latest deadline is still ahead."""

from django.db import migrations, models
from django.db.models.functions import Greatest


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_case_next_step")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                Greatest(models.F("crisis_due"), models.F("contact_due"), models.F("effort_due")),
                models.F("municipality"),
                name="case_last_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["birth_date", "household"], name="resident_birth_date_idx"),
        ),
    ]
