"""The API-key page in a real browser: create a key, see it once, replace and revoke
it, with axe-core finding no violation of any rule."""

import pytest

from api.models import ApiKey
from testkit.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_creates_replaces_and_revokes_a_key(page, partner_user):
    log_in(page, "pu")
    page.get_by_role("link", name="API-sleutels: aanleveren vanuit uw eigen software").click()
    assert_accessible(page)  # the empty page
    page.get_by_label("Naam").fill("Incasso productie")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    plain = page.get_by_label("API-sleutel", exact=True).input_value()
    assert ApiKey.objects.get().prefix == plain[:8]
    assert "alleen deze ene keer" in page.content()
    assert_accessible(page)  # the key shown once, and the table

    page.get_by_role("button", name="Vervangen Incasso productie").click()
    replaced = page.get_by_label("API-sleutel", exact=True).input_value()
    assert replaced != plain
    assert page.get_by_test_id("api-keys").get_by_text("ingetrokken").count() == 1

    page.get_by_role("button", name="Intrekken Incasso productie").click()
    assert "De sleutel Incasso productie is ingetrokken" in page.content()
    assert page.get_by_test_id("api-keys").get_by_text("ingetrokken").count() == 2
    assert_accessible(page)
