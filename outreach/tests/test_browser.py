"""The letters page in a real browser: the caseworker picks the addressee (and, for the
announcement of a home visit, the day and part of day) with a plain form, adjusts the
text, prints the letter alone and copies a text message; axe-core checks every rule."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

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
    heading = f"Aankondiging huisbezoek verstuurd aan M. Jansen (huisbezoek {visit:%d-%m-%Y}, ochtend):"
    assert attempt.note.startswith(f"{heading}\n\nVoorbeeldstad\n") and "in de ochtend" in attempt.note


BROWSER_LANGUAGES = ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))]


def _assigned_case(municipality, partner, worker, *residents):
    """A case in outreach, assigned to `worker`: J. de Vries behind on the rent, and
    each of `residents` (surname, partner) with a signal of their own."""
    received = timezone.localdate() - timedelta(days=3)
    case = CaseFactory(
        household__municipality=municipality, first_received_on=received, assigned_to=worker, outreach=True
    )
    case.picked_up_on = received
    case.save()
    SignalFactory(case=case, partner=partner, partner_referentie="HUUR-1")
    for surname, theirs in residents:
        resident = ResidentFactory(
            household=case.household, bsn="", initials="M.", prefix="", surname=surname, birth_date=date(1985, 3, 2)
        )
        SignalFactory(case=case, resident=resident, partner=theirs, partner_referentie="EN-1", signal_type="elektra")
    return case


@pytest.mark.parametrize("browser_language", BROWSER_LANGUAGES)
def test_a_letter_to_the_chosen_addressee_adjusted_and_printed_without_the_site(
    page, partner, municipality, make_user, browser_language
):
    """Issue 16: the letter names the caseworker and their number, the caseworker
    adjusts the text before printing, the printout is the letter alone, and the
    contact attempt keeps the adjusted text. An English browser gets the same Dutch."""
    worker = make_user("caseworker", username="medewerker", first_name="Anna", last_name="Bakker", phone="06 12345678")
    energy = PartnerFactory(code="test-energie", name="Stroom Test BV", partner_type=PartnerType.ENERGIE)
    energy.municipalities.add(municipality)
    case = _assigned_case(municipality, partner, worker, ("Jansen", energy))

    log_in(page, "medewerker")
    page.goto(reverse("case-message", args=[case.pk, "brief"]))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_test_id("message").count() == 0
    assert_accessible(page)
    page.get_by_label("Geadresseerde").select_option(label="M. Jansen")
    page.get_by_role("button", name="Toon de tekst").click()
    letter = page.get_by_test_id("message")
    assert "Beste M. Jansen" in letter.inner_text() and "Anna Bakker\nTelefoon: 06 12345678" in letter.inner_text()
    assert page.get_by_test_id("no-phone").count() == 0
    assert_accessible(page)

    text = page.get_by_label("Tekst", exact=True)
    new = "Ik bel u op dinsdag tussen 10 en 12 uur. <b>Neemt u op?</b>"
    text.fill(text.input_value().replace("Wij willen graag een afspraak met u maken.", new))
    page.get_by_role("button", name="Tekst aanpassen").click()
    assert new in letter.inner_text() and "Wij willen graag een afspraak" not in letter.inner_text()
    assert letter.locator("b").count() == 0  # the text as typed, not as HTML
    assert page.get_by_test_id("adjusted").is_visible()
    assert page.get_by_label("Geadresseerde").input_value() == str(case.household.residents.get(surname="Jansen").pk)
    assert_accessible(page)

    page.emulate_media(media="print")
    assert letter.is_visible()
    for hidden in (
        "header.site-header",
        "footer.site-footer",
        "[data-testid=adjust-form]",
        "[data-testid=record-form]",
    ):
        assert page.locator(hidden).is_hidden(), hidden
    assert page.get_by_role("heading", name="Brief").is_hidden()
    assert page.get_by_test_id("addressee-form").is_hidden() and page.get_by_test_id("signer").is_hidden()
    page.emulate_media(media="screen")
    assert page.locator("header.site-header").is_visible()

    page.get_by_role("button", name="Verstuurd of afgedrukt: vastleggen als contactpoging").click()
    assert page.get_by_text("Vastgelegd als contactpoging.").is_visible()
    note = ContactAttempt.objects.get().note
    assert note.startswith("Brief verstuurd aan M. Jansen:\n\n") and new in note
    assert "Wij willen graag een afspraak" not in note


@pytest.mark.parametrize("browser_language", BROWSER_LANGUAGES)
def test_the_sms_text_is_copied_with_one_button(page, partner, municipality, make_user, browser_language):
    worker = make_user("caseworker", username="medewerker", first_name="Anna", last_name="Bakker", phone="06 12345678")
    case = _assigned_case(municipality, partner, worker)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    log_in(page, "medewerker")
    page.goto(reverse("case-message", args=[case.pk, "sms"]))  # one addressee: the text at once
    assert page.get_by_role("button", name="Afdrukken").count() == 0  # a text is copied, not printed
    assert page.get_by_test_id("copy-status").inner_text() == ""
    page.get_by_role("button", name="Kopiëren").click()
    expect(page.get_by_test_id("copy-status")).to_have_text("Gekopieerd")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Beste J. de Vries, dit is Anna Bakker van de gemeente Voorbeeldstad.")
    assert "terugbellen op 06 12345678" in copied and copied == page.get_by_test_id("message").inner_text()
    assert_accessible(page)
