"""A caseworker registers an internal referral in a real browser; axe-core checks the
form (WCAG 2.1 AA), with its errors shown next to the fields."""

import pytest

from testkit.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_an_internal_referral(page, caseworker, municipality):
    log_in(page, "cw")
    page.get_by_role("link", name="Verwijzing registreren").click()
    assert page.locator(":focus").get_attribute("name") == "postcode"  # address first, cursor ready
    assert_accessible(page)
    page.get_by_label("Postcode").fill("1234 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Straat").fill("Dorpsstraat")
    page.get_by_label("Woonplaats").fill("Voorbeeldstad")
    page.get_by_label("Achternaam").fill("Vries")
    page.get_by_label("BSN").fill("123456789")  # fails the eleven test
    page.get_by_label("Achterstand (schatting, in euro's)").fill("450")
    page.get_by_label("Achterstand sinds").fill("2026-09-01")
    page.get_by_label("Verwezen door (afdeling of organisatie)").fill("Participatiewet")
    page.get_by_role("button", name="Verwijzing registreren").click()
    assert "elfproef" in page.locator("#id_bsn_error").inner_text()
    assert_accessible(page)
    page.get_by_label("BSN").fill("999999990")
    page.get_by_role("button", name="Verwijzing registreren").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Dorpsstraat 12")
    assert "Participatiewet" in page.get_by_test_id("referral").inner_text()
