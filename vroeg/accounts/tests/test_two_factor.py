"""Two-factor login: set up an authenticator app the first time, enter its code every
login after; nothing else is reachable before that."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from testkit.factories import PASSWORD
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    settings.VROEG_REQUIRE_2FA = True


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _log_in(client, username="cw"):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, "next": "/werk/"})


def test_first_login_sets_up_the_app_then_the_work_opens(client, caseworker):
    response = _log_in(client)
    response = client.get(response.url)  # /werk/
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor-setup"))
    page = client.get(response.url).content.decode()
    assert 'data-testid="qr"' in page and "<svg" in page
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    wrong = client.post(reverse("two-factor-setup"), {"token": "000000", "next": "/werk/"})
    assert "Deze code klopt niet" in wrong.content.decode()
    time.sleep(1.1)  # a wrong code makes the device wait (throttling, see below)
    done = client.post(reverse("two-factor-setup"), {"token": _code(device), "next": "/werk/"})
    assert done.status_code == 302 and done.url == "/werk/"
    assert client.get("/werk/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, detail__second_factor="set up").exists()


def test_every_later_login_asks_for_the_code(client, caseworker):
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    response = client.get(_log_in(client).url)
    assert response.url.startswith(reverse("two-factor"))
    for blocked in ("/werk/", "/zaken/1/", "/meldingen/", "/team/rapportages/"):
        assert client.get(blocked).url.startswith(reverse("two-factor"))
    response = client.post(reverse("two-factor"), {"token": _code(device), "next": "/werk/"})
    assert response.url == "/werk/" and client.get("/werk/").status_code == 200


def test_the_admin_is_behind_the_second_factor_too(client, functional_admin):
    client.post(reverse("login"), {"username": "fb", "password": PASSWORD})
    assert client.get("/beheer/").url.startswith(reverse("two-factor-setup"))


def test_partners_are_not_forced(client, partner_user):
    client.post(reverse("login"), {"username": "pu", "password": PASSWORD})
    assert client.get(reverse("partner-dashboard")).status_code == 200


def test_demo_accounts_skip_it_only_in_debug(client, settings, make_user):
    settings.VROEG_DEMO = True
    make_user("caseworker", username="demo-cw", is_demo=True)
    settings.DEBUG = True
    client.post(reverse("login"), {"username": "demo-cw", "password": PASSWORD})
    assert client.get("/werk/").status_code == 200
    settings.DEBUG = False
    assert client.get("/werk/").url.startswith(reverse("two-factor-setup"))


def test_off_switch(client, caseworker, settings):
    settings.VROEG_REQUIRE_2FA = False
    _log_in(client)
    assert client.get("/werk/").status_code == 200


def test_guessing_is_throttled_even_the_right_code_waits(client, caseworker):
    device = TOTPDevice.objects.create(user=caseworker, name="app", confirmed=True)
    _log_in(client)
    for _ in range(3):
        client.post(reverse("two-factor"), {"token": "123456"})
    response = client.post(reverse("two-factor"), {"token": _code(device), "next": "/werk/"})
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()
    assert client.get("/werk/").url.startswith(reverse("two-factor"))


def test_machine_endpoints_answer_by_their_own_authentication_not_the_second_factor(client, teamlead, settings):
    """A logged-in user who has not entered a code yet calls the DDAS API or the partner
    API without a token: the answer is the API's own 401, not a redirect to a code page
    (a machine cannot follow it, and the endpoint never uses the session anyway)."""
    settings.DDAS_API_ENABLED = True
    client.post(reverse("login"), {"username": "tl", "password": PASSWORD})
    assert client.get("/werk/").url.startswith(reverse("two-factor-setup"))  # pages still ask for the code
    ddas = client.post("/ddas/v1/gegevens", data="{}", content_type="application/json")
    assert ddas.status_code == 401 and ddas.headers["Fsc-Error-Code"] == "ERROR_CODE_ACCESS_TOKEN_MISSING"
    assert client.get("/api/v1/leveringen/1c9d7f4e-0000-4000-8000-000000000000/").status_code == 401
