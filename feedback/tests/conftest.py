from datetime import date

import pytest

from signals.models import PartnerType
from testkit.factories import CaseFactory, PartnerFactory, SignalFactory


@pytest.fixture
def water(db, municipality):
    p = PartnerFactory(
        code="test-water", name="Waterbedrijf Test", partner_type=PartnerType.WATER, signal_types=["drinkwater"]
    )
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def household_case(partner, water, municipality):
    """One household with a rent signal and a water signal: one case, two partners."""
    case = CaseFactory(
        household__municipality=municipality,
        household__postcode="1234AB",
        household__house_number=12,
        first_received_on=date(2026, 11, 27),
    )
    SignalFactory(case=case, partner=partner, partner_referentie="HUUR-7")
    SignalFactory(case=case, partner=water, partner_referentie="WATER-3")
    return case
