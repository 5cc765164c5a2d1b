"""The case timeline writes amounts the Dutch way (issue 16: it showed "€ 195.03")."""

from decimal import Decimal

import pytest

from cases.timeline import case_timeline
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_signal_amounts_in_the_timeline_have_a_decimal_comma_and_a_thousands_point(partner):
    case = CaseFactory(signals=[partner], signals__amount=Decimal("2893.20"))
    [signal] = [event for event in case_timeline(case) if event.kind == "signal"]
    assert signal.detail.startswith("€ 2.893,20 sinds ")


def test_a_small_amount_keeps_its_cents(partner):
    case = CaseFactory(signals=[partner], signals__amount=Decimal("195.03"))
    [signal] = [event for event in case_timeline(case) if event.kind == "signal"]
    assert signal.detail.startswith("€ 195,03 sinds ")
