"""The caseworker's day in a real browser (Debian's chromium), with axe-core checking
WCAG 2.1 AA on every page on the way; and a partner user refused."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from testkit.browser import assert_accessible, log_in
from testkit.factories import CaseFactory, SignalFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_from_queue_to_quick_fix(page, make_user, partner):
    make_user("caseworker", username="medewerker")
    received = timezone.localdate() - timedelta(days=3)
    deliver(
        partner,
        csv_bytes(
            [
                row(partner_referentie="A", huisnummer="1"),
                row(partner_referentie="B", huisnummer="2", crisissignaal="ja", achternaam="Bakker", bsn=""),
            ]
        ),
        received_on=received,
    )

    log_in(page, "medewerker")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn werk"
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link").first.click()  # the top of the queue: the crisis case
    assert "1234AB" in page.get_by_role("heading", level=1).inner_text()
    assert "crisis" in page.get_by_role("table").last.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Oppakken", exact=True).click()
    page.get_by_role("link", name="brief", exact=True).click()
    assert "J. de Bakker" in page.get_by_test_id("message").inner_text()
    assert_accessible(page)
    page.go_back()
    page.get_by_label("Hoe").select_option("Telefoon")
    page.get_by_role("radio", name="nee").check()
    page.get_by_role("button", name="Contactpoging vastleggen").click()
    assert page.get_by_test_id("state").inner_text().startswith("opgepakt")
    page.get_by_label("Hoe").select_option("Huisbezoek")
    page.get_by_role("radio", name="ja").check()
    page.get_by_role("button", name="Contactpoging vastleggen").click()
    assert page.get_by_test_id("state").inner_text() == "in contact"
    page.get_by_role("button", name="Hulp geaccepteerd").click()
    assert page.get_by_test_id("state").inner_text() == "hulp geaccepteerd"

    page.get_by_role("link", name="Plan schrijven of aanpassen").click()
    assert_accessible(page)
    page.get_by_label("Achterstand").fill("Huur € 1.248,68")
    page.get_by_label("Wie 1").fill("Inwoner")
    page.get_by_label("Wat 1").fill("Betalingsregeling met de verhuurder maken")
    page.get_by_label("betalingsregelingen").check()
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Plan van Aanpak"
    assert "versie 1" in page.content()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Afdrukken").is_visible()  # the print copy is clean
    page.emulate_media(media="screen")

    page.get_by_role("link", name="1234AB", exact=False).first.click()
    page.get_by_label("Eindresultaat").select_option("(Budget)advies en/of quick fix")
    page.get_by_role("button", name="Zaak afsluiten").click()
    # The resident has no copy of the plan yet: the case does not close.
    assert "een exemplaar van het Plan van Aanpak (versie 1) heeft gekregen" in page.content()
    assert page.get_by_test_id("state").inner_text() == "hulp geaccepteerd"
    page.get_by_role("link", name="Plan schrijven of aanpassen").click()
    page.get_by_label("Exemplaar aan de inwoner gegeven op").fill(timezone.localdate().isoformat())
    page.get_by_label("Hoe de inwoner het exemplaar kreeg").select_option("persoonlijk")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan als nieuwe versie").click()
    assert "versie 2" in page.content() and "een exemplaar van deze versie (persoonlijk overhandigd)" in page.content()
    page.get_by_role("link", name="1234AB", exact=False).first.click()
    page.get_by_label("Eindresultaat").select_option("(Budget)advies en/of quick fix")
    page.get_by_role("button", name="Zaak afsluiten").click()
    assert page.get_by_test_id("state").inner_text() == "gesloten: (Budget)advies en/of quick fix"
    timeline = page.get_by_role("region", name="Tijdlijn").inner_text()
    assert re.search(r"Contactpoging: Huisbezoek, (ochtend|middag|avond), bereikt", timeline)
    assert re.search(r"Contactpoging: Telefoon, (ochtend|middag|avond), niet bereikt", timeline)
    assert "hulp geaccepteerd → gesloten" in timeline


def test_a_partner_user_cannot_open_the_queue_or_a_case(page, make_user, partner, municipality):
    make_user("partner_user", username="priya", partner=partner)
    case_id = CaseFactory(household__municipality=municipality, signals=[partner]).pk
    log_in(page, "priya")
    assert page.goto("/werk/").status == 403
    assert page.goto(f"/zaken/{case_id}/").status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"


def test_team_lead_pages_are_accessible(page, make_user, partner, municipality):
    make_user("teamlead", username="thijs")
    CaseFactory(household__municipality=municipality, signals=[partner])
    log_in(page, "thijs")
    page.goto("/team/werkbakjes/nieuw/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nieuw werkbakje"
    assert_accessible(page)
    page.get_by_label("Gemeente").select_option(label="Voorbeeldstad (9999)")
    page.get_by_label("Naam").fill("Hoge bedragen")
    page.get_by_label("Voorgestelde aanpak").select_option("phone")
    page.get_by_role("button", name="Opslaan").click()
    assert "Hoge bedragen" in page.get_by_role("table").inner_text()
    assert_accessible(page)
    page.goto("/werk/")
    assert_accessible(page)  # with the bulk-assignment controls a team lead gets


def test_a_case_can_be_picked_up_with_the_keyboard_alone(page, make_user, partner, municipality):
    make_user("caseworker", username="medewerker")
    received = timezone.localdate() - timedelta(days=1)
    CaseFactory(household__municipality=municipality, first_received_on=received, signals=[partner])
    log_in(page, "medewerker")
    # Tab from the top of the queue to the first case link, then Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href') || ''").startswith("/zaken/"):
            break
    else:
        pytest.fail("no case link reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url("**/zaken/*/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Oppakken":
            break
    else:
        pytest.fail("'Oppakken' not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_test_id("state").inner_text() == "opgepakt: contact zoeken"


def test_a_crisis_signal_is_judged_threatening_and_withdrawn(page, make_user, partner, municipality):
    """A partner's crisissignaal=ja asks the caseworker for a judgement; confirming it
    starts the 3-working-day term from that day (Wgs art. 4 lid 2)."""
    from vroeg.workdays import add_working_days

    make_user("caseworker", username="medewerker")
    received = timezone.localdate() - timedelta(days=2)
    case = CaseFactory(household__municipality=municipality, first_received_on=received)
    SignalFactory(case=case, partner=partner, partner_referentie="C", crisis=True)
    log_in(page, "medewerker")
    page.goto(f"/zaken/{case.pk}/")
    proposal = page.get_by_test_id("crisis-proposal")
    assert "beoordeel of de situatie bedreigend is" in proposal.inner_text()
    assert_accessible(page)
    proposal.get_by_label("Bedreigend beoordeeld op").fill(received.isoformat())
    proposal.get_by_role("button", name="Situatie is bedreigend").click()
    terms = page.get_by_test_id("crisis-terms")
    assert f"{add_working_days(received, 3):%d-%m-%Y}" in terms.inner_text()
    assert_accessible(page)
    terms.get_by_label("Reden").fill("Verkeerd adres")
    terms.get_by_role("button", name="Oordeel intrekken").click()
    assert "ingetrokken op" in page.get_by_test_id("crisis-terms").inner_text()
