"""Optional single sign-on (OpenID Connect): off by default; when configured, the
login page offers it, the start URL sends the browser to the identity provider, and
only existing active accounts can sign in."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from testkit.workers import database_url_of_test_db
from vroeg.accounts.oidc import VroegOIDCBackend

BASE_DIR = Path(__file__).resolve().parents[3]
OIDC_ENV = {
    "OIDC_ENABLED": "true",
    "OIDC_RP_CLIENT_ID": "vroeg-test",
    "OIDC_RP_CLIENT_SECRET": "geheim",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.voorbeeldstad.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.voorbeeldstad.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.voorbeeldstad.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.voorbeeldstad.example/jwks",
}
PROBE = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
c = Client()
login = c.get("/inloggen/").content.decode()
start = c.get("/sso/start/")
print(json.dumps({"button": 'data-testid="sso"' in login, "status": start.status_code, "location": start["Location"]}))
"""


@pytest.mark.django_db
def test_off_by_default():
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")


@pytest.mark.django_db(transaction=True)
def test_when_configured_the_login_page_sends_to_the_identity_provider():
    import os

    env = {
        **os.environ,
        **OIDC_ENV,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["button"] is True and probe["status"] == 302
    assert probe["location"].startswith(OIDC_ENV["OIDC_OP_AUTHORIZATION_ENDPOINT"] + "?")
    assert "client_id=vroeg-test" in probe["location"] and "code_challenge=" in probe["location"]


@pytest.fixture
def backend(settings):
    for key, value in OIDC_ENV.items():
        if key != "OIDC_ENABLED":
            setattr(settings, key, value)
    settings.OIDC_USERNAME_CLAIM = "preferred_username"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    return VroegOIDCBackend()


@pytest.mark.django_db
def test_only_existing_active_accounts_match(backend, caseworker, make_user):
    assert list(backend.filter_users_by_claims({"preferred_username": "CW"})) == [caseworker]
    make_user("caseworker", username="weg", is_active=False)
    make_user("caseworker", username="demo", is_demo=True)
    for name in ("weg", "demo", "onbekend"):
        assert not backend.filter_users_by_claims({"preferred_username": name}).exists()
    assert not backend.verify_claims({"email": "cw@voorbeeldstad.example"})
    assert backend.create_user({"preferred_username": "nieuw"}) is None


@pytest.mark.django_db
def test_a_provider_that_did_mfa_replaces_vroegs_own_code(client, caseworker, settings):
    settings.VROEG_REQUIRE_2FA = True
    client.force_login(caseworker)
    assert client.get("/werk/").status_code == 302  # would ask for Vroeg's own code
    session = client.session
    session["vroeg_sso_second_factor"] = True
    session.save()
    assert client.get("/werk/").status_code == 200
