"""The letters page in a real browser: the caseworker picks the addressee (and, for the
announcement of a home visit, the day and part of day) with a plain form, axe-core
checking WCAG 2.1 AA."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from outreach.models import ContactAttempt
from signals.models import PartnerType
from testkit.browser import assert_accessible, log_in
from testkit.factories import CaseFactory, PartnerFactory, ResidentFactory, SignalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_announce_a_home_visit_to_one_of_two_residents(page, partner, municipality, make_user):
    make_user("caseworker", username="medewerker")
    energy = PartnerFactory(code="test-energie", name="Stroom Test BV", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    received = timezone.localdate() - timedelta(days=3)
    case = CaseFactory(household__municipality=municipality, first_received_on=received)
    SignalFactory(case=case, partner=partner, partner_referentie="HUUR-1")
    jansen = ResidentFactory(
        household=case.household, bsn="", initials="M.", prefix="", surname="Jansen", birth_date=date(1985, 3, 2)
    )
    SignalFactory(case=case, resident=jansen, partner=energy, partner_referentie="EN-1", signal_type="elektra")

    log_in(page, "medewerker")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("button", name="Oppakken", exact=True).click()
    page.get_by_role("link", name="aankondiging huisbezoek").click()
    assert page.get_by_test_id("message").count() == 0
    assert_accessible(page)
    page.get_by_label("Geadresseerde").select_option(label="M. Jansen")
    visit = timezone.localdate() + timedelta(days=2)
    page.get_by_label("Datum van het huisbezoek").fill(visit.isoformat())
    page.get_by_label("Dagdeel").select_option("Ochtend")
    page.get_by_role("button", name="Toon de tekst").click()
    letter = page.get_by_test_id("message").inner_text()
    assert "Beste M. Jansen" in letter and "uw energieleverancier" in letter and "in de ochtend" in letter
    assert "Vries" not in letter and "verhuurder" not in letter
    assert_accessible(page)
    page.get_by_role("button", name="Verstuurd of afgedrukt: vastleggen als contactpoging").click()
    attempt = ContactAttempt.objects.get()
    assert attempt.note == f"Aankondiging huisbezoek verstuurd aan M. Jansen (huisbezoek {visit:%d-%m-%Y}, ochtend)"
