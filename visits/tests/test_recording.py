"""Recording a round in one screen: the contact attempts it writes (through outreach, so
each case's contact plan moves on), the visits not made, all or nothing, and never
twice."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Approach, CaseState, Outcome
from cases.services import case_close, case_pick_up, work_tray_save
from outreach.models import ContactAttempt, ContactKind, Note
from outreach.plans import PICKUP, PREVIOUS
from outreach.services import contact_plan_save
from testkit.factories import CaseFactory, SignalFactory
from visits.models import HomeVisitRound, RoundScope, VisitStatus
from visits.route import parse_area
from visits.services import RoundAlreadyRecorded, RoundRefused, VisitResult, round_plan, round_record, visit_time
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.wording import entry_words

pytestmark = pytest.mark.django_db


def _plan(user, cases, day, part="Middag", walker=None):
    return round_plan(
        user=user,
        municipality=cases[0].municipality,
        day=day,
        part=part,
        caseworker=walker or user,
        scope=RoundScope.MINE,
        area=parse_area(""),
        cap=10,
        case_ids=[c.pk for c in cases],
    )


def _form(round, outcomes: dict) -> dict:
    """The recording screen's fields: per visit (by case) its outcome, part of day and note."""
    data = {}
    for visit in round.visits.all():
        status, part, note = outcomes.get(visit.case_id, (VisitStatus.NOT_VISITED, round.part_of_day, ""))
        data.update({f"v{visit.pk}-status": status, f"v{visit.pk}-part_of_day": part, f"v{visit.pk}-note": note})
    return data


@pytest.fixture
def visit_first_plan(municipality, teamlead):
    """Every case of the municipality follows a plan: a home visit on the day of the
    pick-up, then a phone call the next working day."""
    tray = work_tray_save(
        user=teamlead, data={"municipality": municipality, "name": "Alle", "approach": Approach.HOME_VISIT}
    )
    steps = [
        {"kind": ContactKind.HOME_VISIT, "offset_days": 0, "offset_from": PICKUP, "part_of_day": "Middag"},
        {"kind": ContactKind.PHONE, "offset_days": 1, "offset_from": PREVIOUS, "part_of_day": ""},
    ]
    return contact_plan_save(
        user=teamlead, data={"municipality": municipality, "name": "Huisbezoek eerst"}, steps=steps, trays=[tray]
    )


def _picked_up(municipality, caseworker, partner, day, number, surname):
    case = CaseFactory(
        household__municipality=municipality,
        household__postcode="3581AB",
        household__house_number=number,
        household__street="Lange Nieuwstraat",
        first_received_on=day - timedelta(days=5),
        assigned_to=caseworker,
    )
    SignalFactory(case=case, partner=partner, resident__surname=surname, resident__prefix="", resident__bsn="")
    case_pick_up(case_id=case.pk, user=caseworker, on=day)
    case.refresh_from_db()
    return case


def test_one_screen_writes_the_attempts_and_each_plan_moves_on(
    client, municipality, caseworker, partner, visit_first_plan, last_working_day
):
    day = last_working_day
    reached, missed, skipped = (
        _picked_up(municipality, caseworker, partner, day, n, name)
        for n, name in ((1, "Bakker"), (3, "Smit"), (5, "Mulder"))
    )
    for case in (reached, missed, skipped):
        assert (case.next_step_kind, case.next_step_on) == (ContactKind.HOME_VISIT, day)
    round = _plan(caseworker, [reached, missed, skipped], day)
    client.force_login(caseworker)
    page = client.get(reverse("visit-round-record", args=[round.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("visit-round-record", args=[round.pk]),
        _form(
            round,
            {
                reached.pk: (VisitStatus.REACHED, "Middag", "Mevrouw was thuis, afspraak gemaakt."),
                missed.pk: (VisitStatus.NOT_REACHED, "Avond", ""),
            },
        ),
    )
    assert response.url == reverse("visit-round-detail", args=[round.pk])

    attempts = {a.case_id: a for a in ContactAttempt.objects.all()}
    assert set(attempts) == {reached.pk, missed.pk}
    for case, was_reached, part, hour in ((reached, True, "Middag", 14), (missed, False, "Avond", 19)):
        attempt = attempts[case.pk]
        assert (attempt.kind, attempt.reached, attempt.part_of_day) == (ContactKind.HOME_VISIT, was_reached, part)
        assert timezone.localtime(attempt.attempted_at) == timezone.make_aware(datetime.combine(day, time(hour)))
        assert (attempt.plan, attempt.plan_position, attempt.recorded_by) == (visit_first_plan, 1, caseworker)
    assert attempts[reached.pk].note == "Mevrouw was thuis, afspraak gemaakt."

    for case in (reached, missed, skipped):
        case.refresh_from_db()
    # Reached: in contact, no next step. Not reached: the plan's phone call is next.
    # Not visited: nothing written, still a home visit due.
    assert (reached.state, reached.next_step_kind, reached.first_contact_on) == (CaseState.CONTACT, "", day)
    assert (missed.state, missed.next_step_kind, missed.first_attempt_on) == (
        CaseState.OUTREACH,
        ContactKind.PHONE,
        day,
    )
    assert missed.next_step_on > day
    assert (skipped.next_step_kind, skipped.next_step_on, skipped.first_attempt_on) == (
        ContactKind.HOME_VISIT,
        day,
        None,
    )

    round.refresh_from_db()
    assert round.is_recorded and round.recorded_by == caseworker
    assert {v.case_id: (v.status, v.part_of_day, v.attempt_id) for v in round.visits.all()} == {
        reached.pk: (VisitStatus.REACHED, "Middag", attempts[reached.pk].pk),
        missed.pk: (VisitStatus.NOT_REACHED, "Avond", attempts[missed.pk].pk),
        skipped.pk: (VisitStatus.NOT_VISITED, "", None),
    }
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="visits.homevisitround")
    words = entry_words(entry)
    assert words.sentence == f"cw heeft de huisbezoeken van huisbezoekronde {round.pk} vastgelegd."
    assert "bereikt: 1; niet bereikt: 1; niet bezocht: 1" in words.details
    # The visit not made can be planned again.
    assert _plan(caseworker, [skipped], day).visits.get().case == skipped


def test_recording_twice_writes_once(client, caseworker, due_visit, last_working_day):
    case = due_visit("3581AB", 1, on=last_working_day)
    round = _plan(caseworker, [case], last_working_day)
    client.force_login(caseworker)
    data = _form(round, {case.pk: (VisitStatus.NOT_REACHED, "Middag", "")})
    client.post(reverse("visit-round-record", args=[round.pk]), data)
    again = client.post(reverse("visit-round-record", args=[round.pk]), data, follow=True)
    assert ContactAttempt.objects.count() == 1
    assert "Deze ronde is al vastgelegd" in again.content.decode()
    with pytest.raises(RoundAlreadyRecorded):
        round_record(
            user=caseworker, round_id=round.pk, results={round.visits.get().pk: VisitResult("reached", "Middag")}
        )
    assert ContactAttempt.objects.count() == 1
    assert client.get(reverse("visit-round-record", args=[round.pk])).url == reverse(
        "visit-round-detail", args=[round.pk]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_moment_write_once(caseworker, teamlead, due_visit, last_working_day):
    case = due_visit("3581AB", 1, on=last_working_day)
    round = _plan(caseworker, [case], last_working_day)
    visit = round.visits.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def record(user):
        try:
            barrier.wait()
            round_record(user=user, round_id=round.pk, results={visit.pk: VisitResult("not_reached", "Middag")})
            outcomes.append("recorded")
        except RoundAlreadyRecorded:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(user,)) for user in (caseworker, teamlead)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["already", "recorded"]
    assert ContactAttempt.objects.filter(case=case).count() == 1


def test_one_visit_refused_refuses_the_round_and_names_the_address(client, caseworker, due_visit, last_working_day):
    fine = due_visit("3581AB", 1, on=last_working_day)
    closed = due_visit("3581AB", 3, on=last_working_day)
    round = _plan(caseworker, [fine, closed], last_working_day)
    case_close(case_id=closed.pk, user=caseworker, outcome=Outcome.NO_CONTACT, reason="Verhuisd")
    client.force_login(caseworker)
    data = _form(
        round, {fine.pk: (VisitStatus.REACHED, "Middag", ""), closed.pk: (VisitStatus.NOT_REACHED, "Middag", "")}
    )
    response = client.post(reverse("visit-round-record", args=[round.pk]), data)
    assert response.status_code == 200
    assert "Lange Nieuwstraat 3: de zaak is intussen gesloten" in response.content.decode()
    assert not ContactAttempt.objects.exists()
    fine.refresh_from_db()
    assert fine.state == CaseState.OUTREACH
    round.refresh_from_db()
    assert not round.is_recorded
    # Left "not visited", the closed case asks nothing and the round is recorded.
    data = _form(round, {fine.pk: (VisitStatus.REACHED, "Middag", "")})
    client.post(reverse("visit-round-record", args=[round.pk]), data)
    assert list(ContactAttempt.objects.values_list("case_id", flat=True)) == [fine.pk]


def test_a_note_on_a_visit_not_made_goes_on_the_case(client, caseworker, due_visit, last_working_day):
    case = due_visit("3581AB", 1, on=last_working_day)
    round = _plan(caseworker, [case], last_working_day)
    client.force_login(caseworker)
    data = _form(round, {case.pk: (VisitStatus.NOT_VISITED, "Middag", "Hond in de tuin, niet aangebeld.")})
    client.post(reverse("visit-round-record", args=[round.pk]), data)
    assert not ContactAttempt.objects.exists()
    assert Note.objects.get(case=case).text == (
        f"Huisbezoekronde van {last_working_day:%d-%m-%Y}: niet bezocht. Hond in de tuin, niet aangebeld."
    )


def test_a_round_of_a_later_day_cannot_be_recorded_yet(client, caseworker, due_visit, today):
    tomorrow = today + timedelta(days=1)
    case = due_visit("3581AB", 1, on=tomorrow)
    round = _plan(caseworker, [case], tomorrow)
    with pytest.raises(RoundRefused, match="Leg haar vast als de bezoeken zijn gedaan"):
        round_record(
            user=caseworker, round_id=round.pk, results={round.visits.get().pk: VisitResult("reached", "Middag")}
        )
    assert not HomeVisitRound.objects.get().is_recorded


def test_the_time_of_a_visit_follows_its_part_of_day_and_never_lies_ahead(today):
    def at(day, hour, minute=0):
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    yesterday = today - timedelta(days=1)
    assert visit_time(yesterday, "Ochtend", now=at(today, 8)) == at(yesterday, 10)
    assert visit_time(today, "Middag", now=at(today, 16)) == at(today, 14)
    # Recorded during the part of day itself, before its usual hour: now.
    assert visit_time(today, "Middag", now=at(today, 12, 30)) == at(today, 12, 30)
    assert visit_time(today, "Avond", now=at(today, 18, 15)) == at(today, 18, 15)
    with pytest.raises(RoundRefused, match="in de avond van .* kan nog niet zijn afgelegd"):
        visit_time(today, "Avond", now=at(today, 16))
