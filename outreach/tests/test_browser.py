"""The letters page in a real browser: the caseworker picks the addressee (and, for the
announcement of a home visit, the day and part of day) with a plain form, axe-core
checking WCAG 2.1 AA."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.tests.test_browser import assert_accessible, log_in
from outreach.models import ContactAttempt
from signals.models import PartnerType
from signals.tests.csvfiles import csv_bytes, row
from signals.tests.factories import deliver
from vroeg.tests.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_announce_a_home_visit_to_one_of_two_residents(page, partner, municipality, make_user):
    make_user("caseworker", username="medewerker")
    energy = PartnerFactory(code="test-energie", name="Stroom Test BV", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    received = timezone.localdate() - timedelta(days=3)
    deliver(partner, csv_bytes([row(partner_referentie="HUUR-1")]), received_on=received)
    deliver(
        energy,
        csv_bytes(
            [
                row(
                    partner_referentie="EN-1",
                    signaal_type="elektra",
                    bsn="",
                    voorletters="M.",
                    voorvoegsel="",
                    achternaam="Jansen",
                    geboortedatum="1985-03-02",
                )
            ]
        ),
        received_on=received,
    )

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
