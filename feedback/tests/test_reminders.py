"""Collection pause: reminded on day 25, then prompted when it ends, once each, and
once per case: the pauses of one case that end together come as one notification."""

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
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 1  # both partners in one
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 0  # beat fired twice
    assert reminders_collection_pauses(today=ON + timedelta(days=26)) == 0
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"cw"}
    [ending] = Notification.objects.filter(key__startswith="pause-ending:")
    both = "Waterbedrijf Test en Woonstichting Test"
    assert ending.subject == f"Incassopauzes van {both} lopen t/m 20-12-2026: {household_case.household}"
    assert ending.body == (
        f"De incassopauzes van {both} voor zaak {household_case.pk} lopen t/m 20-12-2026 (nog 5 dagen). "
        "Regel op tijd een betalingsregeling of overleg met de partners."
    )

    assert reminders_collection_pauses(today=date(2026, 12, 20)) == 0  # the last day: still paused
    assert reminders_collection_pauses(today=date(2026, 12, 21)) == 1
    assert reminders_collection_pauses(today=date(2026, 12, 22)) == 0
    [ended] = Notification.objects.filter(key__startswith="pause-ended:")
    assert ended.subject == f"Incassopauzes van {both} zijn voorbij: {household_case.household}"
    assert f"De incassopauzes van {both} voor zaak {household_case.pk} liepen t/m 20-12-2026 en zijn voorbij." in (
        ended.body
    )
    assert "betalingsregeling" in ended.body

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
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 1  # one for both partners
    assert reminders_collection_pauses(today=ON + timedelta(days=31)) == 1
    assert Notification.objects.filter(user=caseworker, key__startswith="pause-ended:").count() == 1

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


def test_one_notification_per_case_and_end_date_naming_the_partners_still_paused(
    household_case, partner, water, caseworker, municipality
):
    """Help accepted 20 November: rent and water pause t/m 20 December. The water
    company's pause was followed up early, so on 21 December the caseworker hears of
    the rent pause alone, in the singular. A pause of another case, and a later pause
    of the same case (a signal received after acceptance), each come on their own."""
    from django.utils import timezone

    from testkit.factories import CaseFactory

    household_case.assigned_to = caseworker
    household_case.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    CollectionPause.objects.filter(partner=water).update(followed_up_at=timezone.now(), followed_up_by=caseworker)
    later = CollectionPause.objects.create(
        case=household_case, partner=water, starts_on=date(2026, 11, 25), ends_on=date(2026, 12, 25)
    )
    other = CaseFactory(household__municipality=municipality, household__house_number=99, assigned_to=caseworker)
    CollectionPause.objects.create(case=other, partner=partner, starts_on=ON, ends_on=date(2026, 12, 20))

    assert reminders_collection_pauses(today=date(2026, 12, 21)) == 3
    assert reminders_collection_pauses(today=date(2026, 12, 21)) == 0
    texts = {n.key: (n.subject, n.body) for n in Notification.objects.all()}
    mine = texts[f"pause-ended:{household_case.pk}:2026-12-20:{caseworker.pk}"]
    assert mine[0] == f"Incassopauze van Woonstichting Test is voorbij: {household_case.household}"
    assert mine[1].startswith(
        f"De incassopauze van Woonstichting Test voor zaak {household_case.pk} liep t/m 20-12-2026 en is voorbij. "
    )
    assert mine[1].endswith("neem contact op met de partner, zodat de schuld rustig blijft.")
    assert texts[f"pause-ending:{household_case.pk}:{later.ends_on}:{caseworker.pk}"][0] == (
        f"Incassopauze van Waterbedrijf Test loopt t/m 25-12-2026: {household_case.household}"
    )
    assert texts[f"pause-ended:{other.pk}:2026-12-20:{caseworker.pk}"][0].startswith("Incassopauze van Woonstichting")


def test_three_partners_are_named_in_one_sentence(household_case, municipality, teamlead):
    """Unassigned: each team lead gets the one notification of the case."""
    from signals.models import PartnerType
    from testkit.factories import PartnerFactory, SignalFactory

    energy = PartnerFactory(code="test-energie", name="Energie Test", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    SignalFactory(case=household_case, partner=energy, partner_referentie="EN-1", signal_type="elektra")
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, teamlead, on=ON)
    assert CollectionPause.objects.filter(case=household_case).count() == 3
    assert reminders_collection_pauses(today=ON + timedelta(days=30)) == 1  # 20 December: the last day
    [n] = Notification.objects.filter(user=teamlead, key__startswith="pause-ending:")
    assert n.subject.startswith("Incassopauzes van Energie Test, Waterbedrijf Test en Woonstichting Test lopen t/m")
    assert "(vandaag is de laatste dag)" in n.body


def test_help_recorded_after_the_pause_would_have_ended_never_asks_to_pause_until_then(
    partner, municipality, caseworker, partner_user
):
    """Issue 16: help recorded 33 days after it was accepted (LCV pause: 30 days) told
    the partner to "pauzeer de incasso tot en met" a day three days gone."""
    from django.utils import timezone

    from cases.services import case_accept_help, case_make_contact, case_pick_up
    from testkit.factories import CaseFactory, SignalFactory

    today = timezone.localdate()
    accepted = today - timedelta(days=33)
    received = accepted - timedelta(days=7)
    case = CaseFactory(household__municipality=municipality, first_received_on=received, assigned_to=caseworker)
    SignalFactory(case=case, partner=partner, signal_date=received, arrears_since=received - timedelta(days=90))
    case_pick_up(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=6))
    case_make_contact(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=1))
    case_accept_help(case_id=case.pk, user=caseworker, on=accepted)

    last = f"{accepted + timedelta(days=30):%d-%m-%Y}"
    [told] = Notification.objects.filter(user=partner_user)
    assert told.subject == f"Hulp geaccepteerd: de incassopauze liep tot en met {last}"
    assert f"liep tot en met {last} en is voorbij." in told.body
    assert "pauzeer" not in (told.subject + told.body).lower()


def test_the_case_page_says_a_pause_ran_once_it_is_over(client, partner, municipality, caseworker):
    """Issue 16: no one is asked to pause "until" a day that has passed, the caseworker
    reading the case page included."""
    from django.utils import timezone

    from cases.services import case_accept_help, case_make_contact, case_pick_up
    from testkit.factories import CaseFactory, SignalFactory

    today = timezone.localdate()
    accepted = today - timedelta(days=33)
    received = accepted - timedelta(days=7)
    case = CaseFactory(household__municipality=municipality, first_received_on=received, assigned_to=caseworker)
    SignalFactory(case=case, partner=partner, signal_date=received, arrears_since=received - timedelta(days=90))
    case_pick_up(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=6))
    case_make_contact(case_id=case.pk, user=caseworker, on=accepted - timedelta(days=1))
    case_accept_help(case_id=case.pk, user=caseworker, on=accepted)

    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    last = f"{accepted + timedelta(days=30):%d-%m-%Y}"
    assert f"de incassopauze liep tot en met {last}" in page
    assert f"; incassopauze t/m {last}" not in page


def test_reminders_sent_under_the_old_keys_are_not_sent_again_after_the_upgrade(household_case, caseworker, teamlead):
    """feedback 0004 gives reminders sent per pause (the keys before issue 16) the key
    per case and end date, so the first run after the upgrade adds nothing."""
    import importlib

    from django.apps import apps

    from vroeg.notifications.services import notification_create

    migration = importlib.import_module("feedback.migrations.0004_pause_reminder_keys")
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    pauses = list(CollectionPause.objects.filter(case=household_case).order_by("pk"))
    assert len(pauses) == 2  # two partners, the same end date
    for pause in pauses:
        notification_create(user=caseworker, key=f"pause-ending:{pause.pk}:{caseworker.pk}", subject="oud")

    migration.rekey(apps, None)

    keys = set(Notification.objects.filter(user=caseworker).values_list("key", flat=True))
    new_key = f"pause-ending:{household_case.pk}:{pauses[0].ends_on.isoformat()}:{caseworker.pk}"
    assert new_key in keys and f"pause-ending:{pauses[1].pk}:{caseworker.pk}" in keys
    reminders_collection_pauses(today=pauses[0].ends_on - timedelta(days=1))
    assert not Notification.objects.filter(user=caseworker, key__startswith="pause-").exclude(subject="oud").exists()
