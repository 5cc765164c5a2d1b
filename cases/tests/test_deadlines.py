"""Deadlines set by intake and by the caseworker, around weekends and Atw holidays."""

from datetime import date

import pytest

from cases.models import Case
from cases.services import case_mark_threatening
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db


def _case_after(partner, received_on: date, **changes) -> Case:
    signal_date = min(received_on, date(2026, 11, 1)).isoformat()
    deliver(
        partner,
        csv_bytes([row(signaaldatum=signal_date, datum_ontstaan="2024-01-01", **changes)]),
        received_on=received_on,
    )
    return Case.objects.order_by("-pk").first()


@pytest.mark.parametrize(
    "received_on, contact_due",
    [
        (date(2026, 3, 6), date(2026, 4, 7)),  # +28 = Goede Vrijdag → after Easter Monday
        (date(2025, 3, 29), date(2025, 4, 28)),  # +28 = Koningsdag on Saturday 26 April
        (date(2026, 4, 7), date(2026, 5, 6)),  # +28 = 5 mei
        (date(2025, 11, 29), date(2025, 12, 29)),  # +28 = Saturday 27 December
        (date(2024, 11, 28), date(2024, 12, 27)),  # +28 = tweede Kerstdag
        (date(2026, 11, 2), date(2026, 11, 30)),  # a plain Monday
    ],
)
def test_intake_sets_the_legal_term_and_lcv_target(partner, received_on, contact_due):
    case = _case_after(partner, received_on)
    assert case.first_received_on == received_on
    assert case.contact_due == contact_due
    assert (case.lcv_target - received_on).days == 14
    assert (case.crisis_due, case.crisis_proposed_on, case.has_crisis) == (None, None, False)


@pytest.mark.parametrize(
    "received_on, crisis_due",
    [
        (date(2025, 12, 23), date(2025, 12, 30)),  # over Christmas and a weekend
        (date(2026, 4, 30), date(2026, 5, 6)),  # over the weekend and 5 mei
        (date(2026, 11, 27), date(2026, 12, 2)),  # a Friday
    ],
)
def test_a_crisis_signal_is_a_proposal_the_judgement_starts_the_term(partner, caseworker, received_on, crisis_due):
    """Wgs art. 4 lid 2: the term runs from the municipality's judgement, not from the
    partner's crisissignaal=ja; judged on the day of receipt it ends on `crisis_due`."""
    case = _case_after(partner, received_on, crisissignaal="ja")
    assert case.has_crisis and case.crisis_proposed_on == received_on
    assert (case.crisis_judged_on, case.crisis_due) == (None, None)
    assert case.next_due == case.contact_due  # a proposal is no deadline
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=received_on)
    assert (case.crisis_proposed_on, case.crisis_judged_on, case.crisis_due) == (None, received_on, crisis_due)
    assert case.next_due == crisis_due


def test_an_earlier_signal_moves_the_term_forward_a_later_one_does_not(partner):
    case = _case_after(partner, date(2026, 11, 2))
    _case_after(partner, date(2026, 11, 16), partner_referentie="LATER")
    case.refresh_from_db()
    assert case.signal_count == 2 and case.contact_due == date(2026, 11, 30)
    _case_after(partner, date(2026, 10, 26), partner_referentie="EARLIER")
    case.refresh_from_db()
    assert case.first_received_on == date(2026, 10, 26)
    assert case.contact_due == date(2026, 11, 23)
