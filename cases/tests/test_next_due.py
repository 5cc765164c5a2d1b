"""A case's next deadline (`next_due`, the queue's sort key) is the nearest of its
deadlines, whichever way the case came about: intake sets it in SQL, the services in
Python, closure days in an ORM UPDATE. One definition (Case.DEADLINE_FIELDS with
Case.nearest_due and deadlines.next_due_expression); these tests hold every writer to
it for every kind of case, with the dates worked out by hand."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import deadlines
from cases.models import Case
from cases.services import case_mark_threatening
from signals.models import PartnerType
from signals.referrals import referral_register
from testkit.factories import PartnerFactory
from testkit.signal_files import VALID, csv_bytes, deliver, row

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)
REFERRAL_ROW = {k: v for k, v in VALID.items() if k not in ("partner_referentie", "signaal_type")}


@pytest.fixture
def cak(municipality):
    p = PartnerFactory(
        code="cak", name="CAK", partner_type=PartnerType.CAK_ZORGVERZEKERINGEN, signal_types=["cak_zorgverzekering"]
    )
    p.municipalities.add(municipality)
    return p


def _wgs(partner, received_on, ref="H-1", **changes):
    deliver(
        partner, csv_bytes([row(partner_referentie=ref, signaaldatum="2026-11-01", **changes)]), received_on=received_on
    )


def _cak(cak, received_on, ref="CAK-1"):
    deliver(
        cak,
        csv_bytes([row(partner_referentie=ref, signaal_type="cak_zorgverzekering", signaaldatum="2026-11-01")]),
        received_on=received_on,
    )


def _the_one_definition(case: Case) -> date | None:
    """The stored next deadline, after checking that the Python and the SQL form of the
    definition give the same date for this case."""
    stored = case.next_due
    case.refresh_next_due()
    assert case.next_due == stored, "Case.refresh_next_due"
    in_sql = Case.objects.annotate(n=deadlines.next_due_expression()).values_list("n", flat=True).get(pk=case.pk)
    assert in_sql == stored, "deadlines.next_due_expression"
    return stored


def test_a_wgs_signal_the_four_week_term(partner):
    _wgs(partner, MONDAY)  # 2 Nov + 28 days = Monday 30 Nov
    case = Case.objects.get()
    assert _the_one_definition(case) == date(2026, 11, 30) == case.contact_due


def test_cak_only_the_municipalitys_own_term(cak, settings):
    assert settings.CAK_TERM_DAYS == 56
    _cak(cak, MONDAY)  # 2 Nov + 56 days = 28 Dec; no 4-week term
    case = Case.objects.get()
    assert (case.contact_due, case.effort_due) == (None, date(2026, 12, 28))
    assert _the_one_definition(case) == date(2026, 12, 28)


def test_cak_then_a_wgs_signal_the_nearer_four_week_term(cak, partner):
    _cak(cak, MONDAY)  # own term 28 Dec
    _wgs(partner, date(2026, 11, 3))  # 3 Nov + 28 = Tuesday 1 Dec
    case = Case.objects.get()
    assert (case.contact_due, case.effort_due) == (date(2026, 12, 1), date(2026, 12, 28))
    assert _the_one_definition(case) == date(2026, 12, 1)


def test_a_wgs_signal_then_cak_with_a_short_own_term_the_nearer_own_term(cak, partner, settings):
    settings.CAK_TERM_DAYS = 10
    _wgs(partner, MONDAY)  # 30 Nov
    _cak(cak, date(2026, 11, 5))  # 5 Nov + 10 = 15 Nov (calendar days)
    case = Case.objects.get()
    assert (case.contact_due, case.effort_due) == (date(2026, 11, 30), date(2026, 11, 15))
    assert _the_one_definition(case) == date(2026, 11, 15)


def test_a_crisis_proposal_is_no_deadline(partner):
    _wgs(partner, MONDAY, crisissignaal="ja")
    case = Case.objects.get()
    assert (case.crisis_proposed_on, case.crisis_due) == (MONDAY, None)
    assert _the_one_definition(case) == date(2026, 11, 30)


def test_a_judged_crisis_term_stays_the_next_deadline_when_more_signals_arrive(partner, caseworker):
    _wgs(partner, MONDAY, crisissignaal="ja")
    case = Case.objects.get()
    # Judged Wednesday 4 Nov: Thu 5, Fri 6, Mon 9 Nov.
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 4))
    assert _the_one_definition(case) == date(2026, 11, 9)
    _wgs(partner, date(2026, 11, 5), ref="H-2")  # intake updates the open case
    case = Case.objects.get()
    assert (case.signal_count, case.crisis_due, case.contact_due) == (2, date(2026, 11, 9), date(2026, 11, 30))
    assert _the_one_definition(case) == date(2026, 11, 9)


def test_a_referral_joins_the_open_case_and_keeps_its_earlier_term(partner, caseworker, municipality):
    _wgs(partner, MONDAY)  # 30 Nov; the referral is received today, later than 2 Nov
    referral_register(user=caseworker, municipality=municipality, kind="intern", origin="Wmo-loket", row=REFERRAL_ROW)
    case = Case.objects.get()
    assert case.signal_count == 2
    assert _the_one_definition(case) == date(2026, 11, 30)


def test_a_referral_starts_a_case_with_the_four_week_term(caseworker, municipality):
    referral_register(user=caseworker, municipality=municipality, kind="intern", origin="Wmo-loket", row=REFERRAL_ROW)
    case = Case.objects.get()
    today = timezone.localdate()
    # Received today: 28 days on, moved past a weekend or holidays to a working day.
    assert today + timedelta(days=28) <= case.contact_due <= today + timedelta(days=32)
    assert case.contact_due.weekday() < 5
    assert _the_one_definition(case) == case.contact_due


def test_a_deadline_that_is_not_one_is_refused():
    """A typo cannot quietly drop a deadline from the definition."""
    with pytest.raises(TypeError, match="not a deadline of a case: contact_date"):
        Case.nearest_due(contact_date=MONDAY)
    with pytest.raises(TypeError, match="not a deadline of a case: lcv_target"):
        deadlines.next_due_expression(lcv_target=MONDAY)
