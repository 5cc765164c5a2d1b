"""A call-back request (the reply page's "bel mij") is the case's next step in any open
state: a phone call at the chosen part of the day, due the same day when asked before
12:00 on a working day, else the next working day; never after the term to approach
the resident. A phone attempt made after it fulfils it and the plan takes over again;
it reminds the caseworker once per request and day. Dates counted by hand."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState, Outcome
from cases.services import CaseActionRefused, case_close, case_make_contact, case_pick_up
from outreach.models import CallbackRequest, ContactAttempt, ContactKind, PartOfDay
from outreach.plans import CallbackDue, callback_due
from outreach.reminders import reminders_plan_steps
from outreach.services import callback_request_record, contact_attempt_record
from testkit.factories import CaseFactory
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db  # the calendar reads the decreed closure days


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


FRIDAY = date(2026, 12, 4)
MONDAY = date(2026, 12, 7)
# For what is recorded (an attempt cannot lie in the future): a week in November.
FRI = date(2026, 11, 20)
MON = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        ((FRIDAY, 10), FRIDAY),  # before noon on a working day: the same day
        ((FRIDAY, 11), FRIDAY),
        ((FRIDAY, 12), MONDAY),  # from noon: the next working day, over the weekend
        ((FRIDAY, 16), MONDAY),
        ((date(2026, 12, 5), 9), MONDAY),  # a Saturday morning: Monday
        ((date(2026, 12, 6), 20), MONDAY),  # a Sunday evening: Monday
        ((date(2026, 12, 1), 14), date(2026, 12, 2)),  # a Tuesday afternoon: Wednesday
        # Thursday 24 December, afternoon: Christmas (Friday), the weekend: Monday 28th.
        ((date(2026, 12, 24), 15), date(2026, 12, 28)),
        # Christmas Day itself, in the morning: not a working day, so Monday 28th too.
        ((date(2026, 12, 25), 9), date(2026, 12, 28)),
    ],
)
def test_when_a_call_back_is_due(requested, due):
    assert callback_due(timezone.localtime(_at(*requested))) == CallbackDue(due)


def test_a_call_back_is_never_due_after_the_term():
    # Friday afternoon would give Monday; the term ends on Sunday: back to Friday.
    assert callback_due(timezone.localtime(_at(FRIDAY, 14)), term=date(2026, 12, 6)) == CallbackDue(
        FRIDAY, True, MONDAY
    )
    # The term had passed before the request: it keeps its own day.
    assert callback_due(timezone.localtime(_at(MONDAY, 14)), term=FRIDAY) == CallbackDue(date(2026, 12, 8))
    # Within the term: untouched.
    assert callback_due(timezone.localtime(_at(FRIDAY, 9)), term=FRIDAY) == CallbackDue(FRIDAY)


def _picked_up(municipality, caseworker, on: date, **kwargs) -> Case:
    case = CaseFactory(
        household__municipality=municipality, first_received_on=on - timedelta(days=3), assigned_to=caseworker, **kwargs
    )
    case_pick_up(case_id=case.pk, user=caseworker, on=on)
    case.refresh_from_db()
    return case


def _next_step(case: Case) -> tuple:
    case.refresh_from_db()
    return case.next_step_on, case.next_step_kind, case.next_step_part_of_day, case.next_step_pulled_forward


def test_a_call_back_is_the_next_step_in_contact_until_a_phone_attempt(municipality, caseworker):
    case = _picked_up(municipality, caseworker, date(2026, 11, 9))
    case_make_contact(case_id=case.pk, user=caseworker, on=date(2026, 11, 13))
    assert _next_step(case) == (None, "", "", False)  # in contact: no plan any more

    request = callback_request_record(case_id=case.pk, part_of_day=PartOfDay.EVENING, requested_at=_at(FRI, 14))
    assert _next_step(case) == (MON, ContactKind.PHONE, PartOfDay.EVENING, False)

    # A letter does not fulfil it; a phone call made before the request does not either.
    contact_attempt_record(
        case_id=case.pk, user=caseworker, kind=ContactKind.LETTER, reached=False, attempted_at=_at(FRI, 15)
    )
    contact_attempt_record(
        case_id=case.pk, user=caseworker, kind=ContactKind.PHONE, reached=True, attempted_at=_at(FRI, 13)
    )
    assert _next_step(case) == (MON, ContactKind.PHONE, PartOfDay.EVENING, False)

    call = contact_attempt_record(
        case_id=case.pk, user=caseworker, kind=ContactKind.PHONE, reached=True, attempted_at=_at(FRI, 16)
    )
    request.refresh_from_db()
    assert request.fulfilled_by == call and request.fulfilled_at is not None
    assert _next_step(case) == (None, "", "", False)


def test_in_outreach_the_call_back_goes_before_the_plan_then_the_plan_goes_on(municipality, caseworker):
    # Picked up Monday 16 November 2026: the default plan's first step is a morning call that day.
    case = _picked_up(municipality, caseworker, date(2026, 11, 16))
    assert _next_step(case) == (date(2026, 11, 16), ContactKind.PHONE, PartOfDay.MORNING, False)
    # Asked on Wednesday 18th at 9:00: called back that day, in the afternoon.
    callback_request_record(case_id=case.pk, part_of_day=PartOfDay.AFTERNOON, requested_at=_at(date(2026, 11, 18), 9))
    assert _next_step(case) == (date(2026, 11, 18), ContactKind.PHONE, PartOfDay.AFTERNOON, False)
    # The call fulfils the request and carries out the plan's first step: the plan's
    # second step (a call in the evening, one day on) is next.
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.PHONE,
        reached=False,
        attempted_at=_at(date(2026, 11, 18), 15),
    )
    assert _next_step(case) == (date(2026, 11, 19), ContactKind.PHONE, PartOfDay.EVENING, False)
    assert not CallbackRequest.objects.filter(case=case, fulfilled_at__isnull=True).exists()


def test_the_term_pulls_a_call_back_forward(municipality, caseworker):
    # The legal term ends on Sunday 22 November; asked Friday afternoon: called Friday.
    case = _picked_up(municipality, caseworker, date(2026, 11, 16), contact_due=date(2026, 11, 22))
    callback_request_record(case_id=case.pk, part_of_day=PartOfDay.EVENING, requested_at=_at(FRI, 14))
    assert _next_step(case) == (FRI, ContactKind.PHONE, PartOfDay.EVENING, True)


def test_a_closed_case_takes_no_call_back_and_closing_clears_it(municipality, caseworker):
    case = _picked_up(municipality, caseworker, date(2026, 11, 16))
    callback_request_record(case_id=case.pk, part_of_day=PartOfDay.MORNING, requested_at=_at(FRI, 9))
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    assert _next_step(case) == (None, "", "", False)
    with pytest.raises(CaseActionRefused, match="open zaak"):
        callback_request_record(case_id=case.pk, part_of_day=PartOfDay.MORNING, requested_at=_at(FRI, 10))


def test_a_due_call_back_reminds_once_and_the_case_page_shows_it(client, municipality, caseworker):
    case = _picked_up(municipality, caseworker, date(2026, 11, 9))
    case_make_contact(case_id=case.pk, user=caseworker, on=date(2026, 11, 13))
    request = callback_request_record(case_id=case.pk, part_of_day=PartOfDay.EVENING, requested_at=_at(FRI, 14))
    assert reminders_plan_steps(today=FRI) == 0  # due Monday
    assert reminders_plan_steps(today=MON) == 1
    assert reminders_plan_steps(today=MON) == 0  # once per request and day
    note = Notification.objects.get(user=caseworker, key=f"callback:{case.pk}:{request.pk}:2026-11-23")
    assert "Terugbelverzoek" in note.body and "23-11-2026, avond" in note.body

    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Terugbelverzoek:</strong> bel op maandag 23-11-2026 (avond)" in page
    case.refresh_from_db()
    assert case.state == CaseState.CONTACT and not ContactAttempt.objects.filter(case=case).exists()
