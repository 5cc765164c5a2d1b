"""A closure day declared (or deleted) later moves the stored deadlines of open cases
(Atw art. 1 and art. 3 lid 3): the functional admin adds it in the admin, and the
4-week term ending on it, and a crisis term counting it as a working day, move."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import Case, CrisisTerm, Outcome
from cases.services import case_close, case_mark_threatening
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditEntry
from vroeg.calendar.models import ClosureDay

pytestmark = pytest.mark.django_db


def _case(partner, received_on: date, number: str, crisis: str = "nee") -> Case:
    deliver(
        partner,
        csv_bytes(
            [
                row(
                    partner_referentie=f"R{number}",
                    huisnummer=number,
                    crisissignaal=crisis,
                    signaaldatum=(received_on - timedelta(days=3)).isoformat(),
                )
            ]
        ),
        received_on=received_on,
    )
    return Case.objects.get(household__house_number=int(number), closed_at__isnull=True)


def test_a_closure_day_added_in_the_admin_moves_the_terms_of_open_cases(client, partner, caseworker, functional_admin):
    # Received Tue 3 Nov 2026: + 28 days = Tue 1 Dec, a working day.
    moves = _case(partner, date(2026, 11, 3), "1")
    # Received Wed 4 Nov: + 28 = Wed 2 Dec; 1 Dec lies before its end: it stays.
    stays = _case(partner, date(2026, 11, 4), "2")
    # Received Tue 3 Nov too, but closed: a closed case keeps what it had.
    closed = _case(partner, date(2026, 11, 3), "3")
    case_close(case_id=closed.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    # Received Fri 27 Nov with a crisis signal, judged threatening that day: Mon 30 Nov,
    # Tue 1 Dec, Wed 2 Dec. Its legal term: 27 Nov + 28 = Fri 25 Dec (Kerstdag) →
    # Sat, Sun → Mon 28 Dec.
    crisis = _case(partner, date(2026, 11, 27), "4", crisis="ja")
    crisis = case_mark_threatening(case_id=crisis.pk, user=caseworker, on=date(2026, 11, 27))
    assert (moves.contact_due, stays.contact_due, crisis.crisis_due, crisis.contact_due) == (
        date(2026, 12, 1),
        date(2026, 12, 2),
        date(2026, 12, 2),
        date(2026, 12, 28),
    )

    client.force_login(functional_admin)
    response = client.post(
        reverse("admin:calendar_closureday_add"),
        {"date": "2026-12-01", "reason": "Besluit gelijkgestelde dag"},
        follow=True,
    )
    assert response.status_code == 200 and ClosureDay.objects.filter(date=date(2026, 12, 1)).exists()
    assert "2 termijnen van open zaken zijn met de nieuwe kalender verschoven." in response.content.decode()
    for case in (moves, stays, closed, crisis):
        case.refresh_from_db()
    # Tue 1 Dec is no working day now: the 4-week term runs on to Wed 2 Dec (Atw art. 1).
    assert (moves.contact_due, moves.next_due) == (date(2026, 12, 2), date(2026, 12, 2))
    assert stays.contact_due == date(2026, 12, 2)
    assert closed.contact_due == date(2026, 12, 1)
    # The crisis term counts Mon 30 Nov, Wed 2 Dec, Thu 3 Dec; the term row moves with it.
    assert (crisis.crisis_due, crisis.next_due, crisis.contact_due) == (
        date(2026, 12, 3),
        date(2026, 12, 3),
        date(2026, 12, 28),
    )
    assert CrisisTerm.objects.get(case=crisis).due == date(2026, 12, 3)
    assert AuditEntry.objects.filter(
        object_type="calendar.closureday", actor=functional_admin, detail__records_moved=2
    ).exists()

    # Deleted again: everything is back where it was.
    closure = ClosureDay.objects.get(date=date(2026, 12, 1))
    client.post(reverse("admin:calendar_closureday_delete", args=[closure.pk]), {"post": "yes"})
    for case in (moves, crisis):
        case.refresh_from_db()
    assert (moves.contact_due, crisis.crisis_due, crisis.next_due) == (
        date(2026, 12, 1),
        date(2026, 12, 2),
        date(2026, 12, 2),
    )
    assert CrisisTerm.objects.get(case=crisis).due == date(2026, 12, 2)


def test_a_closure_day_moves_a_term_already_moved_past_a_weekend(partner, functional_admin):
    """Received Sat 31 Oct 2026: + 28 = Sat 28 Nov → Mon 30 Nov. Declaring Mon 30 Nov
    closed moves it to Tue 1 Dec; changing that closure day to Tue 1 Dec gives Mon 30 Nov
    back as the last day (both dates are recomputed; 1 Dec lies after it)."""
    from vroeg.calendar.services import closure_day_save

    case = _case(partner, date(2026, 10, 31), "5")
    assert case.contact_due == date(2026, 11, 30)
    closure, moved = closure_day_save(user=functional_admin, day=date(2026, 11, 30), reason="Besluit")
    case.refresh_from_db()
    assert (moved, case.contact_due) == (1, date(2026, 12, 1))
    closure_day_save(user=functional_admin, day=date(2026, 12, 1), reason="Besluit", closure_day_id=closure.pk)
    case.refresh_from_db()
    assert case.contact_due == date(2026, 11, 30)
