"""API keys: stored as a hash only, expiring, revocable, rotatable."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiKey
from api.services import ApiKeyRefused, api_key_authenticate, api_key_create, api_key_revoke, api_key_rotate

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_key_is_stored(partner, partner_user):
    new = api_key_create(partner=partner, name="incasso", created_by=partner_user)
    stored = ApiKey.objects.get()
    assert len(new.plain) >= 40
    assert stored.prefix == new.plain[:8]
    assert stored.key_hash == hashlib.sha256(new.plain.encode()).hexdigest()
    assert new.plain not in str(ApiKey.objects.values().get())
    assert api_key_authenticate(new.plain) == stored
    assert ApiKey.objects.get().last_used_at is not None


def test_a_key_expires_by_default_after_the_longest_period(partner, partner_user, settings):
    settings.VROEG_API_KEY_MAX_DAYS = 30
    new = api_key_create(partner=partner, name="incasso", created_by=partner_user)
    assert timedelta(days=29) < new.api_key.expires_at - timezone.now() <= timedelta(days=30)
    ApiKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ApiKeyRefused, match="verlopen"):
        api_key_authenticate(new.plain)


@pytest.mark.parametrize(("days", "words"), [(-1, "in de toekomst"), (40, "hoogstens 30 dagen")])
def test_an_expiry_outside_the_limits_is_refused(partner, partner_user, settings, days, words):
    settings.VROEG_API_KEY_MAX_DAYS = 30
    with pytest.raises(ApiKeyRefused, match=words):
        api_key_create(
            partner=partner, name="x", created_by=partner_user, expires_at=timezone.now() + timedelta(days=days)
        )
    assert not ApiKey.objects.exists()


def test_a_revoked_key_no_longer_works(partner, partner_user):
    new = api_key_create(partner=partner, name="incasso", created_by=partner_user)
    api_key_revoke(key_id=new.api_key.pk, partner=partner)
    with pytest.raises(ApiKeyRefused, match="ingetrokken"):
        api_key_authenticate(new.plain)


def test_rotating_gives_a_new_key_and_revokes_the_old(partner, partner_user):
    old = api_key_create(partner=partner, name="incasso", created_by=partner_user)
    new = api_key_rotate(key_id=old.api_key.pk, partner=partner, created_by=partner_user)
    assert new.plain != old.plain
    assert new.api_key.name == "incasso"
    assert api_key_authenticate(new.plain) == new.api_key
    with pytest.raises(ApiKeyRefused, match="ingetrokken"):
        api_key_authenticate(old.plain)
    with pytest.raises(ApiKeyRefused, match="ingetrokken"):
        api_key_rotate(key_id=old.api_key.pk, partner=partner, created_by=partner_user)


def test_another_partners_key_cannot_be_revoked_or_rotated(partner, partner_user, make_user):
    from testkit.factories import PartnerFactory

    other = PartnerFactory(code="andere")
    new = api_key_create(partner=partner, name="incasso", created_by=partner_user)
    with pytest.raises(ApiKey.DoesNotExist):
        api_key_revoke(key_id=new.api_key.pk, partner=other)
    with pytest.raises(ApiKey.DoesNotExist):
        api_key_rotate(key_id=new.api_key.pk, partner=other, created_by=partner_user)
    assert api_key_authenticate(new.plain) == new.api_key


def test_a_name_too_long_is_refused_not_cut(partner, partner_user):
    with pytest.raises(ApiKeyRefused, match="101 tekens"):
        api_key_create(partner=partner, name="x" * 101, created_by=partner_user)
    assert api_key_create(partner=partner, name="x" * 100, created_by=partner_user).api_key.name == "x" * 100
