"""The partner API over real HTTP (live_server): deliver a file and JSON rows, poll
the report, read the feedback; every answer is checked against the served OpenAPI
document (conftest.Contract)."""

import pytest
from django.utils import timezone

from signals.models import Delivery
from signals.services import delivery_process
from testkit.signal_files import csv_bytes, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERIES = "/api/v1/leveringen/"
FEEDBACK = "/api/v1/terugkoppeling/"


def _process(delivery_id: str) -> None:
    """What the intake worker does after the call (the test runs no worker)."""
    delivery_process(delivery_id=Delivery.objects.get(public_id=delivery_id).pk)


def test_deliver_a_file_poll_its_report_and_the_same_file_again(api, key, partner):
    data = csv_bytes([row(partner_referentie="A-1"), row(partner_referentie="A-2", postcode="12")])
    sent = api.call("post", DELIVERIES, key=key, files={"bestand": ("maart.csv", data, "text/csv")})
    assert sent.status_code == 201
    body = sent.json()
    assert (body["status"], body["bestandsnaam"], body["afgewezen_regels"]) == ("received", "maart.csv", [])

    _process(body["id"])
    report = api.call("get", f"{DELIVERIES}{body['id']}/", key=key).json()
    assert report["status"] == "done"
    assert (report["geaccepteerd"], report["herhaald"], report["afgewezen"]) == (1, 0, 1)
    [line] = report["afgewezen_regels"]
    assert (line["regel"], line["partner_referentie"]) == (3, "A-2")
    assert any("postcode" in reason for reason in line["redenen"])
    delivery = Delivery.objects.get(public_id=body["id"])
    # The same numbers as the partner's delivery page, which reads the delivery's counts.
    assert (delivery.partner, delivery.accepted_count, delivery.rejected_count) == (partner, 1, 1)

    again = api.call("post", DELIVERIES, key=key, files={"bestand": ("maart-kopie.csv", data, "text/csv")})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["geaccepteerd"] == 1


def test_deliver_json_rows_goes_through_the_same_intake(api, key, partner_user):
    rows = [
        {**row(partner_referentie="J-1"), "huisnummer": 12, "crisissignaal": False},
        row(partner_referentie="J-2", bedrag_achterstand="veel"),
    ]
    sent = api.call("post", DELIVERIES, key=key, json={"regels": rows})
    assert sent.status_code == 201
    _process(sent.json()["id"])
    report = api.call("get", f"{DELIVERIES}{sent.json()['id']}/", key=key).json()
    assert (report["geaccepteerd"], report["afgewezen"]) == (1, 1)
    assert report["afgewezen_regels"][0]["regel"] == 3  # the first row is line 2, after the header
    assert Delivery.objects.get(public_id=sent.json()["id"]).uploaded_by == partner_user

    # The same rows again are the same file: the earlier delivery.
    again = api.call("post", DELIVERIES, key=key, json={"regels": rows})
    assert (again.status_code, again.json()["id"]) == (200, sent.json()["id"])


@pytest.mark.parametrize(
    "payload, words",
    [
        ({"regels": []}, "ten minste één regel"),
        ({"regels": [{"partner_referentie": "X", "naam": "Jansen"}]}, "onbekende kolom(men) naam"),
        ({"regels": [{"partner_referentie": ["X"]}]}, "tekst of een getal"),
        ({"rijen": []}, "Geef 'regels' mee"),
        ([row()], "Geef 'regels' mee"),
    ],
)
def test_wrong_json_rows_are_refused_in_dutch(api, key, payload, words):
    response = api.call("post", DELIVERIES, key=key, json=payload)
    assert response.status_code == 400
    assert words in response.json()["detail"]
    assert not Delivery.objects.exists()


def test_json_over_5_mb_is_refused_before_it_is_read(api, key):
    rows = [row(partner_referentie=f"R-{n}") for n in range(20_000)]  # about 9 MB of JSON
    response = api.call("post", DELIVERIES, key=key, json={"regels": rows})
    assert response.status_code == 413
    assert "als bestand" in response.json()["detail"]
    assert not Delivery.objects.exists()


def test_an_inactive_partners_key_and_an_empty_file_are_refused(api, key, partner):
    partner.active = False
    partner.save()
    # An inactive partner's key no longer works at all.
    response = api.call("post", DELIVERIES, key=key, files={"bestand": ("x.csv", csv_bytes([row()]))})
    assert response.status_code == 401
    partner.active = True
    partner.save()
    response = api.call("post", DELIVERIES, key=key, files={"bestand": ("leeg.csv", b"", "text/csv")})
    assert response.status_code == 400
    assert "bestand" in response.json()["detail"]


def test_a_file_without_its_columns_is_refused_in_the_report(api, key):
    sent = api.call("post", DELIVERIES, key=key, files={"bestand": ("x.csv", b"kolom;andere\r\n1;2\r\n")})
    assert sent.status_code == 201  # received; intake refuses it
    _process(sent.json()["id"])
    report = api.call("get", f"{DELIVERIES}{sent.json()['id']}/", key=key).json()
    assert report["status"] == "refused"
    assert report["reden_weigering"]


def test_feedback_since_a_moment(api, key, other_key):
    """A repeated signal is fed back as such: the partner fetches it, the other partner not."""
    first = api.call("post", DELIVERIES, key=key, json={"regels": [row(partner_referentie="R-1")]}).json()
    _process(first["id"])
    before = timezone.now()
    repeat = row(partner_referentie="R-1", signaaldatum="2026-11-02")
    second = api.call("post", DELIVERIES, key=key, json={"regels": [repeat]}).json()
    _process(second["id"])
    assert api.call("get", f"{DELIVERIES}{second['id']}/", key=key).json()["herhaald"] == 1

    since = before.isoformat()
    answer = api.call("get", FEEDBACK, key=key, params={"sinds": since})
    assert answer.status_code == 200
    [feedback] = answer.json()["terugkoppeling"]
    assert feedback["partner_referentie"] == "R-1"
    assert feedback["resultaat"] == "herhaalde_melding"
    assert feedback["resultaat_omschrijving"] == "Niet opgepakt: herhaalde melding"
    # Nothing about the resident: only the fields of the partner's feedback page.
    assert set(feedback) == {
        "partner_referentie",
        "signaal_type",
        "signaaldatum",
        "teruggekoppeld_op",
        "resultaat",
        "resultaat_omschrijving",
        "toelichting",
        "incassopauze_tot",
    }
    later = api.call("get", FEEDBACK, key=key, params={"sinds": feedback["teruggekoppeld_op"]})
    assert later.json()["terugkoppeling"] == []
    assert api.call("get", FEEDBACK, key=other_key, params={"sinds": since}).json()["terugkoppeling"] == []


@pytest.mark.parametrize("sinds", [None, "gisteren", "2026-13-01T00:00:00"])
def test_feedback_needs_a_valid_moment(api, key, sinds):
    response = api.call("get", FEEDBACK, key=key, params={"sinds": sinds} if sinds else {})
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["detail"]


def test_every_call_is_audited_without_personal_data(api, key, partner_user):
    sent = api.call("post", DELIVERIES, key=key, json={"regels": [row()]}).json()
    api.call("get", f"{DELIVERIES}{sent['id']}/", key=key)
    api.call("get", FEEDBACK, key=key, params={"sinds": "2026-01-01T00:00:00"})
    entries = AuditEntry.objects.filter(detail__api_key=key[:8]).order_by("pk")
    assert [e.action for e in entries] == [AuditAction.VIEW, AuditAction.CREATE, AuditAction.VIEW, AuditAction.DOWNLOAD]
    assert entries[0].object_type == "api.schema"  # the api fixture read the document
    assert {e.actor for e in entries} == {partner_user}
    assert "Vries" not in str([e.detail for e in entries])


def test_the_rate_limit_answers_429_with_retry_after(api, key, other_key, settings):
    settings.VROEG_API_RATE = "3/minute"  # the document fetched by the fixture was the first
    for _ in range(2):
        assert api.call("get", FEEDBACK, key=key, params={"sinds": "2026-01-01T00:00:00"}).status_code == 200
    refused = api.call("get", FEEDBACK, key=key, params={"sinds": "2026-01-01T00:00:00"})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Te veel verzoeken" in refused.json()["detail"]
    # Per key: another key still gets through.
    assert api.call("get", FEEDBACK, key=other_key, params={"sinds": "2026-01-01T00:00:00"}).status_code == 200


def test_the_document_describes_every_endpoint_and_the_key(api):
    document = api.contract.document
    assert document["openapi"].startswith("3.1")
    assert {"/api/v1/leveringen/", "/api/v1/leveringen/{public_id}/", "/api/v1/terugkoppeling/"} <= set(
        document["paths"]
    )
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    post = document["paths"]["/api/v1/leveringen/"]["post"]
    assert set(post["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert document["paths"]["/api/v1/terugkoppeling/"]["get"]["security"] == [{"apiKey": []}]
