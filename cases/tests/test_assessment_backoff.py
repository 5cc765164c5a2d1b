"""The first assessment while the BRP answers errors (a wrong API key, an outage):
every case is still assessed, the BRP is not asked over and over, a case whose BRP
check failed is retried later with a growing delay, and the team leads hear it once a
day (issue 14)."""

import signal
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.assessment import cases_assess_pending
from cases.models import Case, Finding, FindingKind
from cases.tasks import assess_pending
from testkit.brp_server import API_KEY, BrpStandIn
from testkit.factories import CaseFactory, MunicipalityFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db

CASES = 230  # more than one batch of 200


@pytest.fixture
def brp(settings):
    stand_in = BrpStandIn([])
    settings.VROEG_BRP_BACKEND = "haalcentraal"
    settings.VROEG_BRP_API_URL = stand_in.url
    settings.VROEG_BRP_API_KEY = API_KEY
    yield stand_in
    stand_in.close()


@contextmanager
def at_most(seconds: float):
    """Fail instead of hanging when the code under test never returns."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _pending_cases(partner) -> list[int]:
    """CASES households, one resident each (no BSN), all waiting for assessment."""
    born = date(1950, 1, 1)
    rows = [
        row(
            partner_referentie=f"R{i:04d}",
            bsn="",
            huisnummer=str(i + 1),
            geboortedatum=(born + timedelta(days=i)).isoformat(),
        )
        for i in range(CASES)
    ]
    deliver(partner, csv_bytes(rows))
    ids = list(Case.objects.filter(needs_assessment=True).order_by("pk").values_list("pk", flat=True))
    assert len(ids) == CASES
    return ids


def _assessed(kind: str) -> int:
    return Case.objects.filter(findings__kind=kind).distinct().count()


def test_brp_errors_neither_stall_the_queue_nor_flood_the_brp(
    brp, partner, municipality, teamlead, make_user, caseworker
):
    _pending_cases(partner)
    elsewhere = MunicipalityFactory(code="0363", name="Amsterdam")  # after intake: rows name no gemeentecode
    other_lead = make_user("teamlead", username="tl-elders", municipalities=[elsewhere])
    brp.force_status = 401  # a wrong API key

    with at_most(30):
        assess_pending()  # what beat runs every two minutes

    # Every case was assessed (also case 201 onwards); the BRP was not asked 230 times.
    assert _assessed(FindingKind.DEBT_HELP) == _assessed(FindingKind.QUALITY) == CASES
    assert _assessed(FindingKind.BRP) == CASES
    assert brp.calls <= 5
    summaries = set(Finding.objects.filter(kind=FindingKind.BRP).values_list("summary", flat=True))
    assert any("API-sleutel" in s for s in summaries)
    assert all("BRP niet gecontroleerd" in s for s in summaries)
    # Each case waits for its BRP check, later, not in the next run.
    first_run = timezone.now()
    waiting = Case.objects.filter(needs_assessment=True)
    assert waiting.count() == CASES
    assert not waiting.filter(assess_after__lte=first_run + timedelta(minutes=5)).exists()

    # The team lead of the municipality hears it, once; nobody else does.
    [notice] = Notification.objects.filter(user=teamlead)
    assert "BRP" in notice.subject and "Voorbeeldstad" in notice.subject
    assert "API-sleutel" in notice.body and "later opnieuw" in notice.body
    assert not Notification.objects.filter(user__in=[other_lead, caseworker]).exists()

    # The next run, two minutes later, leaves the BRP alone.
    calls = brp.calls
    with at_most(30):
        assess_pending()
    assert brp.calls == calls

    # Later the cases are retried; the BRP still fails: a longer delay, no second notice today.
    retry = cases_assess_pending(limit=1000, now=first_run + timedelta(minutes=15))
    assert retry == CASES
    assert brp.calls - calls <= 5
    assert not Case.objects.filter(assess_after__lte=first_run + timedelta(minutes=15 + 15)).exists()
    assert Notification.objects.filter(user=teamlead).count() == 1

    # The key is fixed: the next attempt checks every case and the queue is clear.
    brp.force_status = None
    done = cases_assess_pending(limit=1000, now=first_run + timedelta(hours=2))
    assert done == CASES
    assert not Case.objects.filter(needs_assessment=True).exists()
    assert not Case.objects.filter(findings__kind=FindingKind.BRP, findings__result="error").exists()
    assert brp.violations == []


def test_a_single_case_that_keeps_failing_is_told_to_the_team_lead(brp, partner, municipality, teamlead):
    """A few pending cases never fail three in a row in one run; three failed
    attempts of one case (10, 20 minutes apart) are enough to say the BRP keeps failing."""
    case = CaseFactory(household__municipality=municipality, signals=[partner], signals__resident__bsn="")
    brp.force_status = 503
    assert cases_assess_pending() == 1
    assert cases_assess_pending() == 0  # not again in the next run
    assert not Notification.objects.filter(user=teamlead).exists()  # one failure is no outage
    case.refresh_from_db()
    delays = [case.assess_after - timezone.now()]
    for attempt in range(2):  # time passes until the case is due again, twice
        now = case.assess_after
        assert cases_assess_pending(now=now) == 1
        assert cases_assess_pending(now=now) == 0
        case.refresh_from_db()
        delays.append(case.assess_after - now)
        if attempt == 0:
            assert not Notification.objects.filter(user=teamlead).exists()
    assert delays[0] < delays[1] < delays[2]  # a growing delay
    [notice] = Notification.objects.filter(user=teamlead)
    assert "fout (503)" in notice.body
