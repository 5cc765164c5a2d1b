"""One timeline of a case: signals, steps, contact attempts, notes, contact plan steps
skipped or moved, findings, crisis judgements, feedback to partners and collection
pauses."""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone
from django_fsm_log.models import StateLog

from vroeg.formatting import euro

from .models import Case, CaseState


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # signal, step, attempt, note, plan, finding, crisis, feedback, pause
    title: str
    detail: str = ""
    who: str = ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def case_timeline(case: Case, *, signals=None, findings=None, crisis_terms=None) -> list[Event]:
    """Newest first; a fixed number of queries whatever the number of events. The case
    page passes what it has read already: the signals (with partner), findings and
    crisis terms (with judged_by and withdrawn_by)."""
    labels = dict(CaseState.choices)
    if signals is None:
        signals = case.signals.select_related("partner")
    if findings is None:
        findings = case.findings.all()
    if crisis_terms is None:
        crisis_terms = case.crisis_terms.select_related("judged_by", "withdrawn_by")
    events = [
        Event(
            timezone.make_aware(datetime.combine(s.received_on, time.min)),
            "signal",
            f"Signaal {s.get_signal_type_display()} van {s.partner.name}",
            f"{euro(s.amount)} sinds {s.arrears_since:%d-%m-%Y}" + (" (crisis)" if s.crisis else ""),
        )
        for s in signals
    ]
    events += [
        Event(
            log.timestamp,
            "step",
            f"{labels.get(log.source_state, log.source_state)} → {labels.get(log.state, log.state)}",
            log.description or "",
            _name(log.by),
        )
        for log in StateLog.objects.for_(case).select_related("by")
    ]
    events += [
        Event(
            a.attempted_at,
            "attempt",
            f"Contactpoging: {a.kind}, {a.part_of_day.lower()}, {'bereikt' if a.reached else 'niet bereikt'}"
            + (f" (stap {a.plan_position} van het contactplan)" if a.plan_position else ""),
            a.note,
            _name(a.recorded_by),
        )
        for a in case.contact_attempts.select_related("recorded_by")
    ]
    events += [
        Event(n.created_at, "note", "Notitie", n.text, _name(n.author)) for n in case.notes.select_related("author")
    ]
    # Steps of the contact plan skipped or moved forward (outreach.PlanStepChange).
    events += [
        Event(
            c.at,
            "plan",
            f"Contactplan: stap {c.position} ({c.kind}) "
            + ("overgeslagen" if c.action == "skip" else "naar voren gehaald"),
            c.reason,
            _name(c.by),
        )
        for c in case.plan_step_changes.select_related("by")
    ]
    events += [
        Event(f.checked_at, "finding", f"Eerste toets: {f.get_kind_display()}", f.summary, f.source) for f in findings
    ]
    for t in crisis_terms:
        events.append(
            Event(
                timezone.make_aware(datetime.combine(t.judged_on, time.min)),
                "crisis",
                f"Bedreigende situatie: crisistermijn t/m {t.due:%d-%m-%Y}",
                t.reason,
                _name(t.judged_by) or "automatisch (eerste toets)",
            )
        )
        if t.withdrawn_at:
            events.append(
                Event(
                    t.withdrawn_at,
                    "crisis",
                    "Oordeel 'bedreigende situatie' ingetrokken",
                    t.withdraw_reason,
                    _name(t.withdrawn_by),
                )
            )
    events += [
        Event(
            f.given_at,
            "feedback",
            f"Teruggekoppeld aan {f.partner.name}: {f.get_result_display()}",
            f"signaal {f.signal.partner_referentie}"
            + (f", incassopauze t/m {f.pause_ends_on:%d-%m-%Y}" if f.pause_ends_on else ""),
        )
        for f in case.feedback.select_related("partner", "signal")
    ]
    for p in case.collection_pauses.select_related("partner", "followed_up_by"):
        events.append(
            Event(
                timezone.make_aware(datetime.combine(p.starts_on, time.min)),
                "pause",
                f"Incassopauze {p.partner.name} t/m {p.ends_on:%d-%m-%Y}",
            )
        )
        if p.followed_up_at:
            events.append(
                Event(
                    p.followed_up_at,
                    "pause",
                    f"Na incassopauze {p.partner.name}: opgevolgd",
                    p.follow_up_note,
                    _name(p.followed_up_by),
                )
            )
    return sorted(events, key=lambda e: e.at, reverse=True)
