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
    """Requests push the expiry on (sliding, vroeg/sessions.py); 30 idle minutes end the session."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "vroeg.sessions.IdleTimeoutSessionMiddleware" in settings.MIDDLEWARE
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(caseworker)
    assert client.get(reverse("caseworker-dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 minutes later
    response = client.get(reverse("caseworker-dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def _session_writes(client, url) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, [q["sql"] for q in ctx if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]


def _age_last_save(seconds: int) -> None:
    """As if the session was last saved `seconds` ago: its expiry moves back as much."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=30) - timedelta(seconds=seconds))


def test_an_unchanged_session_is_saved_at_most_once_a_minute(client, caseworker, settings):
    """The idle timeout without an UPDATE of the session on every page: a page within a
    minute of the last save writes nothing; the first page after it pushes the expiry on."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_ENGINE == "vroeg.sessions" and not settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(caseworker)
    url = reverse("caseworker-dashboard")
    expiry = Session.objects.get().expire_date
    assert _session_writes(client, url) == (200, [])
    assert _session_writes(client, url) == (200, [])
    assert Session.objects.get().expire_date == expiry

    _age_last_save(50)
    assert _session_writes(client, url) == (200, [])
    _age_last_save(65)
    status, writes = _session_writes(client, url)
    assert status == 200 and writes
    pushed = Session.objects.get().expire_date
    assert abs(pushed - (timezone.now() + timedelta(minutes=30))) < timedelta(seconds=5)
    assert _session_writes(client, url) == (200, []) and Session.objects.get().expire_date == pushed


def test_a_session_ends_no_later_than_the_idle_timeout_after_the_last_request(client, caseworker):
    """A page that was not saved (within the minute) still counts: the session ends 30
    minutes after the save before it, so at most a minute early and never late."""
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(caseworker)
    url = reverse("caseworker-dashboard")
    _age_last_save(50)
    assert client.get(url).status_code == 200  # not saved: the expiry stays 30 minutes after that save
    expiry = Session.objects.get().expire_date
    assert timedelta(minutes=29) < expiry - timezone.now() <= timedelta(minutes=30) - timedelta(seconds=50)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # that moment passes
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_changed_session_is_saved_at_once(client, caseworker):
    """What a page stores in the session (a posted search, vroeg/searches.py) is saved at
    once, within the minute too; so is logging out."""
    from django.contrib.sessions.models import Session

    client.force_login(caseworker)
    url = reverse("caseworker-dashboard")
    assert _session_writes(client, url) == (200, [])
    response = client.post(url, {"q": "Jansen"})
    assert response.status_code == 302
    assert "Jansen" in client.get(response.url).content.decode()  # read back from the saved session
    client.post(reverse("logout"))
    assert not Session.objects.exists()
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_anonymous_pages_make_no_session(client):
    from django.contrib.sessions.models import Session

    assert client.get(reverse("login")).status_code == 200 and client.get("/healthz").status_code == 200
    assert not Session.objects.exists()
