"""The partner portal's API-key page: a partner's own users create a key (shown once),
revoke and replace it; nobody else reaches the page or another partner's keys."""

import pytest
from django.urls import reverse

from api.models import ApiKey
from api.services import api_key_create
from testkit.factories import PartnerFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_create_shows_the_key_once_and_lists_it(client, partner_user):
    client.force_login(partner_user)
    response = client.post(reverse("api-keys"), {"name": "Incasso productie", "expires_on": "2027-06-30"})
    assert response.status_code == 200
    api_key = ApiKey.objects.get()
    plain = response.context["new_key"].plain
    html = response.content.decode()
    assert plain in html and api_key.prefix in html and "Incasso productie" in html
    assert "alleen deze ene keer" in html
    assert response["Cache-Control"] == "no-store"
    assert api_key.expires_at.date().isoformat() == "2027-06-30"
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="api.apikey").exists()
    # Never again: the list shows the prefix only.
    again = client.get(reverse("api-keys")).content.decode()
    assert plain not in again and api_key.prefix in again


@pytest.mark.parametrize(
    ("expires_on", "words"), [("2020-01-01", "in de toekomst"), ("2099-01-01", "hoogstens 365 dagen"), ("", "")]
)
def test_an_expiry_outside_the_limits_is_refused(client, partner_user, expires_on, words):
    client.force_login(partner_user)
    response = client.post(reverse("api-keys"), {"name": "x", "expires_on": expires_on})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()
    assert words in response.content.decode()
    assert response.context["form"].errors["expires_on"]


def test_revoke_and_replace(client, partner, partner_user):
    first = api_key_create(partner=partner, name="oud", created_by=partner_user)
    client.force_login(partner_user)
    response = client.post(reverse("api-key-rotate", args=[first.api_key.pk]))
    new_plain = response.context["new_key"].plain
    assert new_plain in response.content.decode()
    assert ApiKey.objects.get(pk=first.api_key.pk).revoked_at is not None
    new = ApiKey.objects.get(prefix=new_plain[:8])
    assert new.name == "oud"

    response = client.post(reverse("api-key-revoke", args=[new.pk]), follow=True)
    assert "ingetrokken" in response.content.decode()
    assert ApiKey.objects.get(pk=new.pk).revoked_at is not None


def test_another_partners_keys_are_out_of_reach(client, partner_user):
    other = PartnerFactory(code="andere")
    theirs = api_key_create(partner=other, name="van een ander", created_by=partner_user)
    client.force_login(partner_user)
    assert "van een ander" not in client.get(reverse("api-keys")).content.decode()
    assert client.post(reverse("api-key-revoke", args=[theirs.api_key.pk])).status_code == 404
    assert client.post(reverse("api-key-rotate", args=[theirs.api_key.pk])).status_code == 404
    assert ApiKey.objects.get().revoked_at is None


def test_the_deliveries_page_links_to_the_keys(client, partner_user):
    client.force_login(partner_user)
    assert reverse("api-keys") in client.get(reverse("partner-dashboard")).content.decode()
