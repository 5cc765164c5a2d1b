"""The first assessment of a case: BRP, known to debt help, signal quality, and a
partner's crisis signal to judge (cases/crisis.py).

Runs when a case is created or gets a new signal (intake sets `needs_assessment`;
beat runs `cases.assess_pending`). Each finding records its source and time and
may suggest an end result; nothing is applied until the caseworker confirms. A
partner's crisis signal is a proposal the case page shows ("beoordeel of de situatie
bedreigend is") until a caseworker judges it, unless the municipality lets the
assessment judge it threatening itself (`crisis_auto_judgement`): then it does so on
the day it runs.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from signals.csvformat import normalise_name
from vroeg.formatting import euro

from .brp import BrpError, BrpResult, Person, brp_check
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


def arrears_windows() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_ARREARS_WINDOWS, **settings.VROEG_ARREARS_WINDOWS}


def case_assess(*, case_id: int) -> list[Finding]:
    """Replace the case's automatic, unconfirmed findings with fresh ones."""
    case = Case.objects.select_related("municipality", "household").get(pk=case_id)
    signals = list(case.signals.select_related("resident").order_by("received_on", "pk"))
    now = timezone.now()
    findings = _brp_findings(case, signals, now) + [_debt_help_finding(case, signals, now)]
    findings += _quality_findings(case, signals, now)
    with transaction.atomic():
        case.findings.filter(checked_by__isnull=True, confirmed_at__isnull=True).delete()
        Finding.objects.bulk_create(findings)
        brp_failed = any(f.result == "error" for f in findings)
        Case.objects.filter(pk=case.pk).update(needs_assessment=brp_failed)  # retry later
    if case.crisis_proposed_on is not None and case.municipality.crisis_auto_judgement:
        crisis_proposal_auto_judge(case_id=case.pk, today=timezone.localdate(now))
    return findings


def _people(signals):
    seen = {}
    for signal in signals:
        if signal.resident_id and signal.resident_id not in seen:
            seen[signal.resident_id] = signal
    return list(seen.values())


def _brp_findings(case, signals, now) -> list[Finding]:
    findings = []
    for signal in _people(signals):
        person = Person(
            surname=signal.surname, prefix=signal.prefix, bsn=signal.bsn,
            birth_date=signal.birth_date, postcode=signal.postcode,
            house_number=signal.house_number, house_number_suffix=signal.house_number_suffix,
        )  # fmt: skip
        who = " ".join(p for p in (signal.initials, signal.prefix, signal.surname) if p)
        try:
            check = brp_check(person, municipality_code=case.municipality.code)
        except BrpError as error:
            findings.append(Finding(case=case, kind=FindingKind.BRP, result="error",
                                    summary=f"{who}: BRP niet gecontroleerd. {error.message}",
                                    source="BRP API Personen", checked_at=now))  # fmt: skip
            continue
        label = BrpResult(check.result).label
        summary = f"{who}: {label}" + (f". {check.detail}" if check.detail else "")
        findings.append(
            Finding(
                case=case, kind=FindingKind.BRP, result=check.result, summary=summary[:300],
                suggested_outcome=BRP_SUGGESTIONS.get(check.result, ""),
                source=check.source, checked_at=now,
            )  # fmt: skip
        )
    return findings


def _debt_help_finding(case, signals, now) -> Finding:
    register = DebtHelpClient.objects.filter(municipality=case.municipality)
    # One query: any signal's BSN, or its name, birth date and address.
    match = Q(bsn__in={s.bsn for s in signals if s.bsn})
    for s in signals:
        if s.birth_date:
            match |= Q(name_key=normalise_name(s.prefix, s.surname), birth_date=s.birth_date,
                       postcode=s.postcode, house_number=s.house_number)  # fmt: skip
    hit = register.filter(match).exists()
    latest = register.order_by("-imported_at").values_list("imported_at", flat=True).first()
    source = (
        f"register schuldhulpverlening van {timezone.localtime(latest):%d-%m-%Y}"
        if latest else "register schuldhulpverlening (nog niet ingelezen)"
    )  # fmt: skip
    if hit:
        return Finding(case=case, kind=FindingKind.DEBT_HELP, result="known",
                       summary="Inwoner staat in het register van de schuldhulpverlening.",
                       suggested_outcome=Outcome.KNOWN_TO_DEBT_HELP, source=source, checked_at=now)  # fmt: skip
    return Finding(case=case, kind=FindingKind.DEBT_HELP, result="not_known",
                   summary="Niet bekend bij de schuldhulpverlening.", source=source, checked_at=now)  # fmt: skip


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
        return [Finding(case=case, kind=FindingKind.QUALITY, result="ok",
                        summary="Alle signalen voldoen aan de kwaliteitseisen.",
                        source="kwaliteitstoets Vroeg", checked_at=now)]  # fmt: skip
    all_fail = len(problems) == len(signals)
    return [
        Finding(
            case=case, kind=FindingKind.QUALITY, result="below_quality",
            summary=f"Signaal {s.partner_referentie}: {'; '.join(reasons)}."[:300],
            suggested_outcome=Outcome.NOT_PICKED_UP_UNJUSTIFIED if all_fail else "",
            source="kwaliteitstoets Vroeg", checked_at=now,
        )  # fmt: skip
        for s, reasons in problems
    ]


def cases_assess_pending(*, limit: int = 200) -> int:
    """Assess open cases waiting for it; returns how many were done."""
    pending = list(
        Case.objects.filter(needs_assessment=True, closed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for case_id in pending:
        case_assess(case_id=case_id)
    return len(pending)


