"""One timeline of a case: signals, steps, contact attempts, notes, contact plan steps
skipped or moved, findings, crisis judgements, feedback to partners and collection
pauses."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import BooleanField, F, IntegerField, TextField, Value
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


def case_reads(case: Case) -> dict[str, list]:
    """What the timeline shares with the case page's panels (cases.hooks.case_panels
    `reads`), by the case's relation: the feedback to partners (with partner and
    signal, oldest first) and the collection pauses (with partner and followed_up_by,
    by first day). Read once per page, not by each."""
    return {
        "feedback": list(case.feedback.select_related("partner", "signal").order_by("given_at", "pk")),
        "collection_pauses": list(
            case.collection_pauses.select_related("partner", "followed_up_by").order_by("starts_on", "pk")
        ),
    }


# The columns of `_activity`'s rows: which part, when, id, three texts, a number, a
# yes/no, and the name fields of who did it.
_COLUMNS = ("tl_part", "tl_at", "tl_id", "tl_a", "tl_b", "tl_c", "tl_n", "tl_yes", "tl_first", "tl_last", "tl_user")
_STEPS, _ATTEMPTS, _NOTES, _CHANGES = range(4)


def _row(part: int, *, at: str, a=None, b=None, c=None, n=None, yes=None, who: str):
    none_text = Value(None, output_field=TextField())
    text = lambda name: F(name) if name else none_text  # noqa: E731
    return {
        "tl_part": Value(part, output_field=IntegerField()),
        "tl_at": F(at),
        "tl_id": F("pk"),
        "tl_a": text(a),
        "tl_b": text(b),
        "tl_c": text(c),
        "tl_n": F(n) if n else Value(None, output_field=IntegerField()),
        "tl_yes": F(yes) if yes else Value(None, output_field=BooleanField()),
        "tl_first": F(f"{who}__first_name"),
        "tl_last": F(f"{who}__last_name"),
        "tl_user": F(f"{who}__username"),
    }


def _activity(case: Case) -> tuple[list, list, list, list]:
    """The case's steps (StateLog), contact attempts, notes and contact-plan changes, in
    one query (UNION ALL) instead of four; each part in its own order (at, id). A row:
    (at, text a, text b, text c, number, yes/no, who)."""
    parts = [
        StateLog.objects.for_(case).annotate(
            **_row(_STEPS, at="timestamp", a="source_state", b="state", c="description", who="by")
        ),
        case.contact_attempts.annotate(
            **_row(
                _ATTEMPTS,
                at="attempted_at",
                a="kind",
                b="part_of_day",
                c="note",
                n="plan_position",
                yes="reached",
                who="recorded_by",
            )
        ),
        case.notes.annotate(**_row(_NOTES, at="created_at", c="text", who="author")),
        case.plan_step_changes.annotate(
            **_row(_CHANGES, at="at", a="kind", b="action", c="reason", n="position", who="by")
        ),
    ]
    first, *others = (part.order_by().values_list(*_COLUMNS) for part in parts)
    rows = first.union(*others, all=True).order_by("tl_part", "tl_at", "tl_id")
    result = ([], [], [], [])
    for part, at, _id, a, b, c, n, yes, first_name, last_name, username in rows:
        who = "" if username is None else (f"{first_name} {last_name}".strip() or username)
        result[part].append((at, a, b, c, n, yes, who))
    return result


def case_timeline(case: Case, *, signals=None, findings=None, crisis_terms=None, reads=None) -> list[Event]:
    """Newest first; a fixed number of queries whatever the number of events. The case
    page passes what it has read already: the signals (with partner), findings, crisis
    terms (with judged_by and withdrawn_by) and `case_reads`."""
    labels = dict(CaseState.choices)
    if signals is None:
        signals = case.signals.select_related("partner")
    if findings is None:
        findings = case.findings.all()
    if crisis_terms is None:
        crisis_terms = case.crisis_terms.select_related("judged_by", "withdrawn_by")
    if reads is None:
        reads = case_reads(case)
    events = [
        Event(
            timezone.make_aware(datetime.combine(s.received_on, time.min)),
            "signal",
            f"Signaal {s.get_signal_type_display()} van {s.partner.name}",
            f"{euro(s.amount)} sinds {s.arrears_since:%d-%m-%Y}" + (" (crisis)" if s.crisis else ""),
        )
        for s in signals
    ]
    steps, attempts, notes, changes = _activity(case)
    events += [
        Event(at, "step", f"{labels.get(source, source)} → {labels.get(state, state)}", description or "", who)
        for at, source, state, description, _n, _b, who in steps
    ]
    events += [
        Event(
            at,
            "attempt",
            f"Contactpoging: {kind}, {part_of_day.lower()}, {'bereikt' if reached else 'niet bereikt'}"
            + (f" (stap {plan_position} van het contactplan)" if plan_position else ""),
            note,
            who,
        )
        for at, kind, part_of_day, note, plan_position, reached, who in attempts
    ]
    events += [Event(at, "note", "Notitie", text, who) for at, _t1, _t2, text, _n, _b, who in notes]
    # Steps of the contact plan skipped or moved forward (outreach.PlanStepChange).
    events += [
        Event(
            at,
            "plan",
            f"Contactplan: stap {position} ({kind}) " + ("overgeslagen" if action == "skip" else "naar voren gehaald"),
            reason,
            who,
        )
        for at, kind, action, reason, position, _b, who in changes
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
        for f in reads["feedback"]
    ]
    for p in reads["collection_pauses"]:
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
