"""Login hardening in a real browser: setting up two-step login, and the lockout
after repeated failures; axe-core checks both pages (WCAG 2.1 AA)."""

import base64

import pytest
from django_otp.oath import totp

from testkit.browser import assert_accessible
from testkit.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password(page, username, password=PASSWORD):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_caseworker_sets_up_two_step_login_and_reaches_the_queue(page, caseworker, settings):
    settings.VROEG_REQUIRE_2FA = True
    _password(page, "cw")
    assert page.get_by_role("heading", level=1).inner_text() == "Inloggen in twee stappen instellen"
    assert page.get_by_test_id("qr").locator("svg").is_visible()
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code uit uw authenticator-app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Bevestigen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn werk"


def test_five_wrong_passwords_lock_the_account(page, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _password(page, "cw", "verkeerd")
    assert page.get_by_role("heading", level=1).inner_text() == "Account tijdelijk geblokkeerd"
    assert_accessible(page)
    _password(page, "cw")
    assert page.get_by_role("heading", level=1).inner_text() == "Account tijdelijk geblokkeerd"
