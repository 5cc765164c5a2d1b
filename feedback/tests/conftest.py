import pytest

from cases.models import Case
from signals.models import PartnerType
from signals.tests.csvfiles import csv_bytes, row
from signals.tests.factories import deliver
from vroeg.tests.factories import PartnerFactory


@pytest.fixture
def water(db, municipality):
    p = PartnerFactory(
        code="test-water", name="Waterbedrijf Test", partner_type=PartnerType.WATER, signal_types=["drinkwater"]
    )
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def household_case(partner, water):
    """One household with a rent signal and a water signal: one case, two partners."""
    deliver(partner, csv_bytes([row(partner_referentie="HUUR-7")]))
    deliver(water, csv_bytes([row(partner_referentie="WATER-3", signaal_type="drinkwater")]))
    return Case.objects.get()
