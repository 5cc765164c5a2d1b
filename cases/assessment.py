"""The first assessment of a case: BRP, known to debt help, signal quality, and a
partner's crisis signal to judge (cases/crisis.py).

Runs when a case is created or gets a new signal (intake sets `needs_assessment`;
beat runs `cases.assess_pending` on its own queue), for a set of cases at a time:
a few queries and one transaction per set, the BRP asked person by person. Each finding records its source and time and
may suggest an end result; nothing is applied until the caseworker confirms. A
partner's crisis signal is a proposal the case page shows ("beoordeel of de situatie
bedreigend is") until a caseworker judges it, unless the municipality lets the
assessment judge it threatening itself (`crisis_auto_judgement`): then it does so on
the day it runs.

While the BRP answers errors (a wrong API key, an outage) the rest of the assessment
goes on without it. A case whose BRP check failed is tried again later, not in the next
run: after BRP_RETRY_FIRST, twice as long after each further failure, at most
BRP_RETRY_MAX. Within one run, after BRP_FAILURES_IN_A_ROW failures in a row for a
municipality the BRP is not asked again for it; its team leads are told once a day
when the BRP keeps failing (that many failures in a row, in one run or for one case).
"""

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from signals.models import Signal
from vroeg.accounts.selectors import team_leads_of
from vroeg.dutch import normalise_name
from vroeg.formatting import euro
from vroeg.notifications.services import notification_create

from .brp import BrpCheck, BrpError, BrpResult, Person, brp_check
from .crisis import crisis_proposal_auto_judge
from .models import Case, DebtHelpClient, Finding, FindingKind, Outcome

BRP_SUGGESTIONS = {
    BrpResult.NOT_A_RESIDENT: Outcome.NOT_A_RESIDENT,
    BrpResult.DECEASED: Outcome.DECEASED,
}
DEFAULT_ARREARS_WINDOWS = {  # days between the arrears arising and the signal
    "huur": (30, 365),
    "drinkwater": (30, 365),
    "elektra": (30, 365),
    "gas": (30, 365),
    "warmte": (30, 365),
    "zorgverzekering": (60, 730),
}


BRP_RETRY_FIRST = timedelta(minutes=10)
BRP_RETRY_MAX = timedelta(hours=4)
BRP_FAILURES_IN_A_ROW = 3
# How long one set may spend asking the BRP before it saves what it has (well within
# the task's time limit, so a slow BRP never makes a set start over).
BRP_TIME_BUDGET = timedelta(minutes=3)


def arrears_windows() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_ARREARS_WINDOWS, **settings.VROEG_ARREARS_WINDOWS}


def brp_retry_delay(failures: int) -> timedelta:
    """The wait after the n-th failed BRP check of a case in a row: 10, 20, 40, 80 and
    160 minutes, then every 4 hours."""
    return min(BRP_RETRY_FIRST * 2 ** min(max(failures, 1) - 1, 16), BRP_RETRY_MAX)


class BrpRun:
    """The BRP's answers during one run of the assessment, per municipality: after
    BRP_FAILURES_IN_A_ROW errors in a row it is not asked again in this run."""

    def __init__(self) -> None:
        self.failures_in_a_row: dict[int, int] = {}
        self.last_error: dict[int, str] = {}
        self.told: set[int] = set()

    def paused(self, municipality_id: int) -> bool:
        return self.failures_in_a_row.get(municipality_id, 0) >= BRP_FAILURES_IN_A_ROW

    def check(self, person: Person, *, municipality) -> BrpCheck:
        if self.paused(municipality.pk):
            raise BrpError(
                f"De BRP is niet gevraagd na {BRP_FAILURES_IN_A_ROW} fouten op rij. "
                f"Laatste fout: {self.last_error[municipality.pk]}"
            )
        try:
            check = brp_check(person, municipality_code=municipality.code)
        except BrpError as error:
            self.failures_in_a_row[municipality.pk] = self.failures_in_a_row.get(municipality.pk, 0) + 1
            self.last_error[municipality.pk] = error.message
            raise
        self.failures_in_a_row[municipality.pk] = 0
        return check

    def tell_team_leads(self, municipality, *, message: str, now: datetime) -> int:
        """Once a day (unique keys), and once per run: the BRP keeps failing."""
        if municipality.pk in self.told:
            return 0
        self.told.add(municipality.pk)
        today = timezone.localdate(now)
        told = 0
        for lead in team_leads_of(municipality_ids=[municipality.pk]):
            notification = notification_create(
                user=lead,
                key=f"brp-failing:{municipality.pk}:{lead.pk}:{today.isoformat()}",
                subject=f"BRP-controle mislukt steeds ({municipality.name})",
                body=(
                    f"De eerste beoordeling kan de BRP niet raadplegen: {message}\n\n"
                    "De andere controles gaan door. Zaken waarvan de BRP-controle mislukte, "
                    "worden later opnieuw gecontroleerd, met steeds langere tussenpozen (tot "
                    f"{BRP_RETRY_MAX // timedelta(hours=1)} uur). Vraag de functioneel beheerder de "
                    "BRP-koppeling na te kijken; tot die werkt kan een medewerker de BRP-controle "
                    "op de zaakpagina met de hand vastleggen."
                ),
                url=reverse("caseworker-dashboard"),
            )
            told += notification is not None
        return told


ASSESSMENT_LOCK_ID = 7_114_201  # pg_try_advisory_lock key: one assessment run at a time


@contextmanager
def assessment_run() -> Iterator[bool]:
    """True for the one run that may assess now; False while another runs (two runs
    would ask the BRP twice for the same cases). SQLite: always True."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ASSESSMENT_LOCK_ID])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ASSESSMENT_LOCK_ID])


@dataclass
class _Assessed:
    case: Case
    findings: list[Finding]
    failed: bool


def case_assess(*, case_id: int, now: datetime | None = None, brp: BrpRun | None = None) -> list[Finding]:
    """Replace the case's automatic, unconfirmed findings with fresh ones. A failed BRP
    check leaves the case waiting for another attempt, after a delay that grows with
    each failure in a row."""
    case = Case.objects.select_related("municipality", "household").get(pk=case_id)
    [done] = _assess_cases([case], now=now or timezone.now(), brp=brp or BrpRun())
    return done.findings


def cases_assess_pending(*, limit: int = 200, now: datetime | None = None, brp: BrpRun | None = None) -> int:
    """Assess open cases waiting for it whose BRP retry (if any) is due, as one set:
    a handful of queries and one transaction for `limit` cases (only the BRP is asked
    person by person); returns how many were done. A case whose BRP check fails is not
    due again in this run, so calling this until it returns less than `limit` ends
    (also when a slow BRP made the set stop early: the rest waits for the next run)."""
    now = now or timezone.now()
    pending = list(
        Case.objects.filter(needs_assessment=True, closed_at__isnull=True)
        .filter(Q(assess_after__isnull=True) | Q(assess_after__lte=now))
        .select_related("municipality", "household")
        .order_by("pk")[:limit]
    )
    return len(_assess_cases(pending, now=now, brp=brp or BrpRun())) if pending else 0


def _assess_cases(cases: list[Case], *, now: datetime, brp: BrpRun) -> list[_Assessed]:
    """The one definition of the first assessment, for one case or a set of them."""
    signals_by_case: dict[int, list] = defaultdict(list)
    for signal in (
        Signal.objects.filter(case__in=cases).select_related("resident").order_by("case_id", "received_on", "pk")
    ):
        signals_by_case[signal.case_id].append(signal)
    register = _DebtHelpRegister.for_signals(cases, signals_by_case)
    done = []
    budget = time.monotonic() + BRP_TIME_BUDGET.total_seconds()
    for case in cases:  # the BRP is outside the transaction: it may be slow
        if done and time.monotonic() > budget:
            break  # a slow BRP: save what is done; the rest stays pending for the next run
        signals = signals_by_case[case.pk]
        brp_findings = _brp_findings(case, signals, now, brp)
        failed = [f for f in brp_findings if f.result == "error"]
        case.assessment_failures = case.assessment_failures + 1 if failed else 0
        case.assess_after = now + brp_retry_delay(case.assessment_failures) if failed else None
        case.needs_assessment = bool(failed)
        for finding in failed:
            again = timezone.localtime(case.assess_after)
            finding.summary = f"{finding.summary} Nieuwe poging vanaf {again:%d-%m-%Y %H:%M}."[:300]
        findings = brp_findings + [register.finding(case, signals, now)] + _quality_findings(case, signals, now)
        done.append(_Assessed(case, findings, bool(failed)))
    with transaction.atomic():
        # A signal that joined a case meanwhile (intake) keeps it pending: assessed again.
        counts = dict(
            Case.objects.select_for_update().filter(pk__in=[d.case.pk for d in done]).values_list("pk", "signal_count")
        )
        for d in done:
            if counts.get(d.case.pk) != d.case.signal_count:
                d.case.needs_assessment = True
        assessed = [d.case for d in done]
        Finding.objects.filter(case__in=assessed, checked_by__isnull=True, confirmed_at__isnull=True).delete()
        Finding.objects.bulk_create([f for d in done for f in d.findings])
        Case.objects.bulk_update(assessed, ["needs_assessment", "assessment_failures", "assess_after"])
    for d in done:
        case = d.case
        if d.failed and (brp.paused(case.municipality_id) or case.assessment_failures >= BRP_FAILURES_IN_A_ROW):
            brp.tell_team_leads(case.municipality, message=brp.last_error.get(case.municipality_id, ""), now=now)
        if case.crisis_proposed_on is not None and case.municipality.crisis_auto_judgement:
            crisis_proposal_auto_judge(case_id=case.pk, today=timezone.localdate(now))
    return done


def _people(signals):
    seen = {}
    for signal in signals:
        if signal.resident_id and signal.resident_id not in seen:
            seen[signal.resident_id] = signal
    return list(seen.values())


def _brp_findings(case, signals, now, brp: BrpRun) -> list[Finding]:
    findings = []
    for signal in _people(signals):
        person = Person(
            surname=signal.surname,
            prefix=signal.prefix,
            bsn=signal.bsn,
            birth_date=signal.birth_date,
            postcode=signal.postcode,
            house_number=signal.house_number,
            house_number_suffix=signal.house_number_suffix,
        )
        who = " ".join(p for p in (signal.initials, signal.prefix, signal.surname) if p)
        try:
            check = brp.check(person, municipality=case.municipality)
        except BrpError as error:
            findings.append(
                Finding(
                    case=case,
                    kind=FindingKind.BRP,
                    result="error",
                    summary=f"{who}: BRP niet gecontroleerd. {error.message}",
                    source="BRP API Personen",
                    checked_at=now,
                )
            )
            continue
        label = BrpResult(check.result).label
        summary = f"{who}: {label}" + (f". {check.detail}" if check.detail else "")
        findings.append(
            Finding(
                case=case,
                kind=FindingKind.BRP,
                result=check.result,
                summary=summary[:300],
                suggested_outcome=BRP_SUGGESTIONS.get(check.result, ""),
                source=check.source,
                checked_at=now,
            )
        )
    return findings


@dataclass
class _DebtHelpRegister:
    """What the register of current debt-help clients knows of a set of cases: the
    matching rows and each municipality's last import, read in two queries."""

    bsns: set[tuple[int, str]]  # (municipality, BSN)
    people: set[tuple]  # (municipality, name key, birth date, postcode, house number)
    latest: dict[int, datetime]

    @classmethod
    def for_signals(cls, cases: list[Case], signals_by_case: dict[int, list]) -> "_DebtHelpRegister":
        towns = {c.municipality_id for c in cases}
        signals = [s for c in cases for s in signals_by_case[c.pk]]
        bsns = {s.bsn for s in signals if s.bsn}
        names = {normalise_name(s.prefix, s.surname) for s in signals if s.birth_date}
        born = {s.birth_date for s in signals if s.birth_date}
        rows = DebtHelpClient.objects.filter(municipality_id__in=towns).filter(
            Q(bsn__in=bsns) | Q(name_key__in=names, birth_date__in=born)
        )
        found_bsns, found_people = set(), set()
        for town, bsn, name, birth, postcode, number in rows.values_list(
            "municipality_id", "bsn", "name_key", "birth_date", "postcode", "house_number"
        ):
            if bsn:
                found_bsns.add((town, bsn))
            found_people.add((town, name, birth, postcode, number))
        latest = dict(
            DebtHelpClient.objects.filter(municipality_id__in=towns)
            .values("municipality_id")
            .annotate(last=Max("imported_at"))
            .values_list("municipality_id", "last")
        )
        return cls(found_bsns, found_people, latest)

    def knows(self, case: Case, signals: list) -> bool:
        """Any signal's BSN, or its name, birth date and address, is in the register."""
        town = case.municipality_id
        return any(
            (s.bsn and (town, s.bsn) in self.bsns)
            or (
                s.birth_date
                and (town, normalise_name(s.prefix, s.surname), s.birth_date, s.postcode, s.house_number) in self.people
            )
            for s in signals
        )

    def finding(self, case: Case, signals: list, now: datetime) -> Finding:
        latest = self.latest.get(case.municipality_id)
        source = (
            f"register schuldhulpverlening van {timezone.localtime(latest):%d-%m-%Y}"
            if latest
            else "register schuldhulpverlening (nog niet ingelezen)"
        )
        if self.knows(case, signals):
            return Finding(
                case=case,
                kind=FindingKind.DEBT_HELP,
                result="known",
                summary="Inwoner staat in het register van de schuldhulpverlening.",
                suggested_outcome=Outcome.KNOWN_TO_DEBT_HELP,
                source=source,
                checked_at=now,
            )
        return Finding(
            case=case,
            kind=FindingKind.DEBT_HELP,
            result="not_known",
            summary="Niet bekend bij de schuldhulpverlening.",
            source=source,
            checked_at=now,
        )


def _quality_findings(case, signals, now) -> list[Finding]:
    """Per signal: amount under the municipality's threshold, arrears too young or too
    old for its type. Only when every signal fails is "onterecht signaal" suggested."""
    threshold = case.municipality.min_signal_amount
    windows = arrears_windows()
    problems = []
    for s in signals:
        reasons = []
        if s.amount < threshold:
            reasons.append(f"bedrag {euro(s.amount)} onder de drempel van {euro(threshold)}")
        low, high = windows.get(s.signal_type, (0, 100_000))
        age = (s.signal_date - s.arrears_since).days
        if not low <= age <= high:
            reasons.append(f"achterstand van {age} dagen valt buiten {low}–{high} dagen voor {s.signal_type}")
        if reasons:
            problems.append((s, reasons))
    if not problems:
        return [
            Finding(
                case=case,
                kind=FindingKind.QUALITY,
                result="ok",
                summary="Alle signalen voldoen aan de kwaliteitseisen.",
                source="kwaliteitstoets Vroeg",
                checked_at=now,
            )
        ]
    all_fail = len(problems) == len(signals)
    return [
        Finding(
            case=case,
            kind=FindingKind.QUALITY,
            result="below_quality",
            summary=f"Signaal {s.partner_referentie}: {'; '.join(reasons)}."[:300],
            suggested_outcome=Outcome.NOT_PICKED_UP_UNJUSTIFIED if all_fail else "",
            source="kwaliteitstoets Vroeg",
            checked_at=now,
        )
        for s, reasons in problems
    ]
