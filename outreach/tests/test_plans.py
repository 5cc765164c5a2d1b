"""When each step of a contact plan is due (outreach/plans.py), by hand-computed dates:
weekends and the Atw holidays move a step to the next working day, no step is planned
after the term to approach the resident, attempts and skipped or moved steps advance
the plan. The default plan: day 0 phone, +1 phone, +1 home visit, +2 letter, +3 phone."""

from datetime import date

import pytest

from cases.deadlines import contact_due
from outreach.models import ContactKind
from outreach.plans import (
    DEFAULT_PLAN_STEPS,
    DONE,
    LATER,
    MOVE,
    NEXT,
    PICKUP,
    PREVIOUS,
    SKIP,
    SKIPPED,
    AttemptEvent,
    PlanStep,
    StepChangeEvent,
    next_step,
    plan_schedule,
)
from vroeg.calendar.models import ClosureDay

pytestmark = pytest.mark.django_db  # closure days by decree live in the database

DEFAULT = [PlanStep(i, kind, days, anchor, part) for i, (kind, days, anchor, part) in enumerate(DEFAULT_PLAN_STEPS, 1)]
PHONE, VISIT, LETTER = ContactKind.PHONE, ContactKind.HOME_VISIT, ContactKind.LETTER


def _days(schedule) -> list[date]:
    return [s.on for s in schedule.steps]


def test_a_plan_picked_up_on_a_friday_moves_past_the_weekend():
    # Fri 27-11-2026; the legal term of a signal received on 16-11 ends on Mon 14-12.
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), term=contact_due(date(2026, 11, 16)))
    assert schedule.term == date(2026, 12, 14)
    assert _days(schedule) == [
        date(2026, 11, 27),  # day 0: the Friday itself
        date(2026, 11, 30),  # +1 = Saturday → Monday
        date(2026, 12, 1),
        date(2026, 12, 3),
        date(2026, 12, 7),  # +3 = Sunday → Monday
    ]
    assert [s.status for s in schedule.steps] == [NEXT, LATER, LATER, LATER, LATER]
    assert not any(s.pulled_forward for s in schedule.steps)
    assert schedule.next.step.part_of_day == "Ochtend"


def test_easter_good_friday_and_easter_monday_are_no_working_days():
    # Thu 02-04-2026; Good Friday 03-04, Easter Monday 06-04.
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 4, 2))
    assert _days(schedule) == [
        date(2026, 4, 2),
        date(2026, 4, 7),
        date(2026, 4, 8),
        date(2026, 4, 10),
        date(2026, 4, 13),
    ]


def test_kings_day():
    # Fri 24-04-2026; King's Day Mon 27-04. 4 May is a working day (5 May is not).
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 4, 24))
    assert _days(schedule) == [
        date(2026, 4, 24),
        date(2026, 4, 28),
        date(2026, 4, 29),
        date(2026, 5, 1),
        date(2026, 5, 4),
    ]


def test_christmas_and_new_year():
    # Wed 23-12-2026; Christmas Fri 25-12 and Sat 26-12; New Year Fri 01-01-2027.
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 12, 23))
    assert _days(schedule) == [
        date(2026, 12, 23),
        date(2026, 12, 24),
        date(2026, 12, 28),  # +1 = Christmas → Monday
        date(2026, 12, 30),
        date(2027, 1, 4),  # +3 = Saturday → Monday
    ]


def test_a_closure_day_by_decree_moves_a_step_too():
    ClosureDay.objects.create(date=date(2026, 11, 30), reason="Bij besluit gelijkgesteld")
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27))
    assert _days(schedule)[1] == date(2026, 12, 1)


def test_a_step_after_the_legal_term_is_pulled_forward_to_its_last_day():
    # Received Mon 02-11-2026: the 4-week term ends Mon 30-11. Picked up Wed 25-11.
    term = contact_due(date(2026, 11, 2))
    assert term == date(2026, 11, 30)
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 25), term=term)
    assert _days(schedule) == [
        date(2026, 11, 25),
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 30),  # +2 = Sunday → Monday: the term's last day itself, not after it
        date(2026, 11, 30),  # +3 = Thursday 03-12: after the term, pulled forward to it
    ]
    last = schedule.steps[-1]
    assert last.pulled_forward and last.planned_on == date(2026, 12, 3)
    assert not schedule.steps[3].pulled_forward
    assert not schedule.term_passed


def test_a_term_ending_on_easter_monday_pulls_a_step_back_to_maundy_thursday():
    # The CAK list's own term counts calendar days and may end on a holiday: Mon 06-04.
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 4, 1), term=date(2026, 4, 6))
    assert _days(schedule)[:3] == [date(2026, 4, 1), date(2026, 4, 2), date(2026, 4, 2)]
    visit = schedule.steps[2]
    assert visit.step.kind == VISIT and visit.pulled_forward and visit.planned_on == date(2026, 4, 7)


def test_the_next_step_is_pulled_forward_too():
    # A plan whose first step waits a week; the term ends in three days.
    plan = [PlanStep(1, VISIT, 7, PICKUP, "Middag")]
    step = next_step(plan, picked_up_on=date(2026, 11, 25), term=date(2026, 11, 27))
    assert (step.on, step.pulled_forward, step.planned_on) == (date(2026, 11, 27), True, date(2026, 12, 2))


def test_after_a_passed_term_a_step_keeps_its_own_day_and_the_schedule_says_so():
    # Received 01-10-2026: the term ended Thu 29-10; picked up Wed 04-11.
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 4), term=contact_due(date(2026, 10, 1)))
    assert schedule.term == date(2026, 10, 29)
    assert schedule.term_passed
    assert schedule.next.on == date(2026, 11, 4) and not schedule.next.pulled_forward


def test_an_attempt_carries_out_the_next_step_and_the_plan_goes_on_from_it():
    # The first call is made a day late (Mon 30-11 instead of Fri 27-11).
    events = [AttemptEvent(date(2026, 11, 30), PHONE, attempt_id=10)]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert schedule.carried_out == {10: 1}
    assert [(s.step.position, s.status, s.on) for s in schedule.steps[:3]] == [
        (1, DONE, date(2026, 11, 30)),
        (2, NEXT, date(2026, 12, 1)),  # counted from the call, not from the plan
        (3, LATER, date(2026, 12, 2)),
    ]


def test_two_calls_carry_out_the_two_phone_steps_in_order():
    events = [AttemptEvent(date(2026, 11, 27), PHONE, 1), AttemptEvent(date(2026, 11, 30), PHONE, 2)]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert schedule.carried_out == {1: 1, 2: 2}
    assert schedule.next.step.kind == VISIT and schedule.next.on == date(2026, 12, 1)


def test_an_attempt_of_a_later_steps_kind_carries_out_that_step_early():
    # A letter goes out on Fri 27-11 while the first call is next: the plan's letter
    # step is done; the first call stays next, on the letter's day.
    events = [AttemptEvent(date(2026, 11, 27), LETTER, 5)]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert schedule.carried_out == {5: 4}
    assert [s.step.position for s in schedule.steps if s.status == DONE] == [4]
    assert (schedule.next.step.position, schedule.next.on) == (1, date(2026, 11, 27))
    assert [s.step.position for s in schedule.steps if s.status == LATER] == [2, 3, 5]


def test_an_attempt_of_a_kind_without_a_step_left_carries_out_none_but_the_plan_goes_on_from_it():
    plan = [PlanStep(1, PHONE, 0, PICKUP), PlanStep(2, VISIT, 2, PREVIOUS)]
    events = [AttemptEvent(date(2026, 11, 27), PHONE, 1), AttemptEvent(date(2026, 12, 1), ContactKind.MAIL, 2)]
    schedule = plan_schedule(plan, picked_up_on=date(2026, 11, 27), events=events)
    assert schedule.carried_out == {1: 1}
    assert schedule.next.step.kind == VISIT and schedule.next.on == date(2026, 12, 3)  # Tue 01-12 + 2


def test_every_step_taken_leaves_no_next_step():
    events = [AttemptEvent(date(2026, 11, 27), kind, i) for i, (kind, *_) in enumerate(DEFAULT_PLAN_STEPS)]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert schedule.next is None and all(s.status == DONE for s in schedule.steps)


def test_a_skipped_step_counts_as_taken_on_the_day_it_was_skipped():
    events = [StepChangeEvent(SKIP, 1, PHONE, date(2026, 11, 30))]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert (schedule.steps[0].status, schedule.steps[0].on) == (SKIPPED, date(2026, 11, 30))
    assert (schedule.next.step.position, schedule.next.on) == (2, date(2026, 12, 1))


def test_a_later_step_moved_forward_becomes_the_next_and_the_rest_follows_it():
    # After the first call (Fri 27-11) the caseworker moves the home visit before the second call.
    events = [AttemptEvent(date(2026, 11, 27), PHONE, 1), StepChangeEvent(MOVE, 3, VISIT, date(2026, 11, 27))]
    schedule = plan_schedule(DEFAULT, picked_up_on=date(2026, 11, 27), events=events)
    assert [(s.step.position, s.status, s.on, s.moved) for s in schedule.steps] == [
        (1, DONE, date(2026, 11, 27), False),
        (3, NEXT, date(2026, 11, 30), True),  # +1 from the call: Saturday → Monday
        (2, LATER, date(2026, 12, 1), False),
        (4, LATER, date(2026, 12, 3), False),
        (5, LATER, date(2026, 12, 7), False),
    ]


def test_a_change_of_a_step_edited_away_no_longer_applies():
    # Step 2 was a call when it was skipped; the plan now has a letter there.
    plan = [PlanStep(1, PHONE, 0, PICKUP), PlanStep(2, LETTER, 1, PREVIOUS)]
    events = [StepChangeEvent(SKIP, 2, PHONE, date(2026, 11, 27))]
    schedule = plan_schedule(plan, picked_up_on=date(2026, 11, 27), events=events)
    assert [s.status for s in schedule.steps] == [NEXT, LATER]


def test_a_step_counted_from_pick_up_is_never_planned_before_the_step_before_it():
    plan = [PlanStep(1, PHONE, 0, PICKUP), PlanStep(2, VISIT, 1, PICKUP)]
    events = [AttemptEvent(date(2026, 12, 2), PHONE, 1)]  # the call came late
    assert next_step(plan, picked_up_on=date(2026, 11, 27), events=events).on == date(2026, 12, 2)
