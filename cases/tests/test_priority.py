"""Priority: the score is the sum of the lines it shows, in plain Dutch."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Resident
from cases.priority import case_priority
from signals.models import PARTNER_TYPE_BITS

from .factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)
BITS = PARTNER_TYPE_BITS


def test_explanation_adds_up_to_the_score(municipality):
    case = CaseFactory(
        household__municipality=municipality,
        signal_count=3,
        partner_type_mask=BITS["Huur"] | BITS["Energie"] | BITS["Water"],
        total_amount=Decimal("2400.50"),
        crisis_due=TODAY + timedelta(days=2),
        contact_due=TODAY + timedelta(days=20),
    )
    p = case_priority(case, today=TODAY)
    assert p.reasons == [
        "3 signalen: +30",
        "3 soorten vaste lasten: +20",
        "totale achterstand € 2.400,50: +10",
        "bedreigende situatie (crisistermijn van 3 werkdagen): +50",
        "nog 2 dagen tot de termijn: +30",
    ]
    assert p.score == 140


def test_overdue_and_single_signal(municipality):
    case = CaseFactory(household__municipality=municipality, contact_due=TODAY - timedelta(days=3))
    p = case_priority(case, today=TODAY)
    assert p.reasons == ["1 signaal: +10", "termijn verstreken sinds 3 dagen: +40"]


def test_contact_made_means_no_deadline_points(municipality):
    case = CaseFactory(household__municipality=municipality, contact=True, contact_due=TODAY)
    assert case_priority(case, today=TODAY).reasons == ["1 signaal: +10"]


def test_consecutive_signals_at_the_same_address(municipality):
    earlier = CaseFactory(household__municipality=municipality, closed=True,
                          opened_at=timezone.now() - timedelta(days=100))  # fmt: skip
    case = CaseFactory(household=earlier.household, contact_due=TODAY + timedelta(days=20))
    assert "eerder signaal op dit adres in de afgelopen 6 maanden: +15" in case_priority(case, today=TODAY).reasons
    long_ago = CaseFactory(household__municipality=municipality, closed=True,
                           opened_at=timezone.now() - timedelta(days=400))  # fmt: skip
    later = CaseFactory(household=long_ago.household, contact_due=TODAY + timedelta(days=20))
    assert not any("eerder signaal" in r for r in case_priority(later, today=TODAY).reasons)


@pytest.mark.parametrize("born, counts", [(date(2004, 6, 1), True), (date(1990, 6, 1), False), (date(2009, 6, 1), False)])
def test_young_adult_with_only_a_health_insurance_signal(municipality, born, counts):
    case = CaseFactory(household__municipality=municipality, partner_type_mask=BITS["Zorg"],
                       contact_due=TODAY + timedelta(days=20))  # fmt: skip
    Resident.objects.create(household=case.household, person_key="x", surname="Jansen", birth_date=born)
    reasons = case_priority(case, today=TODAY).reasons
    assert ("jongvolwassene (18–27) met alleen een zorgverzekeringssignaal: +15" in reasons) is counts


def test_weights_come_from_settings(municipality, settings):
    settings.VROEG_PRIORITY_WEIGHTS = {"per_signal": 1}
    case = CaseFactory(household__municipality=municipality, signal_count=4, contact_due=TODAY + timedelta(days=20))
    assert case_priority(case, today=TODAY).reasons == ["4 signalen: +4"]


def test_partners_are_treated_equally(municipality):
    """The kind of partner does not weigh: rent or health insurance, the same score."""
    rent = CaseFactory(household__municipality=municipality, partner_type_mask=BITS["Huur"], contact_due=TODAY + timedelta(days=20))
    water = CaseFactory(household__municipality=municipality, partner_type_mask=BITS["Water"], contact_due=TODAY + timedelta(days=20))
    assert case_priority(rent, today=TODAY).score == case_priority(water, today=TODAY).score
