"""The partner's OAuth2 clients on the API-key page: only while OAuth2 is on; the
client id and secret shown once, the secret replaced or the client revoked; nobody
reaches another partner's clients."""

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from api.models import OAuthClient
from api.services import oauth_client_create
from testkit.factories import PartnerFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

NEW = {"client-name": "Incasso productie", "client-expires_on": "2027-06-30"}


def test_with_oauth2_off_the_page_offers_no_clients(client, partner, partner_user):
    theirs = oauth_client_create(partner=partner, name="van vroeger", created_by=partner_user)
    client.force_login(partner_user)
    html = client.get(reverse("api-keys")).content.decode()
    assert "OAuth2" not in html and "van vroeger" not in html
    assert client.post(reverse("api-oauth-clients"), NEW).status_code == 404
    assert client.post(reverse("api-oauth-client-revoke", args=[theirs.client.pk])).status_code == 404
    assert client.post(reverse("api-oauth-client-rotate", args=[theirs.client.pk])).status_code == 404
    assert OAuthClient.objects.get().revoked_at is None


def test_create_shows_the_id_and_secret_once(client, partner_user, oauth_on):
    client.force_login(partner_user)
    response = client.post(reverse("api-oauth-clients"), NEW)
    assert response.status_code == 200
    made = OAuthClient.objects.get()
    secret = response.context["new_client"].secret
    html = response.content.decode()
    assert secret in html and made.client_id in html and "alleen deze ene keer" in html
    assert "/api/v1/oauth/token/" in html
    assert response["Cache-Control"] == "no-store"
    assert made.expires_at.date().isoformat() == "2027-06-30"
    assert (made.name, made.partner, made.created_by) == ("Incasso productie", partner_user.partner, partner_user)
    # Stored hashed, as a password is; the client may use client credentials only.
    assert secret not in made.application.client_secret
    assert check_password(secret, made.application.client_secret)
    assert made.application.authorization_grant_type == "client-credentials"
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="api.oauthclient").exists()
    # Never again: the list shows the client id only.
    again = client.get(reverse("api-keys")).content.decode()
    assert secret not in again and made.client_id in again and "Incasso productie" in again


@pytest.mark.parametrize(
    ("expires_on", "words"), [("2020-01-01", "in de toekomst"), ("2099-01-01", "hoogstens 365 dagen"), ("", "")]
)
def test_an_expiry_outside_the_limits_is_refused(client, partner_user, oauth_on, expires_on, words):
    client.force_login(partner_user)
    response = client.post(reverse("api-oauth-clients"), {**NEW, "client-expires_on": expires_on})
    assert response.status_code == 200
    assert not OAuthClient.objects.exists()
    assert words in response.content.decode()
    assert response.context["client_form"].errors["expires_on"]


def test_replace_the_secret_and_revoke(client, partner, partner_user, oauth_on):
    first = oauth_client_create(partner=partner, name="oud", created_by=partner_user)
    client.force_login(partner_user)
    response = client.post(reverse("api-oauth-client-rotate", args=[first.client.pk]))
    secret = response.context["new_client"].secret
    assert secret != first.secret and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    stored = OAuthClient.objects.get()
    assert stored.client_id == first.client.client_id and stored.secret_changed_at is not None
    assert check_password(secret, stored.application.client_secret)
    assert not check_password(first.secret, stored.application.client_secret)

    response = client.post(reverse("api-oauth-client-revoke", args=[first.client.pk]), follow=True)
    assert "ingetrokken" in response.content.decode()
    assert OAuthClient.objects.get().revoked_at is not None
    # A revoked client's secret cannot be replaced any more.
    response = client.post(reverse("api-oauth-client-rotate", args=[first.client.pk]), follow=True)
    assert "ingetrokken; maak een nieuwe client" in response.content.decode()
    changes = AuditEntry.objects.filter(action=AuditAction.CHANGE, object_type="api.oauthclient")
    assert [sorted(e.detail) for e in changes.order_by("pk")] == [
        ["oauth_client", "secret_replaced"],
        ["oauth_client", "revoked"],
    ]


def test_another_partners_clients_are_out_of_reach(client, partner_user, oauth_on):
    other = PartnerFactory(code="andere")
    theirs = oauth_client_create(partner=other, name="van een ander", created_by=partner_user)
    client.force_login(partner_user)
    assert "van een ander" not in client.get(reverse("api-keys")).content.decode()
    assert client.post(reverse("api-oauth-client-revoke", args=[theirs.client.pk])).status_code == 404
    assert client.post(reverse("api-oauth-client-rotate", args=[theirs.client.pk])).status_code == 404
    assert OAuthClient.objects.get().revoked_at is None


def test_only_a_partners_users_make_clients(client, caseworker, oauth_on):
    client.force_login(caseworker)
    assert client.post(reverse("api-oauth-clients"), NEW).status_code == 403
    assert not OAuthClient.objects.exists()
