"""The first assessment: BRP, known to debt help, quality; confirmed with one click."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.assessment import BrpRun, case_assess, cases_assess_pending
from cases.brp import BrpResult
from cases.models import Case, CaseState, FindingKind, Outcome
from cases.services import CaseActionRefused, finding_confirm, finding_record_brp_check
from signals.models import SignalStatus
from testkit.brp_server import API_KEY, BrpPerson, BrpStandIn
from testkit.factories import CaseFactory, SignalFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db


def _case(partner, *rows) -> Case:
    deliver(partner, csv_bytes(list(rows) or [row()]))
    return Case.objects.order_by("-pk").first()


def _by_kind(case):
    return {f.kind: f for f in case.findings.all()}


def test_intake_marks_new_cases_for_assessment_and_the_job_clears_it(partner):
    case = _case(partner)
    assert case.needs_assessment
    assert cases_assess_pending() == 1
    case.refresh_from_db()
    assert not case.needs_assessment
    assert set(_by_kind(case)) == {FindingKind.BRP, FindingKind.DEBT_HELP, FindingKind.QUALITY}


def test_without_brp_backend_the_finding_says_not_checked(partner):
    case = _case(partner)
    case_assess(case_id=case.pk)
    brp = _by_kind(case)[FindingKind.BRP]
    assert brp.result == BrpResult.NOT_CHECKED
    assert brp.summary.startswith("J. de Vries: ")
    assert brp.source == "geen BRP-koppeling ingesteld" and brp.checked_at


@pytest.fixture
def brp_backend(settings):
    stand_in = BrpStandIn([BrpPerson("999999990", "Vries", "1980-05-17", "0363", "1011AA", 1)])
    settings.VROEG_BRP_BACKEND = "haalcentraal"
    settings.VROEG_BRP_API_URL = stand_in.url
    settings.VROEG_BRP_API_KEY = API_KEY
    yield stand_in
    stand_in.close()


def test_brp_finding_suggests_not_a_resident_and_one_click_closes(partner, brp_backend, caseworker):
    case = _case(partner)
    case_assess(case_id=case.pk)
    brp = _by_kind(case)[FindingKind.BRP]
    assert brp.result == BrpResult.NOT_A_RESIDENT
    assert brp.suggested_outcome == Outcome.NOT_A_RESIDENT
    assert brp.source == "BRP API Personen (Haal Centraal)"
    case.refresh_from_db()
    assert case.state == CaseState.NEW  # never applied by itself
    case = finding_confirm(finding_id=brp.pk, user=caseworker)
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.NOT_A_RESIDENT)
    assert set(case.signals.values_list("status", flat=True)) == {SignalStatus.NOT_A_RESIDENT}
    brp.refresh_from_db()
    assert brp.confirmed_by == caseworker
    with pytest.raises(CaseActionRefused):
        finding_confirm(finding_id=brp.pk, user=caseworker)


def test_brp_unreachable_is_reported_and_retried(partner, settings):
    settings.VROEG_BRP_BACKEND = "haalcentraal"
    settings.VROEG_BRP_API_URL = "http://127.0.0.1:9/brp"
    settings.VROEG_BRP_TIMEOUT = 1
    case = _case(partner)
    case_assess(case_id=case.pk)
    assert "niet bereikbaar" in _by_kind(case)[FindingKind.BRP].summary
    case.refresh_from_db()
    assert case.needs_assessment  # the next run tries again


def test_manual_brp_check(partner, caseworker):
    case = _case(partner)
    finding = finding_record_brp_check(
        case_id=case.pk, user=caseworker, result=BrpResult.DECEASED, note="Overleden volgens de BRP op 1-10-2026"
    )
    assert finding.suggested_outcome == Outcome.DECEASED
    assert finding.source.startswith("handmatig gecontroleerd door")
    case_assess(case_id=case.pk)  # a rerun keeps what a person recorded
    assert case.findings.filter(pk=finding.pk).exists()


def test_known_to_debt_help_by_bsn_and_by_name(partner, municipality, tmp_path, caseworker):
    register = tmp_path / "register.csv"
    register.write_text(
        "bsn;achternaam;voorvoegsel;geboortedatum;postcode;huisnummer\n"
        "999999990;;;;;\n"
        ";Bakker;;1970-01-01;1234 AB;14\n"
        "123;;;;;\n"
        ";Zonder;;;;\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_debt_help_register", str(register), municipality="9999", stdout=out)
    assert "2 cliënten, 2 regels overgeslagen" in out.getvalue()

    by_bsn = _case(partner)
    case_assess(case_id=by_bsn.pk)
    finding = _by_kind(by_bsn)[FindingKind.DEBT_HELP]
    assert finding.suggested_outcome == Outcome.KNOWN_TO_DEBT_HELP
    assert finding.source.startswith("register schuldhulpverlening van ")

    by_name = _case(
        partner,
        row(
            partner_referentie="B",
            bsn="",
            voorvoegsel="",
            achternaam="BAKKER",
            geboortedatum="01-01-1970",
            huisnummer="14",
        ),
    )
    case_assess(case_id=by_name.pk)
    assert _by_kind(by_name)[FindingKind.DEBT_HELP].result == "known"

    stranger = _case(partner, row(partner_referentie="C", bsn="", achternaam="Visser", huisnummer="20"))
    case_assess(case_id=stranger.pk)
    assert _by_kind(stranger)[FindingKind.DEBT_HELP].result == "not_known"


def test_quality_suggests_unjustified_only_when_every_signal_fails(partner):
    low = _case(partner, row(bedrag_achterstand="50,00"))
    case_assess(case_id=low.pk)
    [quality] = low.findings.filter(kind=FindingKind.QUALITY)
    assert "bedrag € 50,00 onder de drempel van € 75,00" in quality.summary
    assert quality.suggested_outcome == Outcome.NOT_PICKED_UP_UNJUSTIFIED

    mixed = _case(
        partner,
        row(partner_referentie="OK", huisnummer="30"),
        row(partner_referentie="OUD", huisnummer="30", datum_ontstaan="2024-01-01"),
    )
    case_assess(case_id=mixed.pk)
    [quality] = mixed.findings.filter(kind=FindingKind.QUALITY)
    assert "achterstand van" in quality.summary and "buiten 30–365 dagen voor huur" in quality.summary
    assert quality.suggested_outcome == ""


def test_threshold_is_per_municipality(partner, municipality):
    municipality.min_signal_amount = 40
    municipality.save()
    case = _case(partner, row(bedrag_achterstand="50,00"))
    case_assess(case_id=case.pk)
    assert _by_kind(case)[FindingKind.QUALITY].result == "ok"


def test_the_first_assessment_works_in_sets_not_case_by_case(partner, municipality, tmp_path):
    """A 200,000-row delivery was assessed at 36–55 cases a second, a few queries per
    case: now a set of cases costs the same handful of queries however large it is."""
    register = tmp_path / "register.csv"
    register.write_text("bsn;achternaam\n999999990;\n", encoding="utf-8")
    call_command("import_debt_help_register", str(register), municipality=municipality.code, stdout=io.StringIO())

    def queries_for(count: int) -> int:
        cases = [CaseFactory(signals=[partner], needs_assessment=True) for _ in range(count)]
        with CaptureQueriesContext(connection) as queries:
            assert cases_assess_pending(limit=1000) == count
        assert not Case.objects.filter(needs_assessment=True).exists()
        assert all(c.findings.filter(kind=FindingKind.DEBT_HELP, result="known").exists() for c in cases)
        return len(queries)

    # Constant on PostgreSQL; SQLite splits a bulk statement past its variable limit.
    assert queries_for(3) <= queries_for(40) <= queries_for(3) + (0 if connection.vendor == "postgresql" else 2)


class _IntakeDuringTheRun(BrpRun):
    """While the set asks the BRP, intake adds a signal to the first case."""

    def __init__(self, case, partner):
        super().__init__()
        self.case, self.partner, self.done = case, partner, False

    def check(self, person, *, municipality):
        if not self.done:
            self.done = True
            SignalFactory(case=self.case, partner=self.partner, partner_referentie="LATER")
        return super().check(person, municipality=municipality)


def test_a_signal_that_joins_a_case_during_its_assessment_keeps_it_pending(partner):
    case, other = CaseFactory(signals=[partner], needs_assessment=True), CaseFactory(signals=[partner])
    Case.objects.filter(pk=other.pk).update(needs_assessment=True)
    assert cases_assess_pending(brp=_IntakeDuringTheRun(case, partner)) == 2
    case.refresh_from_db()
    other.refresh_from_db()
    assert case.needs_assessment and not other.needs_assessment  # assessed again on the next run
    assert cases_assess_pending() == 1 and not Case.objects.filter(needs_assessment=True).exists()


def test_a_slow_brp_makes_a_set_save_what_it_did_instead_of_starting_over(partner, monkeypatch):
    for _ in range(3):
        CaseFactory(signals=[partner], needs_assessment=True)
    monkeypatch.setattr("cases.assessment.BRP_TIME_BUDGET", timedelta(0))
    assert cases_assess_pending(limit=200) == 1  # the budget is spent after the first case
    assert Case.objects.filter(needs_assessment=True).count() == 2
