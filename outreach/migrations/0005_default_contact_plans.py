"""Every municipality gets the default contact plan (outreach/plans.py: built from the
national figures, Divosa Landelijke monitor vroegsignalering 2023 §6). A municipality
added later gets it on first use (outreach/services.py:default_plan_for)."""

from django.db import migrations

from outreach.plans import DEFAULT_PLAN_DESCRIPTION, DEFAULT_PLAN_NAME, DEFAULT_PLAN_STEPS


def create_default_plans(apps, schema_editor):
    Municipality = apps.get_model("municipalities", "Municipality")
    ContactPlan = apps.get_model("outreach", "ContactPlan")
    ContactPlanStep = apps.get_model("outreach", "ContactPlanStep")
    for municipality in Municipality.objects.exclude(contact_plans__is_default=True):
        plan = ContactPlan.objects.create(
            municipality=municipality,
            name=DEFAULT_PLAN_NAME,
            description=DEFAULT_PLAN_DESCRIPTION,
            is_default=True,
        )
        ContactPlanStep.objects.bulk_create(
            ContactPlanStep(plan=plan, position=i, kind=kind, offset_days=days, offset_from=anchor, part_of_day=part)
            for i, (kind, days, anchor, part) in enumerate(DEFAULT_PLAN_STEPS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_contact_plans")]

    operations = [migrations.RunPython(create_default_plans, migrations.RunPython.noop)]
