"""Cases whose contact plan's next step is a home visit, at addresses a test chooses.

The stored next step (Case.next_step_*) is what outreach's plan service keeps and what
the round planner reads; these cases get it straight from the factory. The tests of the
plan moving on build it through the real plan service instead (test_recording.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outreach.models import ContactKind
from testkit.factories import CaseFactory, SignalFactory
from vroeg.workdays import WorkCalendar


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def last_working_day(today):
    """The last working day before today: a round on it can be recorded whatever the hour."""
    calendar, day = WorkCalendar(), today - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@pytest.fixture
def due_visit(municipality, caseworker, partner, today):
    """due_visit("3581AB", 12, "A") → a case in outreach at Lange Nieuwstraat 12-A,
    3581 AB, assigned to the caseworker, whose next step is a home visit due today (or
    `on`); one resident with a signal, J. <surname>."""

    def make(postcode, number, suffix="", *, on=None, kind=ContactKind.HOME_VISIT, surname="Vries", **kwargs):
        kwargs.setdefault("assigned_to", caseworker)
        kwargs.setdefault("household__municipality", municipality)
        case = CaseFactory(
            outreach=True,
            household__postcode=postcode,
            household__house_number=number,
            household__house_number_suffix=suffix,
            household__street="Lange Nieuwstraat",
            first_received_on=today - timedelta(days=20),
            picked_up_on=today - timedelta(days=19),
            next_step_kind=kind,
            next_step_on=on or today,
            **kwargs,
        )
        SignalFactory(
            case=case,
            partner=partner,
            resident__surname=surname,
            resident__prefix="",
            resident__bsn="",
            resident__initials="J.",
        )
        return case

    return make
