"""A key works only for its own partner, and only while it is valid: every endpoint,
over real HTTP. Another partner's delivery is 404 (its existence is not told); no key,
an unknown, revoked or expired key is 401."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiKey
from api.services import api_key_revoke
from signals.models import Delivery
from testkit.signal_files import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def delivery_id(api, key):
    return api.call("post", "/api/v1/leveringen/", key=key, json={"regels": [row()]}).json()["id"]


def _endpoints(delivery_id: str) -> list[tuple[str, str, dict]]:
    return [
        ("post", "/api/v1/leveringen/", {"files": {"bestand": ("x.csv", csv_bytes([row(partner_referentie="N")]))}}),
        ("post", "/api/v1/leveringen/", {"json": {"regels": [row(partner_referentie="N")]}}),
        ("get", f"/api/v1/leveringen/{delivery_id}/", {}),
        ("get", "/api/v1/terugkoppeling/", {"params": {"sinds": "2026-01-01T00:00:00"}}),
        ("get", "/api/v1/schema/", {}),
    ]


@pytest.mark.parametrize("kind", ["none", "unknown", "revoked", "expired", "malformed"])
def test_every_endpoint_refuses_a_missing_or_invalid_key(api, key, partner, partner_user, delivery_id, kind):
    if kind == "revoked":
        api_key_revoke(key_id=ApiKey.objects.get(prefix=key[:8]).pk, partner=partner)
    if kind == "expired":
        ApiKey.objects.filter(prefix=key[:8]).update(expires_at=timezone.now() - timedelta(seconds=1))
    used = {"none": None, "unknown": key[:8] + "x" * 35, "malformed": "a b"}.get(kind, key)
    for method, path, kwargs in _endpoints(delivery_id):
        headers = {"Authorization": "Bearer a b"} if kind == "malformed" else {}
        key_used = None if kind == "malformed" else used
        response = api.call(method, path, key=key_used, headers=headers, **kwargs)
        assert response.status_code == 401, (kind, method, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        expected = {
            "none": "Geen API-sleutel",
            "unknown": "Onbekende API-sleutel",
            "malformed": "Onbekende API-sleutel",
            "revoked": "ingetrokken",
            "expired": "verlopen",
        }[kind]
        assert expected in response.json()["detail"], (kind, path)
    assert Delivery.objects.count() == 1  # nothing more was delivered


def test_another_partners_key_never_reaches_this_partners_data(
    api, key, other_key, partner, other_partner, delivery_id
):
    # The report of this partner's delivery: 404, as if it did not exist.
    refused = api.call("get", f"/api/v1/leveringen/{delivery_id}/", key=other_key)
    assert refused.status_code == 404
    assert refused.json() == api.call("get", "/api/v1/leveringen/00000000-0000-0000-0000-000000000000/", key=key).json()
    # Delivering the same bytes with the other key is the other partner's own delivery, not this one.
    rows = {"regels": [row()]}
    theirs = api.call("post", "/api/v1/leveringen/", key=other_key, json=rows)
    assert theirs.status_code == 201 and theirs.json()["id"] != delivery_id
    assert Delivery.objects.get(public_id=theirs.json()["id"]).partner == other_partner
    assert Delivery.objects.get(public_id=delivery_id).partner == partner
    # And this partner cannot read that one either.
    assert api.call("get", f"/api/v1/leveringen/{theirs.json()['id']}/", key=key).status_code == 404


def test_a_login_session_is_no_key(api, client, partner_user, delivery_id):
    """The API does not take the portal's session (so no CSRF either)."""
    client.force_login(partner_user)
    assert client.get(f"/api/v1/leveringen/{delivery_id}/").status_code == 401
