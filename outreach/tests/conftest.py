"""The cases the letters are written for: one resident, or two with each their own
partner."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseState
from signals.models import PartnerType
from testkit.factories import CaseFactory, PartnerFactory, ResidentFactory, SignalFactory

AT_12 = {"household__postcode": "1234AB", "household__house_number": 12}  # the address of a letter


@pytest.fixture
def picked_up_case(partner, municipality, caseworker, client):
    """J. de Vries, Dorpsstraat 12, behind on the rent; picked up by the caseworker."""
    case = CaseFactory(
        **AT_12, household__municipality=municipality, first_received_on=timezone.localdate() - timedelta(days=2)
    )
    SignalFactory(case=case, partner=partner)
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW})
    return case


@pytest.fixture
def two_residents(partner, municipality, caseworker, client):
    """One household: J. de Vries is behind on the rent, M. Jansen on the energy bill."""
    energy = PartnerFactory(code="test-energie", name="Stroom Test BV", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    case = CaseFactory(**AT_12, household__municipality=municipality)
    SignalFactory(case=case, partner=partner, partner_referentie="HUUR-1")
    jansen = ResidentFactory(
        household=case.household, bsn="", initials="M.", prefix="", surname="Jansen", birth_date=date(1985, 3, 2)
    )
    SignalFactory(case=case, resident=jansen, partner=energy, partner_referentie="EN-1", signal_type="elektra")
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW})
    residents = {r.surname: r for r in case.household.residents.all()}
    assert set(residents) == {"Vries", "Jansen"}
    return case, residents["Vries"], residents["Jansen"]
