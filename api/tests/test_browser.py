"""The API-key page in a real browser: create a key, see it once, replace and revoke
it, with axe-core finding no violation of any rule."""

import pytest

from api.models import ApiKey, OAuthClient
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


def test_partner_makes_an_oauth2_client_and_replaces_its_secret(page, partner_user, settings):
    settings.VROEG_API_OAUTH_ENABLED = True
    log_in(page, "pu")
    page.get_by_role("link", name="API-sleutels: aanleveren vanuit uw eigen software").click()
    clients = page.get_by_role("region", name="Nieuwe OAuth2-client")
    clients.get_by_label("Naam").fill("Incasso OAuth")
    clients.get_by_role("button", name="Client aanmaken").click()
    client_id = page.get_by_label("Client-ID", exact=True).input_value()
    secret = page.get_by_label("Clientgeheim", exact=True).input_value()
    assert OAuthClient.objects.get().client_id == client_id and len(secret) >= 40
    assert_accessible(page)  # the id and secret shown once, and both tables

    page.get_by_role("button", name="Geheim vervangen Incasso OAuth").click()
    assert page.get_by_label("Clientgeheim", exact=True).input_value() != secret
    assert page.get_by_label("Client-ID", exact=True).input_value() == client_id
    page.get_by_role("button", name="Intrekken Incasso OAuth").click()
    assert page.get_by_test_id("oauth-clients").get_by_text("ingetrokken").count() == 1
    assert_accessible(page)
