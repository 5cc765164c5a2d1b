"""Collection pause: reminded on day 25, then prompted when it ends, once each."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import CaseState
from feedback.models import CollectionPause
from feedback.reminders import reminders_collection_pauses
from testkit.case_steps import case_walk_to
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)  # the day each step is taken


def test_day_25_reminder_then_end_prompt_then_follow_up(client, household_case, caseworker, teamlead):
    """Accepted 20 November: partners pause up to and including 20 December (30 days
    after acceptance). Reminded on day 25 (15 December, 5 days before the last day);
    the pause has ended on 21 December, the day after the last day."""
    household_case.assigned_to = caseworker
    household_case.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    assert reminders_collection_pauses(today=ON + timedelta(days=24)) == 0
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 2  # two partners
    assert reminders_collection_pauses(today=ON + timedelta(days=26)) == 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"cw"}
    ending = Notification.objects.filter(key__startswith="pause-ending:")
    assert all("loopt t/m 20-12-2026" in n.subject and "loopt t/m 20-12-2026 (nog 5 dagen)" in n.body for n in ending)

    assert reminders_collection_pauses(today=date(2026, 12, 20)) == 0  # the last day: still paused
    assert reminders_collection_pauses(today=date(2026, 12, 21)) == 2
    assert reminders_collection_pauses(today=date(2026, 12, 22)) == 0
    ended = Notification.objects.filter(key__startswith="pause-ended:")
    assert ended.count() == 2 and all("liep t/m 20-12-2026 en is voorbij" in n.body for n in ended)
    assert "betalingsregeling" in ended.first().body

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
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    reminders_collection_pauses(today=ON + timedelta(days=25))
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"tl"}


def test_partner_users_hear_at_once_to_pause_without_personal_details(household_case, caseworker, partner_user):
    partner_user.email = "incasso@woonstichting.example"
    partner_user.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    [n] = Notification.objects.filter(user=partner_user)
    assert n.subject == "Hulp geaccepteerd: pauzeer de incasso tot en met 20-12-2026"
    assert n.url == reverse("partner-feedback")
    for secret in ("HUUR-7", "Vries", "Dorpsstraat", "1234"):
        assert secret not in n.subject + n.body


def test_partner_daily_digest_counts_yesterdays_feedback_once(household_case, caseworker, partner_user):
    from django.utils import timezone

    from cases.models import Outcome
    from cases.services import case_close
    from feedback.reminders import reminders_partner_digest

    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert reminders_partner_digest(today=tomorrow) == 1  # only the rent partner has a user
    assert reminders_partner_digest(today=tomorrow) == 0
    [digest] = Notification.objects.filter(key__startswith="partner-digest:")
    assert digest.user == partner_user and digest.body == "- Niet opgepakt: 1"


def test_a_case_closed_without_help_gets_no_pause_reminders(client, household_case, caseworker):
    """No reaction after help was accepted: the help ended, nothing to hand over."""
    from django.utils import timezone

    from cases.models import Outcome
    from cases.services import case_close

    household_case.assigned_to = caseworker
    household_case.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.NO_REACTION)
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 0
    assert reminders_collection_pauses(today=ON + timedelta(days=31)) == 0
    CollectionPause.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[household_case.pk])).content.decode()
    assert page.count('data-testid="pause"') == 2 and 'data-testid="pause-prompt"' not in page


@pytest.mark.parametrize("outcome", ["Vervolghulp en/of verwijzing financieel", "(Budget)advies en/of quick fix"])
def test_a_case_closed_by_handover_follows_its_pauses_until_they_ended_and_were_followed_up(
    client, household_case, caseworker, outcome
):
    """Closed with a result of help (warm handover, advice) while the partners still
    pause: the debt must stay calm during the handover, so the caseworker is still
    reminded and prompted until each pause ended and was followed up."""
    from django.utils import timezone

    from cases.services import case_close
    from testkit.action_plans import plan_with_copy

    household_case.assigned_to = caseworker
    household_case.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    plan_with_copy(household_case, caseworker)
    case_close(case_id=household_case.pk, user=caseworker, outcome=outcome)
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 2
    assert reminders_collection_pauses(today=ON + timedelta(days=31)) == 2
    assert Notification.objects.filter(user=caseworker, key__startswith="pause-ended:").count() == 2

    CollectionPause.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    client.force_login(caseworker)
    url = reverse("case-detail", args=[household_case.pk])
    page = client.get(url).content.decode()
    assert f": {outcome}</dd>" in page  # closed, with this end result
    assert page.count('data-testid="pause-prompt"') == 2
    for pause in CollectionPause.objects.all():
        client.post(reverse("pause-follow-up", args=[household_case.pk, pause.pk]), {"note": "Partner gebeld"})
    page = client.get(url).content.decode()
    assert 'data-testid="pause-prompt"' not in page and page.count("opgevolgd: Partner gebeld") == 2


def test_the_date_told_to_the_partner_is_the_last_day_the_caseworker_reads(
    client, partner, municipality, caseworker, partner_user
):
    """Help accepted 30 days ago: the partner was told "tot en met" today (LCV: 30 days
    after acceptance). The case page, its timeline and the reminders say "t/m" that
    same day; today the pause still runs, tomorrow it has ended."""
    from django.utils import timezone

    from cases.services import case_accept_help, case_make_contact, case_pick_up
    from testkit.factories import CaseFactory, SignalFactory

    today = timezone.localdate()
    accepted = today - timedelta(days=30)
    received = accepted - timedelta(days=7)
    case = CaseFactory(household__municipality=municipality, first_received_on=received, assigned_to=caseworker)
    SignalFactory(
        case=case,
        partner=partner,
        partner_referentie="HUUR-7",
        signal_date=received - timedelta(days=3),
        arrears_since=received - timedelta(days=90),
    )
    case_pick_up(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=6))
    case_make_contact(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=1))
    case_accept_help(case_id=case.pk, user=caseworker, on=accepted)
    last = f"{today:%d-%m-%Y}"
    [told] = Notification.objects.filter(user=partner_user)
    assert told.subject == f"Hulp geaccepteerd: pauzeer de incasso tot en met {last}"

    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert f"Incassopauze door Woonstichting Test: {accepted:%d-%m-%Y} t/m {last}" in page
    assert "vandaag de laatste dag" in page and 'data-testid="pause-prompt"' not in page
    assert f"Incassopauze Woonstichting Test t/m {last}" in page  # the timeline
    assert f"incassopauze t/m {last}" in page.lower()  # the feedback row and its timeline entry
    assert reminders_collection_pauses(today=today) == 1
    assert reminders_collection_pauses(today=today + timedelta(days=1)) == 1
    texts = [n.subject + " " + n.body for n in Notification.objects.filter(user=caseworker).order_by("pk")]
    assert f"loopt t/m {last} (vandaag is de laatste dag)" in texts[0]
    assert f"liep t/m {last} en is voorbij" in texts[1]
    for text in [page, *texts]:
        assert f"tot {last}" not in text and f"tot en met {last}" not in text
        for other in (today - timedelta(days=1), today + timedelta(days=1)):
            assert f"t/m {other:%d-%m-%Y}" not in text
