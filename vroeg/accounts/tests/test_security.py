"""Hardened login and headers: lockout after repeated failures, CSP on every page."""

import pytest
from django.urls import reverse

from testkit.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, password, username="cw"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="192.0.2.7")


def test_five_failures_lock_the_username_even_for_the_right_password(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "fout").status_code == 200
    response = _login(client, "fout")  # the fifth failure locks
    assert response.status_code == 429
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "te vaak geprobeerd in te loggen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_another_username_from_the_same_office_can_still_log_in(client, caseworker, teamlead, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "fout")
    assert _login(client, PASSWORD, username="tl").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, caseworker, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "fout")
    assert _login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "fout").status_code == 200


def test_every_page_sends_a_strict_content_security_policy(client, caseworker):
    for response in (client.get(reverse("login")), client.get("/healthz")):
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    client.force_login(caseworker)
    assert "script-src 'self'" in client.get(reverse("caseworker-dashboard"))["Content-Security-Policy"]


def test_session_expires_after_inactivity(client, caseworker, settings):
    """Every request pushes the expiry on (sliding); 30 idle minutes end the session."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(caseworker)
    assert client.get(reverse("caseworker-dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 minutes later
    response = client.get(reverse("caseworker-dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
