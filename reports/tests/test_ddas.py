"""DDAS v1.2 export to CBS: every delivery is valid against the standard's JSON schema
(copied into reports/ddas/schema), complete for the period, self-contained (every ID a
case refers to is in the same delivery), stable in its IDs and free of personal data
beyond what the schema's client identification asks."""

import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator

import reports.ddas
from cases.models import HELP_OUTCOMES, OUTCOMES_BY_STATE, Case, CaseState, Outcome
from cases.services import case_accept_help, case_close, case_make_contact, case_pick_up, case_reopen
from outreach.models import ContactKind, PartOfDay
from outreach.services import contact_attempt_record
from reports.ddas import export as ddas
from reports.ddas.export import DdasConfigurationError, ddas_export, whole_euros
from signals.models import SIGNAL_TYPE_PARTNER_TYPE, PartnerType, Signal, SignalStatus, SignalType
from testkit.action_plans import plan_with_copy
from testkit.case_steps import case_walk_to
from testkit.factories import MunicipalityFactory, PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from testkit.workers import database_url_of_test_db

pytestmark = pytest.mark.django_db

SCHEMA_PATH = Path(reports.ddas.__file__).parent / "schema" / "v1.2" / "json_schema_Uitwisselmodel.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BASE_DIR = Path(__file__).resolve().parents[2]

# Relative to today: contact attempts may not lie in the future.
RECEIVED = timezone.localdate() - timedelta(days=20)
START = RECEIVED - timedelta(days=5)
END = RECEIVED + timedelta(days=5)
NOW = datetime(2026, 11, 27, 10, 0, 0, 123456, tzinfo=UTC)

# Personal data in the test rows that must never reach the export.
SECRETS = {
    "achternaam": "Zwartekoe",
    "voorvoegsel": "van der",
    "straat": "Ligusterlaan",
    "woonplaats": "Kwakkeldam",
    "telefoonnummer": "0687654321",
    "email": "geheim.adres@example.nl",
}


def _row(n: int, **changes) -> dict:
    """A valid row for household number n (each n is its own address, so its own case)."""
    values = {
        "partner_referentie": f"GEHEIMREF-{n}",
        "huisnummer": str(n),
        "postcode": "1234 ab",
        "datum_ontstaan": (RECEIVED - timedelta(days=90)).isoformat(),
        "signaaldatum": (RECEIVED - timedelta(days=10)).isoformat(),
        **SECRETS,
    }
    return row(**{**values, **changes})


def _deliver(partner, rows: list[dict], received_on=RECEIVED):
    delivery = deliver(partner, csv_bytes(rows), received_on=received_on)
    assert delivery.rejected_count == 0, list(delivery.rejected_lines.values_list("reasons", flat=True))
    return delivery


def _errors(document: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def _export(municipalities, *, start=START, end=END, now=NOW) -> tuple[dict, str, dict]:
    """Export, check the text is one JSON document valid against the schema."""
    out = io.StringIO()
    counts = ddas_export(municipalities=municipalities, start=start, end=end, out=out, now=now)
    text = out.getvalue()
    document = json.loads(text)
    assert _errors(document) == []
    _assert_self_contained(document)
    _assert_written_as_json_dumps_writes_it(text)
    return document, text, counts


def _assert_written_as_json_dumps_writes_it(text: str) -> None:
    """Every signal and case is one line, byte for byte what json.dumps(..., separators=
    (",", ":")) writes of it (key order, ASCII escapes): the export formats them itself."""
    for line in text.splitlines():
        item = line.removesuffix(",")
        if item.startswith(('{"ID"', '{"resultaat"', '{"matchingsdatum"')):
            assert item == json.dumps(json.loads(item), separators=(",", ":"))


def _assert_self_contained(document: dict) -> None:
    """What every delivery is, beyond the schema: each signal once per levering, every
    ID a case refers to in the same levering, a matching date never after the pick-up
    date, a matching period that does not end before it starts."""
    for levering in document["leveringen"]:
        ids = [s["ID"] for s in levering["vroegsignalen"]]
        assert len(ids) == len(set(ids))
        for case in levering["vroegsignaalzaken"]:
            assert {s["ID"] for s in case["vroegsignalen"]} <= set(ids)
            assert case["startdatumMatchingperiode"] <= case["einddatumMatchingperiode"]  # ISO dates sort as text
            if "datumOpgepakt" in case:
                assert case["matchingsdatum"] <= case["datumOpgepakt"]


def _signals(document: dict) -> dict[str, dict]:
    return {s["ID"]: s for levering in document["leveringen"] for s in levering.get("vroegsignalen", [])}


def _cases(document: dict) -> list[dict]:
    return [c for levering in document["leveringen"] for c in levering.get("vroegsignaalzaken", [])]


def _case_of(document: dict, case: Case) -> dict:
    ids = {f"{case.municipality.code}-{pk}" for pk in case.signals.values_list("pk", flat=True)}
    [found] = [c for c in _cases(document) if {s["ID"] for s in c["vroegsignalen"]} == ids]
    return found


def _walk(state: str, case: Case, user) -> None:
    case_walk_to(state, case, user, on=RECEIVED + timedelta(days=1))


# --- the schema itself -------------------------------------------------------------


def test_the_enumerations_of_the_standard_are_the_values_vroeg_stores():
    defs = SCHEMA["$defs"]
    assert set(defs["EnumEindresultaat"]["enum"]) == set(Outcome.values) and len(Outcome.values) == 16
    assert set(defs["EnumContactsoort"]["enum"]) == set(ContactKind.values) and len(ContactKind.values) == 10
    assert set(defs["EnumDagdeel"]["enum"]) == set(PartOfDay.values) and len(PartOfDay.values) == 3
    assert set(defs["EnumSignaalstatus"]["enum"]) == set(SignalStatus.values)
    assert set(defs["EnumSignaalpartner"]["enum"]) == set(PartnerType.values)


def test_the_schema_is_an_exact_copy_of_the_standard():
    shared = Path("/work/shared/standards/ddas-vroegsignalering")
    if not shared.exists():
        pytest.skip("the shared copy of the standard is not on this machine")
    assert SCHEMA_PATH.read_bytes() == (shared / "v1.2" / "json_schema_Uitwisselmodel.json").read_bytes()
    model = SCHEMA_PATH.parent.parent / "Detail_Model_Vroegsignalering.md"
    assert model.read_bytes() == (shared / "Detail_Model_Vroegsignalering.md").read_bytes()


def _without_supplier(d):
    del d["codeGegevensleverancier"]


def _bsn_and_address(d):
    [client] = [s["client"] for s in d["leveringen"][0]["vroegsignalen"] if "burgerservicenummer" in s["client"]]
    client["postcode"] = "1234AB"


def _amount_in_cents(d):
    d["leveringen"][0]["vroegsignalen"][0]["bedrag"] = 1248.68


def _unknown_end_result(d):
    d["leveringen"][0]["vroegsignaalzaken"][0]["resultaat"] = "Opgelost"


def _null_date(d):
    d["leveringen"][0]["vroegsignaalzaken"][0]["datumOpgepakt"] = None


def _time_without_zone(d):
    d["aanleverdatumEnTijd"] = "2026-11-27 10:00"


def _impossible_date(d):
    d["startdatumLevering"] = "2026-02-30"


def _name_of_client(d):
    [client] = [s["client"] for s in d["leveringen"][0]["vroegsignalen"] if "postcode" in s["client"]]
    client["achternaam"] = "Vries"


def _case_without_signals(d):
    d["leveringen"][0]["vroegsignaalzaken"][0]["vroegsignalen"] = []


def _no_leveringen(d):
    d["leveringen"] = []


@pytest.mark.parametrize(
    "breakage",
    [
        _without_supplier,
        _bsn_and_address,
        _amount_in_cents,
        _unknown_end_result,
        _null_date,
        _time_without_zone,
        _impossible_date,
        _name_of_client,
        _case_without_signals,
        _no_leveringen,
    ],
)
def test_the_schema_rejects_a_broken_document(partner, caseworker, breakage):
    """The validation used by every test can fail: each breakage of a valid export is caught."""
    _deliver(partner, [_row(1), _row(2, bsn="")])
    _walk(CaseState.OUTREACH, Case.objects.get(household__house_number=1), caseworker)
    document, _, _ = _export([partner.municipalities.get()])
    breakage(document)
    assert _errors(document) != []


# --- the export ---------------------------------------------------------------------


def test_an_empty_delivery_is_valid_with_one_levering_per_municipality(municipality, other_municipality, settings):
    settings.DDAS_SUPPLIER_CODE = "LEV01"
    settings.DDAS_ORGANISATION_NAME = "Stichting Vroeg Samen"
    settings.DDAS_ORGANISATION_KVK = "12345678"
    settings.DDAS_CONTACTS = [
        {"naam": "A. Bakker", "telefoonnummer": "", "email": "a.bakker@example.nl", "functietitel": None},
        {"naam": "B. Smit", "functietitel": "beleidsmedewerker"},
    ]
    document, _, counts = _export([municipality, other_municipality])
    assert document["startdatumLevering"] == START.isoformat()
    assert document["einddatumLevering"] == END.isoformat()
    assert document["aanleverdatumEnTijd"] == "2026-11-27T10:00:00Z"
    assert document["codeGegevensleverancier"] == "LEV01"
    assert [(lev["teller"], lev["gemeentecode"]) for lev in document["leveringen"]] == [(1, "9999"), (2, "0363")]
    for levering in document["leveringen"]:
        assert levering["vroegsignalen"] == [] and levering["vroegsignaalzaken"] == []
        assert levering["aanleverendeOrganisatie"] == {
            "naam": "Stichting Vroeg Samen",
            "kvk-nummer": "12345678",
            "contactpersonen": [
                {"naam": "A. Bakker", "email": "a.bakker@example.nl"},
                {"naam": "B. Smit", "functietitel": "beleidsmedewerker"},
            ],
        }
    assert counts == {"9999": {"signals": 0, "cases": 0}, "0363": {"signals": 0, "cases": 0}}


def test_without_kvk_number_or_contacts_those_keys_are_left_out(municipality, settings):
    settings.DDAS_ORGANISATION_KVK = ""
    settings.DDAS_CONTACTS = [{"naam": "", "email": ""}]
    summer = datetime(2026, 6, 1, 14, 30, tzinfo=timezone.get_current_timezone())
    document, _, _ = _export([municipality], now=summer)
    assert document["leveringen"][0]["aanleverendeOrganisatie"] == {"naam": settings.DDAS_ORGANISATION_NAME}
    assert document["aanleverdatumEnTijd"] == "2026-06-01T12:30:00Z"  # summer time, given in UTC


def test_a_misspelt_contact_field_is_refused_before_anything_is_written(municipality, settings):
    settings.DDAS_CONTACTS = [{"naam": "A. Bakker", "e-mail": "a@example.nl"}]
    out = io.StringIO()
    with pytest.raises(DdasConfigurationError, match="onbekend veld: e-mail"):
        ddas_export(municipalities=[municipality], start=START, end=END, out=out)
    assert out.getvalue() == ""


def test_start_after_end_or_no_municipality_is_refused(municipality):
    with pytest.raises(ValueError):
        ddas_export(municipalities=[municipality], start=END, end=START, out=io.StringIO())
    with pytest.raises(ValueError):
        ddas_export(municipalities=[], start=START, end=END, out=io.StringIO())


def test_one_municipality_every_signal_field(partner):
    water = PartnerFactory(code="test-water", partner_type=PartnerType.WATER, signal_types=["drinkwater"])
    water.municipalities.add(partner.municipalities.get())
    _deliver(partner, [_row(1, crisissignaal="ja", bedrag_achterstand="731,20"), _row(2, warme_overdracht="ja")])
    _deliver(water, [_row(3, signaal_type="drinkwater")])
    document, _, counts = _export([partner.municipalities.get()])
    exported = _signals(document)
    assert counts == {"9999": {"signals": 3, "cases": 3}}
    assert set(exported) == {f"9999-{s.pk}" for s in Signal.objects.all()}
    for signal in Signal.objects.select_related("partner"):
        item = exported[f"9999-{signal.pk}"]
        assert item["crisissignaal"] is signal.crisis
        assert item["warmeOverdracht"] is signal.warm_handover
        assert item["bedrag"] == whole_euros(signal.amount)
        assert item["ontstaansdatum"] == signal.arrears_since.isoformat()
        assert item["signaaldatum"] == signal.signal_date.isoformat()
        assert item["status"] == signal.status == SignalStatus.NOT_PICKED_UP_YET
        assert item["signaalpartner"] == {"type": SIGNAL_TYPE_PARTNER_TYPE[signal.signal_type]}
    assert sorted(s["signaalpartner"]["type"] for s in exported.values()) == ["Huur", "Huur", "Water"]
    assert [s["crisissignaal"] for s in exported.values()].count(True) == 1
    assert [s["warmeOverdracht"] for s in exported.values()].count(True) == 1


def test_two_municipalities_each_levering_has_only_its_own_signals(partner, municipality, other_municipality):
    partner.municipalities.add(other_municipality)
    _deliver(
        partner,
        [
            _row(1, gemeentecode="9999"),
            _row(2, gemeentecode="9999"),
            _row(3, gemeentecode="0363"),
            _row(4, gemeentecode="0363"),
            _row(5, gemeentecode="0363"),
        ],
    )
    document, _, counts = _export([municipality, other_municipality])
    first, second = document["leveringen"]
    assert (first["teller"], first["gemeentecode"]) == (1, "9999")
    assert (second["teller"], second["gemeentecode"]) == (2, "0363")
    for levering, m in ((first, municipality), (second, other_municipality)):
        own = {f"{m.code}-{pk}" for pk in Signal.objects.filter(municipality=m).values_list("pk", flat=True)}
        assert {s["ID"] for s in levering["vroegsignalen"]} == own
        own_cases = Case.objects.filter(municipality=m)
        assert len(levering["vroegsignaalzaken"]) == own_cases.count()
        referred = {s["ID"] for c in levering["vroegsignaalzaken"] for s in c["vroegsignalen"]}
        assert referred == {s["ID"] for s in levering["vroegsignalen"]}
    assert counts == {"9999": {"signals": 2, "cases": 2}, "0363": {"signals": 3, "cases": 3}}
    # Asked in the other order, the tellers follow that order.
    document, _, _ = _export([other_municipality, municipality, other_municipality])
    assert [(lev["teller"], lev["gemeentecode"]) for lev in document["leveringen"]] == [(1, "0363"), (2, "9999")]


CLOSINGS = [(state, outcome) for state, outcomes in OUTCOMES_BY_STATE.items() for outcome in outcomes]


def test_every_end_result_from_every_stage(partner, caseworker):
    _deliver(partner, [_row(n) for n in range(1, len(CLOSINGS) + 3)])
    closed = {}
    for n, (state, outcome) in enumerate(CLOSINGS, start=1):
        case = Case.objects.get(household__house_number=n)
        _walk(state, case, caseworker)
        if outcome in HELP_OUTCOMES:
            plan_with_copy(case, caseworker)
        case_close(case_id=case.pk, user=caseworker, outcome=outcome)
        closed[case.pk] = outcome
    open_new = Case.objects.get(household__house_number=len(CLOSINGS) + 1)
    open_picked_up = Case.objects.get(household__house_number=len(CLOSINGS) + 2)
    _walk(CaseState.OUTREACH, open_picked_up, caseworker)

    document, _, _ = _export([partner.municipalities.get()])
    results = []
    for case in Case.objects.all():
        item = _case_of(document, case)
        if case.pk in closed:
            assert item["resultaat"] == closed[case.pk] == case.outcome
            results.append(item["resultaat"])
        else:
            assert "resultaat" not in item
        # Picked up by _walk the day after receipt; from 'new' only "Verwijzing zonder
        # tussenkomst inwoner" is a picked-up result, picked up on the closing day (today).
        if case.closed_from == CaseState.NEW or case.pk == open_new.pk:
            expected = timezone.localdate() if case.outcome == Outcome.REFERRAL_WITHOUT_RESIDENT else None
        else:
            expected = RECEIVED + timedelta(days=1)
        assert case.picked_up_on == expected
        assert item.get("datumOpgepakt") == (expected.isoformat() if expected else None)
    assert set(results) == set(Outcome.values)  # all 16
    assert "datumOpgepakt" not in _case_of(document, open_new)
    # Each signal carries the status its case gave it.
    exported = _signals(document)
    for signal in Signal.objects.all():
        assert exported[f"9999-{signal.pk}"]["status"] == signal.status
    statuses = {s["status"] for s in exported.values()}
    assert {SignalStatus.PICKED_UP, SignalStatus.NOT_PICKED_UP_YET, SignalStatus.DECEASED} <= statuses
    _statuses_fit_the_cases(document)


def test_every_contact_kind_and_part_of_day_in_time_order(partner, caseworker):
    _deliver(partner, [_row(1), _row(2)])
    case = Case.objects.get(household__house_number=1)
    _walk(CaseState.OUTREACH, case, caseworker)
    hours = {PartOfDay.MORNING: 9, PartOfDay.AFTERNOON: 14, PartOfDay.EVENING: 20}
    attempts = []  # (when, what the export should say), in time order
    for day, kind in enumerate(ContactKind.values, start=1):
        for part, hour in hours.items():
            on = RECEIVED + timedelta(days=day)
            at = timezone.make_aware(datetime.combine(on, time(hour, 5)))
            reached = part == PartOfDay.EVENING and day % 2 == 0
            attempts.append((at, {"soort": kind, "bereikt": reached, "datum": on.isoformat(), "dagdeel": part}))
    for at, item in reversed(attempts):  # recorded out of order: the export sorts by time
        contact_attempt_record(
            case_id=case.pk, user=caseworker, kind=item["soort"], reached=item["bereikt"], attempted_at=at
        )

    document, _, _ = _export([partner.municipalities.get()])
    exported = _case_of(document, case)["contactpogingen"]
    assert exported == [item for _, item in attempts]
    assert {a["soort"] for a in exported} == set(ContactKind.values)
    assert {a["dagdeel"] for a in exported} == set(PartOfDay.values)
    assert {a["bereikt"] for a in exported} == {True, False}
    other = Case.objects.get(household__house_number=2)
    assert _case_of(document, other)["contactpogingen"] == []


def test_strings_that_need_escaping_are_written_as_json_dumps_writes_them(partner, caseworker):
    _deliver(
        partner, [_row(1, bsn="", huisnummertoevoeging="Ä-1"), _row(2, bsn="", huisnummertoevoeging='B"\\'), _row(3)]
    )
    _walk(CaseState.OUTREACH, Case.objects.get(household__house_number=3), caseworker)
    document, text, _ = _export([partner.municipalities.get()])  # checks every line against json.dumps
    suffixes = {s["client"].get("huisnummertoevoeging") for s in _signals(document).values()}
    assert suffixes == {"Ä-1", 'B"\\', None}
    assert "\\u00c4-1" in text  # escaped, as json.dumps does by default
    for value in ["1234AB", "bis", "", "Ä", 'a"b', "a\\b", "\x01", "1 A", "€"]:
        assert ddas._json_text(value) == json.dumps(value)


def test_contact_date_is_the_local_date(partner, caseworker):
    _deliver(partner, [_row(1)])
    case = Case.objects.get()
    _walk(CaseState.OUTREACH, case, caseworker)
    late = datetime.combine(RECEIVED + timedelta(days=2), time(23, 30), tzinfo=UTC)  # after midnight in NL
    contact_attempt_record(case_id=case.pk, user=caseworker, kind=ContactKind.PHONE, reached=False, attempted_at=late)
    document, _, _ = _export([case.municipality])
    [attempt] = _case_of(document, case)["contactpogingen"]
    assert attempt["datum"] == timezone.localtime(late).date().isoformat() == (RECEIVED + timedelta(days=3)).isoformat()
    assert attempt["dagdeel"] == PartOfDay.MORNING


def test_client_with_bsn_is_only_the_bsn_without_it_the_address(partner):
    _deliver(
        partner,
        [
            _row(1, bsn="999999990"),
            _row(2, bsn="", huisnummertoevoeging="a", geboortedatum="1980-05-17"),
            _row(3, bsn="", geboortedatum=""),
        ],
    )
    document, _, _ = _export([partner.municipalities.get()])
    clients = {
        Signal.objects.get(pk=int(i.split("-")[1])).house_number: s["client"] for i, s in _signals(document).items()
    }
    assert clients[1] == {"burgerservicenummer": "999999990"}
    assert clients[2] == {
        "postcode": "1234AB",
        "huisnummer": "2",
        "huisnummertoevoeging": "A",
        "geboortedatum": "1980-05-17",
    }
    assert clients[3] == {"postcode": "1234AB", "huisnummer": "3"}


@pytest.mark.parametrize(
    "amount, euros",
    [
        (Decimal("1248.50"), 1249),
        (Decimal("1248.49"), 1248),
        (Decimal("1248.51"), 1249),
        (Decimal("0.50"), 1),
        (Decimal("0.49"), 0),
        (Decimal("2.50"), 3),
        (Decimal("999999.99"), 1000000),
    ],
)
def test_whole_euros_rounds_half_up(amount, euros):
    assert whole_euros(amount) == euros


def test_amounts_are_whole_euros_rounded_half_up(partner):
    amounts = {1: "1248,50", 2: "1248,49", 3: "2,50", 4: "1.000,00"}
    _deliver(partner, [_row(n, bedrag_achterstand=a) for n, a in amounts.items()])
    document, _, _ = _export([partner.municipalities.get()])
    by_number = {
        Signal.objects.get(pk=int(i.split("-")[1])).house_number: s["bedrag"] for i, s in _signals(document).items()
    }
    assert by_number == {1: 1249, 2: 1248, 3: 3, 4: 1000}
    assert all(type(b) is int for b in by_number.values())


def _id(signal: Signal) -> str:
    return f"{signal.municipality.code}-{signal.pk}"


def test_ids_are_unique_stable_and_not_the_partners_reference(partner, municipality, other_municipality, caseworker):
    partner.municipalities.add(other_municipality)
    _deliver(partner, [_row(n, gemeentecode="9999" if n % 2 else "0363") for n in range(1, 9)])
    first, first_text, _ = _export([municipality, other_municipality])
    ids = [s["ID"] for lev in first["leveringen"] for s in lev["vroegsignalen"]]
    assert len(ids) == 8 and len(set(ids)) == 8
    assert "GEHEIMREF" not in first_text

    # Later: a new signal for household 1 (its open case), a new household, work on a case.
    _deliver(
        partner,
        [
            _row(1, partner_referentie="LATER-1", gemeentecode="9999", bedrag_achterstand="99,00"),
            _row(20, gemeentecode="0363"),
        ],
        received_on=RECEIVED + timedelta(days=1),
    )
    _walk(CaseState.CONTACT, Case.objects.get(household__house_number=3), caseworker)
    second, _, _ = _export([municipality, other_municipality], now=NOW + timedelta(days=30))
    again = _signals(second)
    assert len(again) == 10 and set(ids) <= set(again)
    for signal_id, item in _signals(first).items():
        assert again[signal_id]["client"] == item["client"]
        assert again[signal_id]["bedrag"] == item["bedrag"]
    assert {frozenset(s["ID"] for s in c["vroegsignalen"]) for c in _cases(second)} == {
        frozenset(_id(s) for s in case.signals.all()) for case in Case.objects.all()
    }
    household_1 = Case.objects.get(household__house_number=1, municipality=municipality)
    earlier, later = household_1.signals.order_by("pk")
    assert _id(earlier) in ids and _id(later) not in ids
    assert [s["ID"] for s in _case_of(second, household_1)["vroegsignalen"]] == [_id(earlier), _id(later)]


def test_a_case_refers_to_all_its_signals_and_its_matching_period(partner, caseworker):
    """Signals of one household in two periods: the second delivery's case lists both
    IDs, the delivery holds both signals (the first again, with its stable ID) and the
    matching period spans both receipts."""
    earlier = RECEIVED - timedelta(days=14)
    _deliver(partner, [_row(1, signaaldatum=(earlier - timedelta(days=1)).isoformat())], received_on=earlier)
    first, _, _ = _export([partner.municipalities.get()], start=earlier, end=earlier)
    [first_id] = _signals(first)
    _deliver(partner, [_row(1, partner_referentie="HUUR-2", bedrag_achterstand="2000,00")])
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(opened_at=datetime.combine(earlier, time(23, 15), tzinfo=UTC))

    second, _, counts = _export([case.municipality])
    assert counts == {"9999": {"signals": 2, "cases": 1}}
    first_again, second_id = _signals(second)
    assert first_again == first_id
    assert _signals(second)[first_id] == _signals(first)[first_id]
    [item] = _cases(second)
    assert [s["ID"] for s in item["vroegsignalen"]] == [first_id, second_id]
    assert item["startdatumMatchingperiode"] == earlier.isoformat()
    assert item["einddatumMatchingperiode"] == RECEIVED.isoformat()
    assert item["matchingsdatum"] == (earlier + timedelta(days=1)).isoformat()  # 00:15 in the Netherlands


def test_only_signals_received_in_the_period(partner):
    _deliver(partner, [_row(1)], received_on=START - timedelta(days=1))
    _deliver(partner, [_row(2)], received_on=START)
    _deliver(partner, [_row(3)], received_on=END)
    _deliver(partner, [_row(4)], received_on=END + timedelta(days=1))
    document, _, counts = _export([partner.municipalities.get()])
    numbers = sorted(Signal.objects.get(pk=int(i.split("-")[1])).house_number for i in _signals(document))
    assert numbers == [2, 3]
    assert counts == {"9999": {"signals": 2, "cases": 2}}
    in_cases = {s["ID"] for c in _cases(document) for s in c["vroegsignalen"]}
    assert in_cases == set(_signals(document))


def test_a_repeated_signal_is_exported_without_a_case(partner):
    _deliver(partner, [_row(1)], received_on=RECEIVED - timedelta(days=1))
    _deliver(partner, [_row(1, bedrag_achterstand="10,00")])  # same reference, not higher
    document, _, _ = _export([partner.municipalities.get()], start=RECEIVED, end=RECEIVED)
    [item] = _signals(document).values()
    assert item["status"] == SignalStatus.REPEATED
    assert _cases(document) == []


def test_no_names_addresses_phone_or_email_in_the_export(partner, caseworker):
    _deliver(partner, [_row(1), _row(2, bsn=""), _row(3, bsn="", voorletters="Q.X.")])
    case = Case.objects.get(household__house_number=2)
    _walk(CaseState.OUTREACH, case, caseworker)
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind=ContactKind.MAIL,
        reached=False,
        attempted_at=timezone.now() - timedelta(days=1),
        note="Mevrouw Zwartekoe gemaild",
    )
    _, text, _ = _export([partner.municipalities.get()])
    signal = Signal.objects.filter(bsn="").first()
    assert signal.phone and signal.email  # the data is there, the export leaves it out
    for value in [*SECRETS.values(), signal.phone, signal.email, signal.street, signal.city, "Q.X.", "GEHEIMREF"]:
        assert value.lower() not in text.lower(), value


def test_a_fixed_number_of_queries_however_many_cases(partner, monkeypatch):
    monkeypatch.setattr(ddas, "CHUNK_SIZE", 2)
    _deliver(partner, [_row(n) for n in range(1, 6)])
    municipality = partner.municipalities.get()
    with CaptureQueriesContext(connection) as queries:
        _, _, counts = _export([municipality])
    assert counts == {"9999": {"signals": 5, "cases": 5}}
    # the case selection (once); the signals; the cases; their signals; their attempts
    assert len(queries) == 5


@pytest.mark.postgres
def test_the_same_bytes_whatever_the_servers_date_style(partner, caseworker):
    """Dates come from the database as text: in ISO whatever DateStyle the server (or
    a pooler) gives the session."""
    _deliver(partner, [_row(1, bsn="999999990"), _row(2, bsn="", geboortedatum="1980-05-17")])
    case = Case.objects.order_by("pk").first()
    case_pick_up(case_id=case.pk, user=caseworker)
    contact_attempt_record(
        case_id=case.pk, user=caseworker, kind=ContactKind.PHONE, reached=True, attempted_at=_local(RECEIVED, 10)
    )
    municipality = partner.municipalities.get()
    _, iso, _ = _export([municipality])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL DateStyle = 'German'")
    _, german, _ = _export([municipality])
    assert german == iso


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_export_reads_one_snapshot(partner, monkeypatch):
    """Outside a caller's transaction (as the command runs) the export opens its own
    (on PostgreSQL a read-only REPEATABLE READ snapshot) and leaves none open."""
    # Committed intake would queue tasks on the broker: keep this test off it.
    monkeypatch.setattr("cases.listeners._queue_first_assessment", lambda: None)
    monkeypatch.setattr("vroeg.outbox.outbox_publish", lambda **kwargs: 0)
    _deliver(partner, [_row(1), _row(2)])
    municipality = partner.municipalities.get()
    with CaptureQueriesContext(connection) as queries:
        document, _, counts = _export([municipality])
    assert counts == {"9999": {"signals": 2, "cases": 2}}
    if connection.vendor == "postgresql":
        statements = [q["sql"] for q in queries if q["sql"] != "BEGIN"]
        assert statements[0] == "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
    assert not connection.in_atomic_block
    _deliver(partner, [_row(3)])  # writing works again afterwards
    assert Signal.objects.count() == 3


# --- issue 13: a delivery is self-contained, complete and consistent -----------------


def _local(day, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """That moment on the Dutch clock."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=timezone.get_current_timezone())


def _dated(received_on) -> dict:
    """Row dates that fit a signal received on `received_on`."""
    return {
        "signaaldatum": (received_on - timedelta(days=5)).isoformat(),
        "datum_ontstaan": (received_on - timedelta(days=90)).isoformat(),
    }


def _ids(case: Case) -> list[str]:
    return [_id(s) for s in case.signals.order_by("pk")]


def _statuses_fit_the_cases(document: dict) -> None:
    """A zaak that was picked up (it has datumOpgepakt: every picked-up end result
    has one) never lists a signal "Nog niet opgepakt"."""
    signals = _signals(document)
    for case in _cases(document):
        if "datumOpgepakt" in case:
            statuses = {signals[s["ID"]]["status"] for s in case["vroegsignalen"]}
            assert SignalStatus.NOT_PICKED_UP_YET not in statuses, case


def test_a_delivery_has_every_case_with_anything_in_the_period_with_all_its_signals(partner, caseworker):
    """Households 1-6 each have one thing in the period (the last 7 days): opened,
    picked up, a contact attempt, contact made, help accepted, closed. All their
    signals were received 40 days ago (6 also has a water signal of 39 days ago), so
    only the cases bring them in. 7 and 8 had everything before the period."""
    today = timezone.localdate()
    old = today - timedelta(days=40)
    on = old + timedelta(days=1)
    water = PartnerFactory(code="test-water", partner_type=PartnerType.WATER, signal_types=["drinkwater"])
    water.municipalities.add(partner.municipalities.get())
    _deliver(partner, [_row(n, **_dated(old)) for n in range(1, 9)], received_on=old)
    _deliver(water, [_row(6, partner_referentie="WATER-6", signaal_type="drinkwater", **_dated(on))], received_on=on)
    case = {n: Case.objects.get(household__house_number=n) for n in range(1, 9)}
    # Intake opened them today (a file booked back with --received-on); say 2-8 were
    # opened the day their signals came.
    Case.objects.exclude(pk=case[1].pk).update(opened_at=_local(old, 10))
    for n in (3, 4, 5, 6, 7):
        case_pick_up(case_id=case[n].pk, user=caseworker, on=on)
    case_pick_up(case_id=case[2].pk, user=caseworker, on=today - timedelta(days=2))
    contact_attempt_record(
        case_id=case[3].pk,
        user=caseworker,
        kind=ContactKind.PHONE,
        reached=False,
        attempted_at=_local(today - timedelta(days=1), 10),
    )
    case_make_contact(case_id=case[4].pk, user=caseworker, on=today - timedelta(days=3))
    case_make_contact(case_id=case[5].pk, user=caseworker, on=on)
    case_accept_help(case_id=case[5].pk, user=caseworker, on=today - timedelta(days=3))
    case_close(case_id=case[6].pk, user=caseworker, outcome=Outcome.NO_CONTACT)  # today
    contact_attempt_record(
        case_id=case[7].pk, user=caseworker, kind=ContactKind.LETTER, reached=False, attempted_at=_local(on, 10)
    )

    document, _, counts = _export([partner.municipalities.get()], start=today - timedelta(days=6), end=today)
    assert counts == {"9999": {"signals": 7, "cases": 6}}
    assert set(_signals(document)) == {i for n in range(1, 7) for i in _ids(case[n])}
    assert len(_ids(case[6])) == 2
    for n in range(1, 7):
        assert [s["ID"] for s in _case_of(document, case[n])["vroegsignalen"]] == _ids(case[n])
    closed = _case_of(document, case[6])
    assert closed["resultaat"] == Outcome.NO_CONTACT
    assert (closed["matchingsdatum"], closed["datumOpgepakt"]) == (old.isoformat(), on.isoformat())
    period = (closed["startdatumMatchingperiode"], closed["einddatumMatchingperiode"])
    assert period == (old.isoformat(), on.isoformat())
    assert {_signals(document)[i]["status"] for i in _ids(case[6])} == {SignalStatus.PICKED_UP}
    assert "datumOpgepakt" not in _case_of(document, case[1])
    assert _case_of(document, case[1])["matchingsdatum"] == today.isoformat()
    _statuses_fit_the_cases(document)

    # The period before (day 47 to 41 ago) had none of it: only nothing.
    municipality = partner.municipalities.get()
    document, _, counts = _export([municipality], start=old - timedelta(days=7), end=old - timedelta(days=1))
    assert counts == {"9999": {"signals": 0, "cases": 0}}


def test_the_period_is_counted_in_dutch_local_dates(partner, caseworker):
    """One day: a case opened at 00:00 on the Dutch clock is in, one opened a second
    before midnight the day before is not; likewise closings and contact attempts."""
    day = timezone.localdate() - timedelta(days=10)
    old = day - timedelta(days=30)
    _deliver(partner, [_row(n, **_dated(old)) for n in range(1, 7)], received_on=old)
    case = {n: Case.objects.get(household__house_number=n) for n in range(1, 7)}
    Case.objects.update(opened_at=_local(old, 10))
    Case.objects.filter(pk=case[1].pk).update(opened_at=_local(day, 0))
    Case.objects.filter(pk=case[2].pk).update(opened_at=_local(day - timedelta(days=1), 23, 59, 59))
    for n in (3, 4, 5, 6):
        case_pick_up(case_id=case[n].pk, user=caseworker, on=old + timedelta(days=1))
    for n in (3, 4):
        case_close(case_id=case[n].pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    Case.objects.filter(pk=case[3].pk).update(closed_at=_local(day, 23, 59, 59))
    Case.objects.filter(pk=case[4].pk).update(closed_at=_local(day + timedelta(days=1), 0))
    contact_attempt_record(
        case_id=case[5].pk, user=caseworker, kind=ContactKind.HOME_VISIT, reached=False, attempted_at=_local(day, 0)
    )
    contact_attempt_record(
        case_id=case[6].pk,
        user=caseworker,
        kind=ContactKind.HOME_VISIT,
        reached=False,
        attempted_at=_local(day - timedelta(days=1), 23, 59),
    )

    document, _, counts = _export([partner.municipalities.get()], start=day, end=day)
    assert counts == {"9999": {"signals": 3, "cases": 3}}
    assert set(_signals(document)) == {i for n in (1, 3, 5) for i in _ids(case[n])}


# Written from the DDAS EnumSignaalpartner definitions ("Energie: inzake de
# energierekening (elektriciteit, gas en/of warmte)", "Water: inzake de
# drinkwaterrekening", ...), one row per signaal_type of the Signaal-CSV contract.
DDAS_TYPE_OF_SIGNAL_TYPE = {
    "huur": "Huur",
    "drinkwater": "Water",
    "zorgverzekering": "Zorg",
    "elektra": "Energie",
    "gas": "Energie",
    "warmte": "Energie",
    "hypotheek": "Hypotheek",
    "cak_zorgverzekering": "CAK Zorgverzekeringen",
    "cak_eigen_bijdrage": "CAK Eigen bijdrage",
    "duo": "DUO",
    "belastingdienst": "Belastingdienst",
    "dienst_toeslagen": "Dienst Toeslagen",
    "overig": "Overige",
}
EXTRA_TYPES = [
    "hypotheek",
    "cak_zorgverzekering",
    "cak_eigen_bijdrage",
    "duo",
    "belastingdienst",
    "dienst_toeslagen",
    "overig",
]


def test_the_one_mapping_of_signal_types_to_ddas_partner_types():
    assert set(DDAS_TYPE_OF_SIGNAL_TYPE) == set(SignalType.values)  # every type of the contract
    assert dict(SIGNAL_TYPE_PARTNER_TYPE) == DDAS_TYPE_OF_SIGNAL_TYPE
    assert set(DDAS_TYPE_OF_SIGNAL_TYPE.values()) <= set(SCHEMA["$defs"]["EnumSignaalpartner"]["enum"])


def test_signaalpartner_type_is_the_type_of_the_signal_not_of_the_partner(partner):
    """A landlord whose agreement lists every extra type sends one of each: they are
    Hypotheek, DUO, Overige, ..., not Huur. The Bgs types come from their own sector."""
    municipality = partner.municipalities.get()
    senders = {
        "huur": PartnerFactory(code="t-huur", partner_type=PartnerType.HUUR, signal_types=["huur", *EXTRA_TYPES]),
        "water": PartnerFactory(code="t-water", partner_type=PartnerType.WATER, signal_types=["drinkwater"]),
        "zorg": PartnerFactory(code="t-zorg", partner_type=PartnerType.ZORG, signal_types=["zorgverzekering"]),
        "energie": PartnerFactory(
            code="t-energie", partner_type=PartnerType.ENERGIE, signal_types=["elektra", "gas", "warmte"]
        ),
    }
    for sender in senders.values():
        sender.municipalities.add(municipality)
    sent_by = {
        "drinkwater": "water",
        "zorgverzekering": "zorg",
        "elektra": "energie",
        "gas": "energie",
        "warmte": "energie",
    }
    rows: dict[str, list[dict]] = {}
    for n, signal_type in enumerate(DDAS_TYPE_OF_SIGNAL_TYPE, start=1):
        rows.setdefault(sent_by.get(signal_type, "huur"), []).append(
            _row(n, signaal_type=signal_type, partner_referentie=f"T-{signal_type}")
        )
    for sender, its_rows in rows.items():
        _deliver(senders[sender], its_rows)

    document, _, counts = _export([municipality])
    assert counts == {"9999": {"signals": 13, "cases": 13}}
    exported = {
        Signal.objects.get(pk=int(i.split("-")[1])).signal_type: s["signaalpartner"]
        for i, s in _signals(document).items()
    }
    assert exported == {t: {"type": ddas} for t, ddas in DDAS_TYPE_OF_SIGNAL_TYPE.items()}
    assert Signal.objects.get(signal_type="overig").partner.partner_type == PartnerType.HUUR


# Closing straight from 'new', written from the DDAS definitions: the "Niet opgepakt"
# results, "geen inwoner", "overleden" and "al bekend bij schuldhulpverlening" are
# signal statuses (the signals were not picked up); "Verwijzing zonder tussenkomst
# inwoner" means the municipality picked the signals up and referred the resident.
FROM_NEW = {
    Outcome.NOT_PICKED_UP_REPEAT: "Niet opgepakt: herhaalde melding",
    Outcome.NOT_PICKED_UP_UNJUSTIFIED: "Niet opgepakt: onterecht signaal",
    Outcome.NOT_PICKED_UP_OTHER: "Niet opgepakt: andere reden",
    Outcome.NOT_A_RESIDENT: "Persoon is geen inwoner (meer) in de gemeente",
    Outcome.DECEASED: "Inwoner is overleden",
    Outcome.KNOWN_TO_DEBT_HELP: "Inwoner al bekend bij schuldhulpverlening",
    Outcome.REFERRAL_WITHOUT_RESIDENT: "Opgepakt",
}


def test_every_end_result_from_new_is_listed_here():
    assert set(FROM_NEW) == set(OUTCOMES_BY_STATE[CaseState.NEW])


@pytest.mark.parametrize("outcome", list(FROM_NEW))
def test_closing_from_new_with_a_picked_up_result_picks_the_case_up_that_day(partner, caseworker, outcome):
    _deliver(partner, [_row(1)])
    case = Case.objects.get()
    case_close(case_id=case.pk, user=caseworker, outcome=outcome)
    case.refresh_from_db()
    picked_up = FROM_NEW[outcome] == "Opgepakt"
    assert case.picked_up_on == (timezone.localdate() if picked_up else None)

    document, _, _ = _export([case.municipality])
    [item] = _cases(document)
    assert item["resultaat"] == outcome
    assert item.get("datumOpgepakt") == (timezone.localdate().isoformat() if picked_up else None)
    assert [s["status"] for s in _signals(document).values()] == [FROM_NEW[outcome]]
    _statuses_fit_the_cases(document)


def test_reopening_a_case_closed_from_new_takes_its_pick_up_date_back(partner, caseworker, teamlead):
    _deliver(partner, [_row(1)])
    case = Case.objects.get()
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.REFERRAL_WITHOUT_RESIDENT)
    case_reopen(case_id=case.pk, user=teamlead, reason="Verkeerd eindresultaat gekozen")
    case.refresh_from_db()
    assert (case.state, case.picked_up_on) == (CaseState.NEW, None)
    document, _, _ = _export([case.municipality])
    [item] = _cases(document)
    assert "datumOpgepakt" not in item and "resultaat" not in item
    assert [s["status"] for s in _signals(document).values()] == [SignalStatus.NOT_PICKED_UP_YET]


def test_old_rows_closed_with_a_picked_up_result_without_pick_up_date_get_the_closing_date(partner, caseworker):
    """Rows closed before case_close set the pick-up date: the export gives the
    (Dutch) closing date, and the matching date is not after it."""
    _deliver(partner, [_row(1), _row(2)])
    referred, deceased = Case.objects.get(household__house_number=1), Case.objects.get(household__house_number=2)
    case_close(case_id=referred.pk, user=caseworker, outcome=Outcome.REFERRAL_WITHOUT_RESIDENT)
    case_close(case_id=deceased.pk, user=caseworker, outcome=Outcome.DECEASED)
    # As such a row looks: no pick-up date; closed at 23:30 UTC, after midnight in NL.
    closed_at = datetime.combine(RECEIVED + timedelta(days=2), time(23, 30), tzinfo=UTC)
    Case.objects.update(picked_up_on=None, closed_at=closed_at)

    document, _, _ = _export([referred.municipality])
    item = _case_of(document, referred)
    closing_day = (RECEIVED + timedelta(days=3)).isoformat()
    assert item["datumOpgepakt"] == closing_day
    assert item["matchingsdatum"] == closing_day  # opened today, after it: picked up, so matched by then
    assert "datumOpgepakt" not in _case_of(document, deceased)


def test_matchingsdatum_is_never_after_datum_opgepakt(partner, caseworker):
    """A file booked back (--received-on) is matched the day it is imported, but the
    case was picked up earlier: the pick-up date is the matching date. A case picked up
    after it was opened keeps its opening date."""
    _deliver(partner, [_row(1), _row(2)])  # received RECEIVED, imported (opened) today
    booked_back, in_order = Case.objects.get(household__house_number=1), Case.objects.get(household__house_number=2)
    Case.objects.filter(pk=in_order.pk).update(opened_at=_local(RECEIVED, 9))
    case_pick_up(case_id=booked_back.pk, user=caseworker, on=RECEIVED + timedelta(days=1))
    case_pick_up(case_id=in_order.pk, user=caseworker, on=RECEIVED + timedelta(days=2))

    document, _, _ = _export([partner.municipalities.get()])
    first, second = _case_of(document, booked_back), _case_of(document, in_order)
    assert (first["matchingsdatum"], first["datumOpgepakt"]) == ((RECEIVED + timedelta(days=1)).isoformat(),) * 2
    assert (second["matchingsdatum"], second["datumOpgepakt"]) == (
        RECEIVED.isoformat(),
        (RECEIVED + timedelta(days=2)).isoformat(),
    )
    for item in (first, second):
        assert (item["startdatumMatchingperiode"], item["einddatumMatchingperiode"]) == (RECEIVED.isoformat(),) * 2


def test_a_late_signal_joining_a_case_with_help_accepted_is_listed_as_picked_up(partner, caseworker):
    """The water company's signal arrives after help was accepted and joins the open
    case: the case was picked up, so its signals are "Opgepakt", also the late one,
    before and after the case closes with a result of help."""
    water = PartnerFactory(code="test-water", partner_type=PartnerType.WATER, signal_types=["drinkwater"])
    water.municipalities.add(partner.municipalities.get())
    _deliver(partner, [_row(1)])
    case = Case.objects.get()
    _walk(CaseState.HELP_ACCEPTED, case, caseworker)
    _deliver(
        water,
        [_row(1, partner_referentie="WATER-1", signaal_type="drinkwater")],
        received_on=RECEIVED + timedelta(days=2),
    )
    assert case.signals.count() == 2

    document, _, _ = _export([case.municipality])
    item = _case_of(document, case)
    assert item["datumOpgepakt"] == (RECEIVED + timedelta(days=1)).isoformat()
    assert [_signals(document)[s["ID"]]["status"] for s in item["vroegsignalen"]] == ["Opgepakt", "Opgepakt"]
    assert item["einddatumMatchingperiode"] == (RECEIVED + timedelta(days=2)).isoformat()

    plan_with_copy(case, caseworker)
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.BUDGET_ADVICE)
    document, _, _ = _export([case.municipality])
    item = _case_of(document, case)
    assert item["resultaat"] == Outcome.BUDGET_ADVICE
    assert [_signals(document)[s["ID"]]["status"] for s in item["vroegsignalen"]] == ["Opgepakt", "Opgepakt"]
    _statuses_fit_the_cases(document)


# --- the command --------------------------------------------------------------------


def _command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_ddas", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _period(start=START, end=END) -> list[str]:
    return ["--start", start.isoformat(), "--end", end.isoformat()]


def test_command_writes_a_valid_file(partner, municipality, other_municipality, tmp_path):
    partner.municipalities.add(other_municipality)
    _deliver(partner, [_row(1, gemeentecode="9999"), _row(2, gemeentecode="0363"), _row(3, gemeentecode="0363")])
    target = tmp_path / "ddas.json"
    out, _ = _command("--municipality", "9999", "--municipality", "0363", *_period(), "--output", str(target))
    document = json.loads(target.read_text(encoding="utf-8"))
    assert _errors(document) == []
    assert [lev["gemeentecode"] for lev in document["leveringen"]] == ["9999", "0363"]
    assert [len(lev["vroegsignalen"]) for lev in document["leveringen"]] == [1, 2]
    assert "Gemeente 9999 (Voorbeeldstad): 1 vroegsignalen, 1 vroegsignaalzaken" in out
    assert "Gemeente 0363 (Amsterdam): 2 vroegsignalen, 2 vroegsignaalzaken" in out
    assert os.listdir(tmp_path) == ["ddas.json"]  # no temporary file left
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds BSNs


def test_command_to_stdout_keeps_the_summary_out_of_the_json(partner, municipality):
    _deliver(partner, [_row(1)])
    out, err = _command("--municipality", "9999", *_period(), "--output", "-")
    document = json.loads(out)
    assert _errors(document) == []
    assert len(document["leveringen"][0]["vroegsignalen"]) == 1
    assert "Gemeente 9999 (Voorbeeldstad): 1 vroegsignalen" in err


def test_command_replaces_an_earlier_file_only_when_complete(partner, municipality, tmp_path, monkeypatch):
    target = tmp_path / "ddas.json"
    target.write_text("vorige levering")

    def failing_export(*, out, **kwargs):
        out.write('{"startdatumLevering":')
        raise RuntimeError("database weg")

    monkeypatch.setattr("reports.management.commands.export_ddas.ddas_export", failing_export)
    with pytest.raises(RuntimeError):
        _command("--municipality", "9999", *_period(), "--output", str(target))
    assert target.read_text() == "vorige levering"
    assert os.listdir(tmp_path) == ["ddas.json"]


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "alleen-lezen"
        folder.mkdir()
        folder.chmod(0o500)
        return folder
    if not sys.platform.startswith("linux"):
        pytest.skip("needs a folder that root cannot write to")
    return Path("/sys")  # not even root may create files there


BAD_INPUT = {
    "unknown municipality": ({"--municipality": "1234"}, "ok", "Onbekende gemeentecode: 1234"),
    "inactive municipality": ({"--municipality": "0001"}, "ok", "Gemeente niet actief: Oudgemeente (0001)"),
    "bad start date": (
        {"--start": "2026-13-01"},
        "ok",
        "Ongeldige datum bij --start: '2026-13-01'. Gebruik JJJJ-MM-DD",
    ),
    "bad end date": ({"--end": "30-11-2026"}, "ok", "Ongeldige datum bij --end: '30-11-2026'"),
    "start after end": (
        {"--start": "2026-12-01", "--end": "2026-11-30"},
        "ok",
        "De startdatum (01-12-2026) ligt na de einddatum (30-11-2026).",
    ),
    "missing folder": ({}, "missing", "De map {folder} bestaat niet."),
    "unwritable folder": ({}, "unwritable", "Kan niet schrijven in de map {folder}: geen schrijfrechten."),
    "output is a folder": ({}, "is a folder", "{folder} is een map. Geef de naam van een bestand op."),
}


@pytest.mark.parametrize("bad", BAD_INPUT, ids=list(BAD_INPUT))
def test_command_refuses_bad_input_with_exit_status_1(partner, municipality, tmp_path, bad):
    MunicipalityFactory(code="0001", name="Oudgemeente", active=False)
    _deliver(partner, [_row(1)])
    changes, where, message = BAD_INPUT[bad]
    if where == "missing":
        folder = tmp_path / "bestaat-niet"
    elif where == "unwritable":
        folder = _unwritable(tmp_path)
    else:
        folder = tmp_path
    target = folder if where == "is a folder" else folder / "ddas.json"
    options = {
        "--municipality": "9999",
        "--start": START.isoformat(),
        "--end": END.isoformat(),
        "--output": str(target),
        **changes,
    }
    with pytest.raises(CommandError) as refused:
        _command(*[part for pair in options.items() for part in pair])
    assert refused.value.returncode == 1  # BaseCommand exits with it
    assert message.format(folder=folder) in str(refused.value)
    assert not (folder / "ddas.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "alleen-lezen"] == []


def test_command_refuses_settings_that_give_no_valid_delivery(municipality, tmp_path, settings):
    settings.DDAS_SUPPLIER_CODE = ""
    with pytest.raises(CommandError) as refused:
        _command("--municipality", "9999", *_period(), "--output", str(tmp_path / "ddas.json"))
    assert refused.value.returncode == 1
    assert "De DDAS-instellingen kloppen niet: DDAS_SUPPLIER_CODE is leeg" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_command_in_a_real_process_exits_1_with_a_dutch_message(tmp_path):
    """The exit status the shell sees (the test database is empty for this process:
    the test's own rows are not committed, so the code is unknown)."""
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db()}
    target = tmp_path / "ddas.json"
    for args, message in [
        (["--municipality", "9999", *_period(), "--output", str(target)], "Onbekende gemeentecode: 9999"),
        (["--municipality", "9999", "--start", "2026-11-01", "--output", str(target)], "fout in de opdracht"),
    ]:
        done = subprocess.run(
            [sys.executable, "manage.py", "export_ddas", *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert message in done.stderr
        assert done.stdout == ""
    assert list(tmp_path.iterdir()) == []
