"""OAuth2 client credentials over real HTTP (live_server): a partner's client gets a
token and with it delivers, polls and reads feedback; a token never reaches another
partner's data; a revoked or expired client gets no token and its tokens stop; a
wrong secret is invalid_client; with OAuth2 off the token endpoint is 404. Every
answer is checked against the served OpenAPI document (conftest.Contract)."""

from datetime import timedelta

import pytest
import requests
from django.contrib.auth.hashers import identify_hasher
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from api.models import OAuthClient
from api.services import oauth_client_revoke, oauth_client_rotate_secret
from feedback.models import Feedback, FeedbackResult
from signals.models import Delivery
from signals.services import delivery_process
from testkit.factories import SignalFactory
from testkit.signal_files import csv_bytes, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERIES = "/api/v1/leveringen/"
FEEDBACK = "/api/v1/terugkoppeling/"
TOKEN = "/api/v1/oauth/token/"
SINCE = {"sinds": "2026-01-01T00:00:00"}


@pytest.fixture(autouse=True)
def _on(oauth_on):
    """OAuth2 on before the `api` fixture reads the document (autouse runs first)."""


def _process(delivery_id: str) -> None:
    delivery_process(delivery_id=Delivery.objects.get(public_id=delivery_id).pk)


def test_a_client_gets_a_token_and_delivers_polls_and_reads_feedback(api, oauth_client, partner_user):
    answer = api.token(oauth_client)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["token_type"], body["expires_in"], body["scope"]) == ("Bearer", 3600, "partner-api")
    assert answer.headers["Cache-Control"] == "no-store"
    token = body["access_token"]
    # Stored as a checksum only, never the token itself.
    stored = AccessToken.objects.get()
    assert token not in str(AccessToken.objects.values().get())
    assert stored.application == oauth_client.client.application

    sent = api.call("post", DELIVERIES, key=token, json={"regels": [row(partner_referentie="O-1")]})
    assert sent.status_code == 201
    delivery = Delivery.objects.get(public_id=sent.json()["id"])
    assert (delivery.partner, delivery.uploaded_by) == (oauth_client.client.partner, partner_user)
    _process(sent.json()["id"])
    report = api.call("get", f"{DELIVERIES}{sent.json()['id']}/", key=token).json()
    assert (report["status"], report["geaccepteerd"]) == ("done", 1)
    assert api.call("get", FEEDBACK, key=token, params=SINCE).json()["terugkoppeling"] == []

    client_id = oauth_client.client.client_id
    entries = AuditEntry.objects.filter(detail__oauth_client=client_id).order_by("pk")
    assert [e.action for e in entries] == [
        AuditAction.LOGIN,  # the token
        AuditAction.CREATE,
        AuditAction.VIEW,
        AuditAction.DOWNLOAD,
    ]
    assert {e.actor for e in entries} == {partner_user}
    everything = str(list(AuditEntry.objects.values()))
    assert oauth_client.secret not in everything and token not in everything
    assert OAuthClient.objects.get().last_used_at is not None


def test_the_client_may_send_its_credentials_in_the_form(api, oauth_client):
    data = {
        "grant_type": "client_credentials",
        "client_id": oauth_client.client.client_id,
        "client_secret": oauth_client.secret,
        "scope": "partner-api",
    }
    answer = api.call("post", TOKEN, data=data)
    assert answer.status_code == 200
    assert api.call("get", FEEDBACK, key=answer.json()["access_token"], params=SINCE).status_code == 200


@pytest.mark.parametrize("kind", ["wrong secret", "unknown client", "no credentials"])
def test_a_wrong_secret_or_client_is_invalid_client(api, oauth_client, kind):
    if kind == "no credentials":
        answer = api.call("post", TOKEN, data={"grant_type": "client_credentials"})
    else:
        client_id = oauth_client.client.client_id if kind == "wrong secret" else "niet-bestaand"
        answer = api.call(
            "post", TOKEN, auth=(client_id, oauth_client.secret + "x"), data={"grant_type": "client_credentials"}
        )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert "onjuist geheim" in answer.json()["error_description"]
    assert not AccessToken.objects.exists()
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.object_type == "api.oauth"
    assert oauth_client.secret not in str(failed.detail)


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        ({"grant_type": "password", "username": "pu", "password": "x"}, "unsupported_grant_type", "client_credentials"),
        ({"grant_type": "authorization_code", "code": "x"}, "unsupported_grant_type", "client_credentials"),
        ({"grant_type": "client_credentials", "scope": "admin"}, "invalid_scope", "partner-api"),
    ],
)
def test_only_the_client_credentials_grant_with_its_scope(api, oauth_client, data, error, words):
    answer = api.call("post", TOKEN, auth=(oauth_client.client.client_id, oauth_client.secret), data=data)
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == error
    assert words in answer.json()["error_description"]
    assert not AccessToken.objects.exists()


def test_a_token_of_one_partner_never_reaches_another_partners_data(
    api, key, oauth_client, other_oauth_client, partner, other_partner
):
    ours = api.call("post", DELIVERIES, key=key, json={"regels": [row()]}).json()["id"]
    theirs_token = api.access_token(other_oauth_client)
    # This partner's delivery: 404 to the other partner's token, as if it did not exist.
    refused = api.call("get", f"{DELIVERIES}{ours}/", key=theirs_token)
    assert refused.status_code == 404
    # What they deliver is theirs, also when the bytes are the same as ours.
    theirs = api.call("post", DELIVERIES, key=theirs_token, json={"regels": [row()]})
    assert theirs.status_code == 201 and theirs.json()["id"] != ours
    assert Delivery.objects.get(public_id=theirs.json()["id"]).partner == other_partner
    sent = api.call(
        "post", DELIVERIES, key=theirs_token, files={"bestand": ("x.csv", csv_bytes([row(partner_referentie="F")]))}
    )
    assert Delivery.objects.get(public_id=sent.json()["id"]).partner == other_partner
    # Feedback: only their own.
    signal = SignalFactory(partner=partner)
    Feedback.objects.create(
        signal=signal, partner=partner, result=FeedbackResult.REPEATED, given_at=timezone.now() - timedelta(hours=1)
    )
    assert (
        len(api.call("get", FEEDBACK, key=api.access_token(oauth_client), params=SINCE).json()["terugkoppeling"]) == 1
    )
    assert api.call("get", FEEDBACK, key=theirs_token, params=SINCE).json()["terugkoppeling"] == []
    # The document needs a token too, and tells nothing of a partner.
    assert api.call("get", "/api/v1/schema/", key=theirs_token).status_code == 200


def _every_endpoint(delivery_id: str) -> list[tuple[str, str, dict]]:
    return [
        ("post", DELIVERIES, {"json": {"regels": [row(partner_referentie="N")]}}),
        ("get", f"{DELIVERIES}{delivery_id}/", {}),
        ("get", FEEDBACK, {"params": SINCE}),
        ("get", "/api/v1/schema/", {}),
    ]


@pytest.mark.parametrize(("kind", "words"), [("revoked", "ingetrokken"), ("expired", "verlopen")])
def test_a_revoked_or_expired_client_gets_no_token_and_its_token_stops(api, key, oauth_client, partner, kind, words):
    delivery_id = api.call("post", DELIVERIES, key=key, json={"regels": [row()]}).json()["id"]
    token = api.access_token(oauth_client)
    assert api.call("get", f"{DELIVERIES}{delivery_id}/", key=token).status_code == 200
    if kind == "revoked":
        oauth_client_revoke(client_pk=oauth_client.client.pk, partner=partner)
    else:
        OAuthClient.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = api.token(oauth_client)
    assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")
    assert words in answer.json()["error_description"]
    for method, path, kwargs in _every_endpoint(delivery_id):
        response = api.call(method, path, key=token, **kwargs)
        assert response.status_code == 401, (kind, method, path)
        assert words in response.json()["detail"], (kind, path)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert Delivery.objects.count() == 1  # nothing more was delivered
    assert AuditEntry.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_type="api.oauth", object_id=oauth_client.client.client_id
    ).exists()


def test_an_expired_token_is_refused_and_a_new_one_works(api, oauth_client):
    token = api.access_token(oauth_client)
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = api.call("get", FEEDBACK, key=token, params=SINCE)
    assert response.status_code == 401
    assert "toegangstoken is verlopen" in response.json()["detail"]
    assert api.call("get", FEEDBACK, key=api.access_token(oauth_client), params=SINCE).status_code == 200


def test_tokens_long_expired_are_removed_when_a_new_one_is_issued(api, oauth_client):
    api.access_token(oauth_client)
    AccessToken.objects.update(expires=timezone.now() - timedelta(days=2))
    api.access_token(oauth_client)
    assert AccessToken.objects.count() == 1  # only the new one


def test_a_new_secret_stops_the_old_secret_and_its_tokens(api, oauth_client, partner):
    old_token = api.access_token(oauth_client)
    new = oauth_client_rotate_secret(client_pk=oauth_client.client.pk, partner=partner)
    assert new.client.client_id == oauth_client.client.client_id and new.secret != oauth_client.secret
    assert api.token(oauth_client).status_code == 401  # the old secret
    assert api.call("get", FEEDBACK, key=old_token, params=SINCE).status_code == 401
    assert api.call("get", FEEDBACK, key=api.access_token(new), params=SINCE).status_code == 200
    # The secret is stored hashed, as a password is.
    stored = Application.objects.get().client_secret
    assert identify_hasher(stored) and new.secret not in stored


def test_a_token_only_counts_in_the_authorization_header(api, oauth_client):
    token = api.access_token(oauth_client)
    response = api.call("get", FEEDBACK, params={**SINCE, "access_token": token})
    assert response.status_code == 401


def test_token_requests_are_rate_limited_per_client(api, oauth_client, other_oauth_client, settings):
    settings.VROEG_API_RATE = "2/minute"
    for _ in range(2):
        assert api.token(oauth_client).status_code == 200
    refused = api.token(oauth_client)
    assert refused.status_code == 429
    assert "Te veel verzoeken" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) > 0
    assert api.token(other_oauth_client).status_code == 200


def test_the_document_describes_the_key_and_oauth2(api, live_server):
    document = api.contract.document
    schemes = document["components"]["securitySchemes"]
    assert schemes["apiKey"]["scheme"] == "bearer"
    flow = schemes["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == live_server.url + TOKEN
    assert set(flow["scopes"]) == {"partner-api"}
    assert document["paths"]["/api/v1/terugkoppeling/"]["get"]["security"] == [
        {"oauth2": ["partner-api"]},
        {"apiKey": []},
    ]
    token = document["paths"][TOKEN]["post"]
    assert set(token["requestBody"]["content"]) == {"application/x-www-form-urlencoded"}
    assert {"200", "400", "401", "404"} <= set(token["responses"])


def test_with_oauth2_off_there_is_no_token_endpoint_and_tokens_stop(api, live_server, key, oauth_client, settings):
    token = api.access_token(oauth_client)
    settings.VROEG_API_OAUTH_ENABLED = False
    answer = requests.post(
        live_server.url + TOKEN,
        auth=(oauth_client.client.client_id, oauth_client.secret),
        data={"grant_type": "client_credentials"},
        timeout=30,
    )
    assert answer.status_code == 404
    assert "OAuth2 staat bij deze gemeente niet aan" in answer.json()["detail"]
    assert api.call("get", FEEDBACK, key=token, params=SINCE).status_code == 401
    # The document served now says nothing of OAuth2.
    document = requests.get(live_server.url + "/api/v1/schema/", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert "oauth2" not in document.json()["components"]["securitySchemes"]
    assert TOKEN not in document.json()["paths"]
    assert document.json()["paths"][FEEDBACK]["get"]["security"] == [{"apiKey": []}]
