"""Daily reminders: near deadlines to the assigned caseworker, crisis every working
day, an overdue digest to team leads; each once, however often the job runs."""

from datetime import date, timedelta

import pytest

from cases.queue_keys import cases_queue_refresh
from cases.reminders import reminders_deadlines, reminders_overdue_digest
from testkit.factories import CaseFactory
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def test_near_deadline_reminds_the_assigned_caseworker_once(municipality, caseworker):
    near = CaseFactory(
        household__municipality=municipality, assigned_to=caseworker, contact_due=MONDAY + timedelta(days=3)
    )
    later = CaseFactory(
        household__municipality=municipality, assigned_to=caseworker, contact_due=MONDAY + timedelta(days=4)
    )
    CaseFactory(
        household__municipality=municipality,
        assigned_to=caseworker,
        contact=True,
        contact_due=MONDAY + timedelta(days=1),
    )
    assert reminders_deadlines(today=MONDAY) == 1
    assert reminders_deadlines(today=MONDAY) == 0  # beat fired twice
    [n] = Notification.objects.all()
    assert n.user == caseworker and n.url == f"/zaken/{near.pk}/"
    assert n.subject.startswith("Termijn verloopt over 3 dagen")
    assert reminders_deadlines(today=MONDAY + timedelta(days=1)) == 1  # the later one, not the first again
    assert Notification.objects.get(url=f"/zaken/{later.pk}/").subject.startswith("Termijn verloopt over 3 dagen")


def test_crisis_reminds_every_working_day_until_contact(municipality, caseworker):
    case = CaseFactory(
        household__municipality=municipality,
        assigned_to=caseworker,
        has_crisis=True,
        crisis_due=MONDAY + timedelta(days=10),
        contact_due=MONDAY + timedelta(days=20),
    )
    for day in range(7):  # Monday to Sunday
        reminders_deadlines(today=MONDAY + timedelta(days=day))
        reminders_deadlines(today=MONDAY + timedelta(days=day))
    assert Notification.objects.filter(key__startswith="crisis:").count() == 5
    case.first_contact_on = MONDAY + timedelta(days=7)
    case.save()
    cases_queue_refresh(case_ids=[case.pk])  # as the case services do
    assert reminders_deadlines(today=MONDAY + timedelta(days=8)) == 0


def test_a_crisis_case_with_a_near_deadline_gets_one_notification_naming_both(municipality, caseworker):
    """Crisis judged late: its term runs t/m 3 December, the 4-week term ends sooner, on
    25 November. Monday's run sends one notification about the case, not two."""
    case = CaseFactory(
        household__municipality=municipality,
        assigned_to=caseworker,
        has_crisis=True,
        crisis_due=date(2026, 12, 3),
        contact_due=date(2026, 11, 25),
    )
    assert reminders_deadlines(today=MONDAY) == 1
    assert reminders_deadlines(today=MONDAY) == 0
    [n] = Notification.objects.all()
    assert n.key == f"crisis:{case.pk}:2026-11-23"
    assert n.body == (
        f"De crisistermijn van 3 werkdagen van zaak {case.pk} loopt t/m 03-12-2026.\n"
        f"De termijn van zaak {case.pk} verloopt over 2 dagen (25-11-2026)."
    )


def test_no_reminders_at_the_weekend(municipality, caseworker):
    CaseFactory(household__municipality=municipality, assigned_to=caseworker, contact_due=date(2026, 11, 30))
    assert reminders_deadlines(today=date(2026, 11, 28)) == 0  # Saturday
    assert reminders_deadlines(today=date(2026, 11, 27)) == 1  # Friday: Monday is 3 days away


def test_team_lead_digest_lists_overdue_and_unassigned(municipality, other_municipality, caseworker, teamlead):
    CaseFactory(household__municipality=municipality, assigned_to=caseworker, contact_due=MONDAY - timedelta(days=2))
    CaseFactory(household__municipality=municipality, contact_due=MONDAY + timedelta(days=1))
    CaseFactory(household__municipality=municipality, contact_due=MONDAY + timedelta(days=20))
    CaseFactory(household__municipality=other_municipality, contact_due=MONDAY - timedelta(days=9))
    assert reminders_overdue_digest(today=MONDAY) == 1
    assert reminders_overdue_digest(today=MONDAY) == 0
    [digest] = Notification.objects.all()
    assert digest.user == teamlead
    assert digest.subject == "1 zaak te laat, 1 niet toegewezen en bijna verlopen"
    assert digest.body.count("\n- ") == 2  # the other municipality's case is not theirs
    assert reminders_overdue_digest(today=MONDAY + timedelta(days=1)) == 1  # daily
