from django.db import migrations, models


class Migration(migrations.Migration):
    """The attempts of a period by their moment (reports and the DDAS export, issue 21)."""

    dependencies = [
        ("outreach", "0006_callbacks_and_reply_channel"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contactattempt",
            index=models.Index(fields=["attempted_at"], name="attempt_at_idx"),
        ),
    ]
