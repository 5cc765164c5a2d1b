import pytest
from django.urls import reverse

from testkit.factories import PASSWORD
from vroeg.audit.models import AuditAction, AuditEntry


@pytest.mark.django_db
def test_login_page_speaks_dutch_by_default(client):
    page = client.get(reverse("login")).content.decode()
    assert '<h1 id="login-title">Inloggen</h1>' in page
    assert "Naar de inhoud" in page  # skip link
    assert 'lang="nl"' in page


@pytest.mark.django_db
def test_english_stays_available_when_the_installation_chooses_it(client, settings):
    """Not by the browser's wish (Vroeg is Dutch whatever it asks), but by a setting."""
    settings.LANGUAGE_CODE = "en"
    page = client.get(reverse("login"), headers={"accept-language": "nl"}).content.decode()
    assert '<h1 id="login-title">Log in</h1>' in page


@pytest.mark.django_db
def test_successful_login_is_audited_with_ip(client, caseworker):
    response = client.post(
        reverse("login"),
        {"username": "cw", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == caseworker
    assert entry.ip_address == "192.0.2.10"


@pytest.mark.django_db
def test_failed_login_is_audited_without_password_and_shows_dutch_error(client, caseworker):
    response = client.post(reverse("login"), {"username": "cw", "password": "wrong-guess"})
    assert response.status_code == 200
    assert "horen niet bij elkaar" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.detail == {"username": "cw"}
    assert "wrong-guess" not in str(entry.detail) + entry.reason


@pytest.mark.django_db
def test_logout_is_a_post_and_is_audited(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=caseworker).exists()
    assert client.get(reverse("caseworker-dashboard")).status_code == 302  # logged out


@pytest.mark.django_db
def test_demo_account_cannot_log_in_outside_demo_mode(client, settings, make_user):
    make_user("caseworker", username="medewerker", is_demo=True)
    settings.VROEG_DEMO = False
    response = client.post(reverse("login"), {"username": "medewerker", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with the error
    assert "_auth_user_id" not in client.session

    settings.VROEG_DEMO = True
    response = client.post(reverse("login"), {"username": "medewerker", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_login_redirect_refuses_other_hosts(client, caseworker):
    response = client.post(
        reverse("login"),
        {"username": "cw", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")
