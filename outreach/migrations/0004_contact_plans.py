"""Contact plans (issue 19): plans with their steps per municipality, a work tray's
plan, the plan state of a case, skipped and moved steps, and the plan step an
attempt carried out."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0020_case_next_step"),
        ("municipalities", "0003_crisis_auto_judgement"),
        ("outreach", "0003_action_plan_copy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContactPlan",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                ("description", models.TextField(blank=True, verbose_name="description")),
                ("is_default", models.BooleanField(default=False, verbose_name="default plan")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("changed_at", models.DateTimeField(auto_now=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_plans",
                        to="municipalities.municipality",
                        verbose_name="municipality",
                    ),
                ),
            ],
            options={
                "verbose_name": "contact plan",
                "verbose_name_plural": "contact plans",
                "ordering": ["municipality", "-is_default", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("municipality", "name"), name="contactplan_unique_name"),
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)),
                        fields=("municipality",),
                        name="contactplan_one_default",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ContactPlanStep",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(verbose_name="step")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("Huisbezoek", "Huisbezoek"),
                            ("Telefoon", "Telefoon"),
                            ("SMS/Whatsapp", "SMS/Whatsapp"),
                            ("Brief", "Brief"),
                            ("Kaartje", "Kaartje"),
                            ("Mail", "Mail"),
                            ("Afspraak op locatie", "Afspraak op locatie"),
                            ("Administratief", "Administratief"),
                            ("Overige", "Overige"),
                            ("Onbekend", "Onbekend"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                ("offset_days", models.PositiveSmallIntegerField(verbose_name="days")),
                (
                    "offset_from",
                    models.CharField(
                        choices=[("pickup", "after pick-up"), ("previous", "after the previous step")],
                        max_length=10,
                        verbose_name="counted from",
                    ),
                ),
                (
                    "part_of_day",
                    models.CharField(
                        blank=True,
                        choices=[("Ochtend", "Ochtend"), ("Middag", "Middag"), ("Avond", "Avond")],
                        max_length=10,
                        verbose_name="part of day",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="steps", to="outreach.contactplan"
                    ),
                ),
            ],
            options={
                "verbose_name": "step of a contact plan",
                "verbose_name_plural": "steps of a contact plan",
                "ordering": ["plan", "position"],
                "constraints": [
                    models.UniqueConstraint(fields=("plan", "position"), name="contactplanstep_unique_position")
                ],
            },
        ),
        migrations.CreateModel(
            name="TrayPlan",
            fields=[
                (
                    "tray",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="contact_plan_link",
                        serialize=False,
                        to="cases.worktray",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tray_links",
                        to="outreach.contactplan",
                    ),
                ),
            ],
            options={
                "verbose_name": "contact plan of a work tray",
                "verbose_name_plural": "contact plans of work trays",
            },
        ),
        migrations.CreateModel(
            name="CasePlanState",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="contact_plan_state",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("next_position", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("term_on", models.DateField(blank=True, null=True)),
                ("refreshed_at", models.DateTimeField(auto_now=True)),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="case_states",
                        to="outreach.contactplan",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PlanStepChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("Huisbezoek", "Huisbezoek"),
                            ("Telefoon", "Telefoon"),
                            ("SMS/Whatsapp", "SMS/Whatsapp"),
                            ("Brief", "Brief"),
                            ("Kaartje", "Kaartje"),
                            ("Mail", "Mail"),
                            ("Afspraak op locatie", "Afspraak op locatie"),
                            ("Administratief", "Administratief"),
                            ("Overige", "Overige"),
                            ("Onbekend", "Onbekend"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "action",
                    models.CharField(choices=[("skip", "skipped"), ("move", "moved forward")], max_length=10),
                ),
                ("reason", models.CharField(max_length=300, verbose_name="reason")),
                ("on", models.DateField()),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="plan_step_changes", to="cases.case"
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="outreach.contactplan"
                    ),
                ),
            ],
            options={
                "verbose_name": "change to a contact plan step",
                "verbose_name_plural": "changes to contact plan steps",
                "ordering": ["case", "at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="contactattempt",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attempts",
                to="outreach.contactplan",
                verbose_name="plan",
            ),
        ),
        migrations.AddField(
            model_name="contactattempt",
            name="plan_position",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="plan step"),
        ),
    ]
