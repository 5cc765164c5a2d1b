"""Contact attempts and notes: DDAS kinds and parts of day, the step to contact,
append-only notes, one timeline."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.models import CaseState, Outcome
from cases.services import CaseActionRefused, case_close
from outreach.models import ContactKind, Note, PartOfDay, part_of_day
from outreach.services import contact_attempt_record, note_add
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.mark.parametrize(
    "hour, expected", [(0, "Ochtend"), (11, "Ochtend"), (12, "Middag"), (17, "Middag"), (18, "Avond"), (23, "Avond")]
)
def test_part_of_day_follows_from_the_time(hour, expected):
    assert part_of_day(hour) == PartOfDay(expected)


def test_failed_phone_call_then_home_visit_reaches_contact(caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, outreach=True)
    failed = contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.PHONE,
        reached=False,
        attempted_at=at(date(2026, 11, 10), 9, 30),
    )
    case.refresh_from_db()
    assert (case.state, case.first_attempt_on, failed.part_of_day) == (
        CaseState.OUTREACH,
        date(2026, 11, 10),
        "Ochtend",
    )
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.HOME_VISIT,
        reached=True,
        attempted_at=at(date(2026, 11, 12), 19),
        note="Mevrouw thuis",
    )
    case.refresh_from_db()
    assert (case.state, case.first_contact_on) == (CaseState.CONTACT, date(2026, 11, 12))
    assert StateLog.objects.for_(case).get().by == caseworker


def test_an_attempt_in_time_meets_the_legal_term(caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, outreach=True, contact_due=date(2026, 11, 30))
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.LETTER,
        reached=False,
        attempted_at=at(date(2026, 11, 20), 10),
    )
    case = case_close(case_id=case.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    assert (case.contact_due_met, case.lcv_target_met) == (True, False)


def test_attempts_need_a_picked_up_case_and_a_past_time(caseworker, municipality):
    new = CaseFactory(household__municipality=municipality)
    with pytest.raises(CaseActionRefused, match="Pak de zaak eerst op"):
        contact_attempt_record(
            case_id=new.pk, user=caseworker, kind=ContactKind.PHONE, reached=False, attempted_at=timezone.now()
        )
    picked = CaseFactory(household__municipality=municipality, outreach=True)
    with pytest.raises(CaseActionRefused, match="vóór de ontvangst"):
        contact_attempt_record(
            case_id=picked.pk,
            user=caseworker,
            kind=ContactKind.PHONE,
            reached=False,
            attempted_at=at(date(2026, 10, 1), 10),
        )
    with pytest.raises(CaseActionRefused, match="toekomst"):
        contact_attempt_record(
            case_id=picked.pk,
            user=caseworker,
            kind=ContactKind.PHONE,
            reached=False,
            attempted_at=timezone.now() + timedelta(hours=2),
        )


def test_partner_users_record_nothing(partner_user, municipality):
    case = CaseFactory(household__municipality=municipality, outreach=True)
    with pytest.raises(PermissionDenied):
        contact_attempt_record(
            case_id=case.pk, user=partner_user, kind=ContactKind.PHONE, reached=False, attempted_at=timezone.now()
        )
    with pytest.raises(PermissionDenied):
        note_add(case_id=case.pk, user=partner_user, text="x")


def test_notes_are_append_only(caseworker, municipality):
    case = CaseFactory(household__municipality=municipality)
    first = note_add(case_id=case.pk, user=caseworker, text="Bewindvoerder: mr. Jansen")
    note_add(case_id=case.pk, user=caseworker, text="Correctie: bewindvoerder is mr. Janssen")
    assert list(Note.objects.filter(case=case).values_list("text", flat=True)) == [
        "Bewindvoerder: mr. Jansen",
        "Correctie: bewindvoerder is mr. Janssen",
    ]
    assert first.text == "Bewindvoerder: mr. Jansen"
    with pytest.raises(CaseActionRefused):
        note_add(case_id=case.pk, user=caseworker, text="   ")


def test_case_page_records_an_attempt_and_shows_one_timeline(client, caseworker, partner, municipality):
    received = timezone.localdate() - timedelta(days=7)
    case = CaseFactory(household__municipality=municipality, first_received_on=received, signals=[partner])
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'href="tel:+31612345678"' in page and 'href="mailto:j.devries@example.nl"' in page
    assert "Pak de zaak op om contactpogingen vast te leggen" in page
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW})
    client.post(
        reverse("contact-attempt-create", args=[case.pk]),
        {
            "kind": ContactKind.PHONE,
            "reached": "0",
            "date": (received + timedelta(days=1)).isoformat(),
            "time": "14:15",
            "note": "Voicemail",
        },
    )
    client.post(reverse("note-create", args=[case.pk]), {"text": "Morgen opnieuw bellen"})
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert page.index("Morgen opnieuw bellen") < page.index("Contactpoging: Telefoon, middag, niet bereikt")
    assert page.index("Contactpoging: Telefoon") < page.index("Signaal huur van")
