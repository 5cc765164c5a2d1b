"""Collection pause: reminded on day 25, then prompted when it ends, once each."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cases.models import CaseState
from feedback.models import CollectionPause
from feedback.reminders import reminders_collection_pauses
from vroeg.notifications.models import Notification

from .test_services import ON, _to

pytestmark = pytest.mark.django_db


def test_day_25_reminder_then_end_prompt_then_follow_up(client, household_case, caseworker, teamlead):
    household_case.assigned_to = caseworker
    household_case.save()
    _to(CaseState.HELP_ACCEPTED, household_case, caseworker)
    assert reminders_collection_pauses(today=ON + timedelta(days=24)) == 0
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 2  # two partners
    assert reminders_collection_pauses(today=ON + timedelta(days=26)) == 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"cw"}
    assert all("eindigt op 20-12-2026" in s for s in Notification.objects.values_list("subject", flat=True))

    assert reminders_collection_pauses(today=ON + timedelta(days=30)) == 2
    assert reminders_collection_pauses(today=ON + timedelta(days=31)) == 0
    ended = Notification.objects.filter(key__startswith="pause-ended:")
    assert ended.count() == 2 and "betalingsregeling" in ended.first().body

    client.force_login(caseworker)
    url = reverse("case-detail", args=[household_case.pk])
    from django.utils import timezone

    CollectionPause.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    page = client.get(url).content.decode()
    assert page.count('data-testid="pause-prompt"') == 2
    pause = CollectionPause.objects.first()
    client.post(reverse("pause-follow-up", args=[household_case.pk, pause.pk]), {"note": "Betalingsregeling getroffen"})
    page = client.get(url).content.decode()
    assert page.count('data-testid="pause-prompt"') == 1
    assert "opgevolgd: Betalingsregeling getroffen" in page


def test_unassigned_case_reminds_the_team_leads(household_case, caseworker, teamlead):
    _to(CaseState.HELP_ACCEPTED, household_case, caseworker)
    reminders_collection_pauses(today=ON + timedelta(days=25))
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"tl"}


def test_partner_users_hear_at_once_to_pause_without_personal_details(household_case, caseworker, partner_user):
    partner_user.email = "incasso@woonstichting.example"
    partner_user.save()
    _to(CaseState.HELP_ACCEPTED, household_case, caseworker)
    [n] = Notification.objects.filter(user=partner_user)
    assert n.subject == "Hulp geaccepteerd: pauzeer de incasso tot en met 20-12-2026"
    assert n.url == reverse("partner-feedback")
    for secret in ("HUUR-7", "Vries", "Dorpsstraat", "1234"):
        assert secret not in n.subject + n.body


def test_partner_daily_digest_counts_yesterdays_feedback_once(household_case, caseworker, partner_user):
    from cases.models import Outcome
    from cases.services import case_close
    from django.utils import timezone

    from feedback.reminders import reminders_partner_digest

    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert reminders_partner_digest(today=tomorrow) == 1  # only the rent partner has a user
    assert reminders_partner_digest(today=tomorrow) == 0
    [digest] = Notification.objects.filter(key__startswith="partner-digest:")
    assert digest.user == partner_user and digest.body == "- Niet opgepakt: 1"


def test_a_closed_case_gets_no_pause_reminders(household_case, caseworker):
    from cases.models import Outcome
    from cases.services import case_close

    household_case.assigned_to = caseworker
    household_case.save()
    _to(CaseState.HELP_ACCEPTED, household_case, caseworker)
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE)
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 0
    assert reminders_collection_pauses(today=ON + timedelta(days=30)) == 0
