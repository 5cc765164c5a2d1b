"""Partners become core reference data (issue 14). The table `signals_partner` and
its municipalities table stay as they are: this migration only moves the model into
this app's state (signals 0011 takes it out of the signals app's state and its old
content type away)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("municipalities", "0003_crisis_auto_judgement"),
        ("signals", "0010_partner_types_by_sector"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Partner",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        ("partner_type", models.CharField(choices=[("Belastingdienst", "Belastingdienst"), ("CAK Eigen bijdrage", "CAK Eigen bijdrage"), ("CAK Zorgverzekeringen", "CAK Zorgverzekeringen"), ("Dienst Toeslagen", "Dienst Toeslagen"), ("DUO", "DUO"), ("Energie", "Energie"), ("Huur", "Huur"), ("Hypotheek", "Hypotheek"), ("Overige", "Overige"), ("Water", "Water"), ("Zorg", "Zorg")], max_length=30, verbose_name="DDAS partner type")),
                        ("signal_types", models.JSONField(default=list, help_text="The signal types this partner may send: the Bgs types of its own sector (Huur: huur; Zorg: zorgverzekering; Water: drinkwater; Energie: elektra, gas, warmte) and the extra types its agreement lists.", verbose_name="signal types")),
                        ("is_health_insurer", models.BooleanField(default=False, help_text="Health insurers keep sending signals after a resident objects (legal duty).", verbose_name="health insurer")),
                        ("lcv_member", models.BooleanField(default=True, help_text="Partners that joined the Landelijk Convenant Vroegsignalering pause collection for 30 days when help is accepted; others get no collection pause.", verbose_name="joined the LCV")),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("municipalities", models.ManyToManyField(blank=True, related_name="partners", to="municipalities.municipality", verbose_name="municipalities it delivers to")),
                    ],
                    options={
                        "verbose_name": "signal partner",
                        "verbose_name_plural": "signal partners",
                        "db_table": "signals_partner",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
