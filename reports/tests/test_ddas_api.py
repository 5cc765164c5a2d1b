"""The DDAS pull API over real HTTP (live_server), called as CBS calls it: a bearer
token of the DDAS authorization server, a signed body, a signed answer with the same
DDAS delivery as `export_ddas`, paged when asked. Every answer is checked against the
specification (testkit/ddas_api.py: DDAS-VS.yaml and the Uitwisselmodel schema)."""

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from django.core.checks import run_checks
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseState
from outreach.models import ContactKind
from outreach.services import contact_attempt_record
from reports.ddas import api as ddas_api
from reports.ddas.export import DdasPageOutOfRange, ddas_export, ddas_page
from reports.periods import MONTHS_NL
from signals.models import Signal
from testkit.case_steps import case_walk_to
from testkit.ddas_api import SPEC_PATH, Cbs, Contract
from testkit.factories import MunicipalityFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ddas/v1/gegevens"
# Relative to today: contact attempts may not lie in the future.
RECEIVED = timezone.localdate() - timedelta(days=20)
START, END = RECEIVED - timedelta(days=5), RECEIVED + timedelta(days=5)
PERIOD = {"aanleverperiodeStartdatum": START.isoformat(), "aanleverperiodeEinddatum": END.isoformat()}
BSNS = ["999999990", "111222333", "123456782"]


@pytest.fixture(autouse=True)
def _off_the_broker(monkeypatch):
    """Committed intake would queue tasks on the broker: keep these tests off it."""
    monkeypatch.setattr("cases.listeners._queue_first_assessment", lambda: None)
    monkeypatch.setattr("vroeg.outbox.outbox_publish", lambda **kwargs: 0)


@pytest.fixture
def delivery(partner, caseworker):
    """7 signals and 5 cases (12 records): households 1-5, households 1 and 2 with two
    signals, household 3 without a BSN; case 1 picked up with a contact attempt."""
    rows = []
    for n in range(1, 6):
        bsn = "" if n == 3 else BSNS[n % len(BSNS)]
        rows.append(row(partner_referentie=f"R{n}", huisnummer=str(n), bsn=bsn, signaaldatum=RECEIVED.isoformat()))
        if n in (1, 2):
            rows.append(row(partner_referentie=f"R{n}b", huisnummer=str(n), bsn=bsn, signaaldatum=RECEIVED.isoformat()))
    result = deliver(partner, csv_bytes(rows), received_on=RECEIVED)
    assert result.rejected_count == 0
    case = Case.objects.get(household__house_number=1)
    case_walk_to(CaseState.OUTREACH, case, caseworker, on=RECEIVED + timedelta(days=1))
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.PHONE,
        reached=False,
        attempted_at=timezone.now() - timedelta(days=2),
        note="",
    )
    assert (Signal.objects.count(), Case.objects.count()) == (7, 5)
    return partner.municipalities.get()


@pytest.fixture
def cbs(live_server, ddas_settings, ddas_pki):
    return Cbs(url=live_server.url + PATH, pki=ddas_pki)


def _file_export(municipality, start=START, end=END) -> dict:
    out = io.StringIO()
    ddas_export(municipalities=[municipality], start=start, end=end, out=out)
    return json.loads(out.getvalue())


def _without_time(document: dict) -> dict:
    return {k: v for k, v in document.items() if k != "aanleverdatumEnTijd"}


def _entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="ddas.api").order_by("id"))


def _no_bsn_in_the_audit_trail() -> None:
    bsns = set(Signal.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert bsns
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.detail) + entry.object_id + entry.reason + entry.actor_username
        assert not any(bsn in text for bsn in bsns), entry.detail


# --- a valid call -----------------------------------------------------------------------


def test_a_valid_call_answers_the_file_export_signed(cbs, delivery, ddas_pki):
    answer = cbs.post({**PERIOD, "aanleverende_organisatie": "GM9999"})
    assert answer.status_code == 200, answer.text
    protected = ddas_pki.verify_response(answer.content, answer.headers)  # as CBS checks it
    assert protected["alg"] == "PS256"
    body = answer.json()
    assert set(body) == {"gegevens"}  # not paged: no paginering
    assert cbs.contract.model_errors(body["gegevens"]) == []
    assert _without_time(body["gegevens"]) == _without_time(_file_export(delivery))
    [levering] = body["gegevens"]["leveringen"]
    assert (len(levering["vroegsignalen"]), len(levering["vroegsignaalzaken"])) == (7, 5)
    assert any(s["client"].get("burgerservicenummer") for s in levering["vroegsignalen"])
    assert answer.headers["Cache-Control"] == "no-store"

    [entry] = _entries()
    assert entry.action == AuditAction.EXPORT and entry.municipality == delivery
    assert entry.actor is None and entry.actor_username == f"ddas-api:{cbs.client_id}"
    assert entry.detail == {
        "outcome": "served",
        "status": 200,
        "client_id": cbs.client_id,
        "signer": ddas_pki.signer.cert.subject.rfc4514_string(),
        "start": START.isoformat(),
        "end": END.isoformat(),
        "municipality": "9999",
        "signals": 7,
        "cases": 5,
        "records": 12,
    }
    _no_bsn_in_the_audit_trail()


def test_a_changed_answer_fails_the_check_cbs_makes(cbs, delivery, ddas_pki):
    answer = cbs.post(PERIOD)
    assert answer.status_code == 200
    with pytest.raises(AssertionError):
        ddas_pki.verify_response(answer.content.replace(b'"teller":1', b'"teller":2'), answer.headers)


@pytest.mark.parametrize(
    "organisation", ["GM9999", "gm9999", "9999", "Voorbeeldstad", "gemeente  voorbeeldstad", "Gemeente Voorbeeldstad"]
)
def test_the_organisation_by_cbs_code_or_name(cbs, delivery, other_municipality, organisation):
    answer = cbs.post({**PERIOD, "aanleverende_organisatie": organisation})
    assert answer.status_code == 200, answer.text
    assert answer.json()["gegevens"]["leveringen"][0]["gemeentecode"] == "9999"


def test_without_organisation_the_one_municipality_and_the_previous_month(cbs, delivery):
    answer = cbs.post({})
    assert answer.status_code == 200, answer.text
    gegevens = answer.json()["gegevens"]
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert (gegevens["startdatumLevering"], gegevens["einddatumLevering"]) == (
        last.replace(day=1).isoformat(),
        last.isoformat(),
    )
    assert gegevens["leveringen"][0]["gemeentecode"] == "9999"


def test_the_delivering_organisation_by_its_name_when_it_serves_one_municipality(cbs, delivery, settings):
    settings.DDAS_ORGANISATION_NAME = "Kredietbank Voorbeeldregio"
    answer = cbs.post({**PERIOD, "aanleverende_organisatie": "Kredietbank Voorbeeldregio"})
    assert answer.status_code == 200, answer.text


# --- paging -----------------------------------------------------------------------------


def test_pages_hold_every_signal_and_case_once_in_delivery_order(cbs, delivery):
    whole = _file_export(delivery)["leveringen"][0]
    signals, cases = [], []
    for number in (1, 2, 3):
        answer = cbs.post({**PERIOD, "page": number, "pageSize": 5})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["paginering"] == {"pageSize": 5, "currentPage": number, "totalPages": 3, "totalRecords": 12}
        assert cbs.contract.model_errors(body["gegevens"]) == []  # each page a document of its own
        [levering] = body["gegevens"]["leveringen"]
        assert len(levering["vroegsignalen"]) + len(levering["vroegsignaalzaken"]) == (5 if number < 3 else 2)
        signals += levering["vroegsignalen"]
        cases += levering["vroegsignaalzaken"]
    # signals first, then cases: 5 signals; 2 signals and 3 cases; 2 cases
    assert signals == whole["vroegsignalen"] and cases == whole["vroegsignaalzaken"]
    assert [e.detail["page"] for e in _entries()] == [1, 2, 3]
    assert [e.detail["records"] for e in _entries()] == [5, 5, 2]
    assert {e.detail["total_pages"] for e in _entries()} == {3}

    beyond = cbs.post({**PERIOD, "page": 4, "pageSize": 5})
    assert beyond.status_code == 422
    assert beyond.json()["type"] == "urn:vroeg:ddas-api:page-out-of-range"
    assert "3 pagina's" in beyond.json()["detail"]
    assert _entries()[-1].detail["reason"] == "page-out-of-range"


def test_page_without_size_pages_by_the_largest_size_and_size_without_page_is_page_one(cbs, delivery):
    answer = cbs.post({**PERIOD, "page": 1})
    assert answer.json()["paginering"] == {"pageSize": 25000, "currentPage": 1, "totalPages": 1, "totalRecords": 12}
    answer = cbs.post({**PERIOD, "pageSize": 10})
    assert answer.json()["paginering"] == {"pageSize": 10, "currentPage": 1, "totalPages": 2, "totalRecords": 12}


def test_an_empty_delivery_is_one_empty_page(cbs, delivery):
    answer = cbs.post({"aanleverperiodeStartdatum": "2020-01-01", "aanleverperiodeEinddatum": "2020-01-31", "page": 1})
    assert answer.status_code == 200
    assert answer.json()["paginering"] == {"pageSize": 25000, "currentPage": 1, "totalPages": 1, "totalRecords": 0}
    assert cbs.post({**PERIOD, "page": 2, "aanleverperiodeStartdatum": "2020-01-01"}).status_code == 422


def test_a_delivery_larger_than_the_largest_page_is_paged_unasked(cbs, delivery, settings):
    settings.DDAS_API_MAX_PAGE_SIZE = 5
    answer = cbs.post(PERIOD)
    assert answer.status_code == 200
    assert answer.json()["paginering"] == {"pageSize": 5, "currentPage": 1, "totalPages": 3, "totalRecords": 12}
    too_large = cbs.post({**PERIOD, "pageSize": 6})
    assert too_large.status_code == 400
    [param] = too_large.json()["invalid-params"]
    assert param["name"] == "pageSize" and "van 1 tot en met 5" in param["reason"]


def test_a_page_reads_only_its_own_rows(delivery):
    """LIMIT/OFFSET on the ordered, streamed queries: a page of a large period never
    reads the rows of the other pages (bench/ddas_api.py measures the memory)."""
    page = ddas_page(municipality=delivery, start=START, end=END, number=2, size=5)
    assert (page.signal_rows, page.case_rows, page.total_pages) == ((5, 7), (0, 3), 3)
    with CaptureQueriesContext(connection) as queries:
        counts = ddas_export(municipalities=[delivery], start=START, end=END, out=io.StringIO(), page=page)
    assert counts == {"9999": {"signals": 2, "cases": 3}}
    [signals, cases] = [q["sql"] for q in queries if "LIMIT" in q["sql"]]
    assert "LIMIT 2 OFFSET 5" in signals and "UNION ALL" in signals
    assert "LIMIT 3" in cases and "OFFSET" not in cases
    with pytest.raises(DdasPageOutOfRange):
        ddas_page(municipality=delivery, start=START, end=END, number=4, size=5)


# --- refusals: each error the specification lists ---------------------------------------

# (name, how CBS's call differs, status, Fsc-Error-Code or problem type)
FSC = "ERROR_CODE_ACCESS_TOKEN_{}"
TOKEN_REFUSALS = [
    ("no token", {"token": None}, 401, FSC.format("MISSING")),
    ("expired token", {"claims": {"exp": "past"}}, 401, FSC.format("EXPIRED")),
    ("wrong audience", {"claims": {"aud": "iemand-anders"}}, 401, FSC.format("INVALID")),
    ("wrong issuer", {"claims": {"iss": "https://elders.example/"}}, 401, FSC.format("INVALID")),
    ("scope write, not read", {"claims": {"scope": "write"}}, 403, FSC.format("INVALID")),
    ("not a JWT", {"token": "abc.def.ghi"}, 401, FSC.format("INVALID")),
]


@pytest.mark.parametrize(("name", "change", "status", "code"), TOKEN_REFUSALS, ids=[t[0] for t in TOKEN_REFUSALS])
def test_token_refusals_are_fsc_errors(cbs, delivery, name, change, status, code):
    token = change.get("token", ...)
    if "claims" in change:
        claims = dict(change["claims"])
        if claims.get("exp") == "past":
            claims["exp"] = int(timezone.now().timestamp()) - 3600
        token = cbs.token(**claims)
    answer = cbs.post(PERIOD, token=token)
    assert answer.status_code == status
    assert answer.headers["Fsc-Error-Code"] == code
    body = answer.json()
    assert body["domain"] == "ERROR_DOMAIN_INWAY" and body["title"] and body["detail"]
    assert "vroegsignalen" not in answer.text and "burgerservicenummer" not in answer.text
    [entry] = _entries()
    assert entry.action == AuditAction.LOGIN_FAILED and entry.municipality is None
    assert entry.detail == {"outcome": "refused", "status": status, "reason": code}


def _signature(pki, name: str) -> dict:
    """How each broken signature differs from a good one (Cbs.post keyword arguments)."""
    return {
        "body changed after signing": {"signed_body": b'{"page": 1}'},
        "digest of other bytes": {"digest": "SHA-256=" + "A" * 43 + "="},
        "no digest": {"digest": None},
        "no signature": {"signature": None},
        "garbage signature": {"signature": "dit-is-geen-jws"},
        "RS256 instead of PS256": {"alg": "RS256"},
        "untrusted root": {"signer": pki.untrusted_signer},
        "revoked signer": {"signer": pki.revoked_signer},
        "expired signer": {"signer": pki.expired_signer},
        "no digitalSignature usage": {"signer": pki.no_signing_usage_signer},
        "no x5c": {"header": {"x5c": None}},
    }[name]


SIGNATURE_REFUSALS = [
    ("body changed after signing", {"signature-invalid"}),
    ("digest of other bytes", {"digest-mismatch"}),
    ("no digest", {"digest-missing"}),
    ("no signature", {"signature-missing"}),
    ("garbage signature", {"signature-malformed"}),
    ("RS256 instead of PS256", {"algorithm"}),
    ("untrusted root", {"certificate-untrusted"}),
    ("revoked signer", {"certificate-revoked"}),
    ("expired signer", {"certificate-expired"}),
    ("no digitalSignature usage", {"certificate-usage"}),
    ("no x5c", {"signature-malformed", "certificate-untrusted"}),
]


@pytest.mark.parametrize(("name", "reasons"), SIGNATURE_REFUSALS, ids=[s[0] for s in SIGNATURE_REFUSALS])
def test_signature_refusals_are_problems_serving_nothing(cbs, delivery, ddas_pki, name, reasons):
    answer = cbs.post({**PERIOD, "page": 1}, **_signature(ddas_pki, name))
    assert answer.status_code == 400
    body = answer.json()
    assert body["type"].removeprefix("urn:vroeg:ddas-api:") in reasons, body
    assert body["status"] == 400 and body["title"] and body["detail"]
    assert "nlgov-adr-payload-sig" not in answer.headers and "Digest" not in answer.headers
    assert "vroegsignalen" not in answer.text
    [entry] = _entries()
    assert entry.detail["reason"] == body["type"].rsplit(":", 1)[1]
    assert entry.detail["client_id"] == cbs.client_id and "records" not in entry.detail


BODY_REFUSALS = [
    ("extra property", {**PERIOD, "gemeente": "9999"}, "gemeente", "Onbekend veld 'gemeente'"),
    (
        "impossible date",
        {**PERIOD, "aanleverperiodeStartdatum": "2026-02-30"},
        "aanleverperiodeStartdatum",
        "JJJJ-MM-DD",
    ),
    ("date in Dutch order", {**PERIOD, "aanleverperiodeEinddatum": "31-10-2026"}, "aanleverperiodeEinddatum", "datum"),
    ("page 0", {**PERIOD, "page": 0}, "page", "paginanummer"),
    ("page as text", {**PERIOD, "page": "1"}, "page", "geheel getal"),
    ("page size 0", {**PERIOD, "pageSize": 0}, "pageSize", "aantal records per pagina"),
    # the specification sets no largest page size; Vroeg's is DDAS_API_MAX_PAGE_SIZE
    ("page size above the largest", {**PERIOD, "pageSize": 25001}, "pageSize", "tot en met 25000"),
    ("organisation a number", {**PERIOD, "aanleverende_organisatie": 363}, "aanleverende_organisatie", "tekst"),
]


@pytest.mark.parametrize(("name", "body", "field", "words"), BODY_REFUSALS, ids=[b[0] for b in BODY_REFUSALS])
def test_a_body_against_the_schema_is_400_naming_the_field(cbs, delivery, name, body, field, words):
    if field != "pageSize" or body[field] < 1:
        assert cbs.contract.request_errors(body) != []  # the specification's schema refuses it too
    answer = cbs.post(body)
    assert answer.status_code == 400
    problem = answer.json()
    assert problem["type"] == "urn:vroeg:ddas-api:invalid-body"
    [param] = problem["invalid-params"]
    assert param["name"] == field and words in param["reason"]
    assert words in problem["detail"]


@pytest.mark.parametrize(
    ("name", "raw", "content_type", "reason"),
    [
        ("not JSON", b"aanleverperiodeStartdatum=2026-10-01", "application/json", "invalid-json"),
        ("a list", b"[]", "application/json", "invalid-body"),
        ("a name twice", b'{"page": 1, "page": 2}', "application/json", "invalid-json"),
        ("no body", b"", "application/json", "invalid-json"),
        ("form data", b"page=1", "application/x-www-form-urlencoded", "content-type"),
        ("latin-1", '{"aanleverende_organisatie": "Súdwest"}'.encode("latin-1"), "application/json", "invalid-json"),
    ],
)
def test_a_body_that_is_no_json_object_is_400(cbs, delivery, name, raw, content_type, reason):
    answer = cbs.post(raw, headers={"Content-Type": content_type})
    assert answer.status_code == 400
    assert answer.json()["type"] == f"urn:vroeg:ddas-api:{reason}"


UNPROCESSABLE = [
    (
        "start after end",
        {"aanleverperiodeStartdatum": "2026-10-31", "aanleverperiodeEinddatum": "2026-10-01"},
        "period-reversed",
    ),
    ("only a start", {"aanleverperiodeStartdatum": "2026-10-01"}, "period-incomplete"),
    ("unknown organisation", {**PERIOD, "aanleverende_organisatie": "Gemeente Nergenshuizen"}, "organisation-unknown"),
    ("unknown code", {**PERIOD, "aanleverende_organisatie": "GM0001"}, "organisation-unknown"),
]


@pytest.mark.parametrize(("name", "body", "reason"), UNPROCESSABLE, ids=[u[0] for u in UNPROCESSABLE])
def test_what_cannot_be_answered_is_422(cbs, delivery, name, body, reason):
    assert cbs.contract.request_errors(body) == []  # valid by the schema, impossible in meaning
    answer = cbs.post(body)
    assert answer.status_code == 422
    assert answer.json()["type"] == f"urn:vroeg:ddas-api:{reason}"
    assert "Nergenshuizen" not in json.dumps(_entries()[-1].detail)  # nothing of the body in the audit trail


def test_with_two_municipalities_the_organisation_is_required(cbs, delivery, other_municipality):
    MunicipalityFactory(code="0001", name="Opgeheven", active=False)
    answer = cbs.post(PERIOD)
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["type"] == "urn:vroeg:ddas-api:organisation-required"
    assert "Amsterdam (GM0363)" in problem["detail"] and "Voorbeeldstad (GM9999)" in problem["detail"]
    assert "Opgeheven" not in problem["detail"]
    inactive = cbs.post({**PERIOD, "aanleverende_organisatie": "GM0001"})
    assert inactive.json()["type"] == "urn:vroeg:ddas-api:organisation-unknown"


def test_too_many_calls_are_429_with_retry_after_per_client(cbs, delivery, settings, ddas_pki, live_server):
    settings.DDAS_API_RATE = "2/hour"
    assert [cbs.post(PERIOD).status_code for _ in range(2)] == [200, 200]
    refused = cbs.post(PERIOD)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.json()["type"] == "urn:vroeg:ddas-api:rate-limit" and "Te veel verzoeken" in refused.json()["title"]
    assert "vroegsignalen" not in refused.text
    other = Cbs(url=live_server.url + PATH, pki=ddas_pki)  # another client id
    assert other.post(PERIOD).status_code == 200
    assert [e.detail["status"] for e in _entries()] == [200, 200, 429, 200]


def test_switched_off_the_service_is_not_found(cbs, delivery, settings):
    settings.DDAS_API_ENABLED = False
    for answer in (cbs.post(PERIOD), cbs.request("GET")):
        assert answer.status_code == 404
        assert answer.headers["Fsc-Error-Code"] == "ERROR_CODE_SERVICE_NOT_FOUND"
    assert _entries() == []  # a service that is off logs nothing


def test_anything_else_under_the_prefix_is_not_found(cbs, delivery, live_server):
    answer = requests.post(live_server.url + "/ddas/v1/leveringen", timeout=30)
    assert answer.status_code == 404
    assert answer.headers["Fsc-Error-Code"] == "ERROR_CODE_SERVICE_NOT_FOUND"
    assert answer.headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_another_method_than_post_is_405(cbs, delivery, method):
    answer = cbs.request(method, headers={"Authorization": f"Bearer {cbs.token()}"})
    assert answer.status_code == 405
    assert answer.headers["Fsc-Error-Code"] == "ERROR_CODE_METHOD_UNSUPPORTED"
    assert answer.headers["Allow"] == "POST"


def test_a_logged_in_team_lead_without_token_is_401(cbs, delivery, teamlead):
    browser = Client()
    browser.force_login(teamlead)
    cookie = browser.cookies["sessionid"].value
    answer = cbs.post(PERIOD, token=None, headers={"Cookie": f"sessionid={cookie}"})
    assert answer.status_code == 401
    assert answer.headers["Fsc-Error-Code"] == "ERROR_CODE_ACCESS_TOKEN_MISSING"
    assert "vroegsignalen" not in answer.text


def test_unreachable_keys_of_the_issuer_are_502(cbs, delivery, settings):
    settings.DDAS_API_TOKEN_JWKS = "http://127.0.0.1:9/.well-known/jwks.json"  # nothing listens on port 9
    answer = cbs.post(PERIOD)
    assert answer.status_code == 502
    assert answer.headers["Fsc-Error-Code"] == "ERROR_CODE_SERVICE_UNREACHABLE"


def test_every_status_of_the_specification_was_answered_and_checked():
    """The statuses these tests meet, each checked by the contract (this module's tests
    above); here: the contract lists exactly those, so none is left untested."""
    contract = Contract()
    assert set(contract.operation["responses"]) == {"200", "400", "401", "403", "404", "405", "422", "429", "502"}


# --- the team lead sees the calls -------------------------------------------------------


def test_the_team_lead_sees_the_calls_next_to_the_file_download(cbs, delivery, teamlead):
    first_of_month = date(RECEIVED.year, RECEIVED.month, 1)
    last_of_month = (first_of_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    month = {
        "aanleverperiodeStartdatum": first_of_month.isoformat(),
        "aanleverperiodeEinddatum": last_of_month.isoformat(),
    }
    assert cbs.post({**month, "page": 1, "pageSize": 5}).status_code == 200
    assert cbs.post({**month, "page": 9, "pageSize": 5}).status_code == 422
    browser = Client()
    browser.force_login(teamlead)
    page = browser.get(
        reverse("reports"),
        {"municipality": delivery.pk, "period": "month", "year": RECEIVED.year, "month": RECEIVED.month},
    )
    assert page.status_code == 200
    text = page.content.decode()
    label = f"{MONTHS_NL[RECEIVED.month - 1]} {RECEIVED.year}"
    assert "CBS haalde op " in text
    assert f"de gegevens op over {label}: pagina 1 van 3, 5 records." in text  # 12 records
    assert f"is een verzoek over {label} geweigerd: de gevraagde pagina bestaat niet." in text


# --- configuration ----------------------------------------------------------------------


def test_check_deploy_warns_per_problem_when_the_api_is_on_incomplete(settings, ddas_pki):
    settings.DDAS_API_ENABLED = False
    assert [m for m in run_checks(include_deployment_checks=True) if m.id == "reports.W001"] == []
    settings.DDAS_API_ENABLED = True
    for name in ("DDAS_API_TOKEN_ISSUER", "DDAS_API_SIGNING_KEY", "DDAS_API_SIGNING_CHAIN", "DDAS_API_TRUST_ANCHORS"):
        setattr(settings, name, "")
    settings.DDAS_API_RATE = "zestig per uur"
    warnings = [m for m in run_checks(include_deployment_checks=True) if m.id == "reports.W001"]
    text = " ".join(m.msg for m in warnings)
    assert len(warnings) >= 5
    for name in ("DDAS_API_TOKEN_ISSUER", "DDAS_API_SIGNING_KEY", "DDAS_API_TRUST_ANCHORS", "DDAS_API_RATE"):
        assert name in text, name


def test_check_deploy_is_quiet_with_a_complete_configuration(ddas_settings):
    assert [m.msg for m in run_checks(include_deployment_checks=True) if m.id == "reports.W001"] == []


def test_the_path_prefix_is_configurable_for_the_inway(settings):
    settings.DDAS_API_PATH_PREFIX = "/ophaal/ddas-vroegsignalering/"
    assert [str(p.pattern) for p in ddas_api.url_patterns()] == [
        "ophaal/ddas-vroegsignalering/gegevens",
        "ophaal/ddas-vroegsignalering/<path:rest>",
    ]
    settings.DDAS_API_PATH_PREFIX = ""
    assert [str(p.pattern) for p in ddas_api.url_patterns()] == ["gegevens"]


def test_the_specification_is_an_exact_copy():
    shared = Path("/work/shared/standards/ddas-vroegsignalering/api")
    if not shared.exists():
        pytest.skip("the shared copy of the standard is not on this machine")
    for name in ("DDAS-VS.yaml", "README.md"):
        assert (SPEC_PATH.parent / name).read_bytes() == (shared / name).read_bytes(), name
