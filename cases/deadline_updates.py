"""Stored deadlines of open cases follow a closure day added or deleted later (Atw
art. 3 lid 3 days are decreed, so they can come after a term was computed).

Registered from CasesConfig.ready() into vroeg.calendar.services, which calls it inside
the closure day's transaction. Set-based: the terms that can move are found with one
grouped query per kind, recomputed once per distinct start date in Python (the
WorkCalendar rules) and written with one UPDATE per kind (a CASE over those few dates),
whatever the number of open cases.

- Legal term: `legal_term_end(start, 28)` depends on a day D only when the nominal end
  (start + 28) is on or before D and the stored end is on or after D. The start is the
  receipt the LCV target runs from (`deadlines.legal_term_start`).
- Crisis term: `add_working_days(judged_on, 3)` depends on D when judged_on < D <= due.
  The case's current term and its CrisisTerm row move together.
- The LCV target and the CAK list's own term count calendar days: they do not move.
"""

from collections.abc import Collection
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import DateField, F, Value, When

from vroeg.workdays import WorkCalendar

from . import deadlines
from .models import Case, CrisisTerm
from .queue_keys import cases_queue_refresh


def _moved(affected, key: str, due: str, compute) -> dict[date, date]:
    """{start: new last day} for the starts whose stored last day is no longer right."""
    stored = list(affected.values_list(key, due).distinct().order_by())
    return {start: new for start, old in stored if (new := compute(start)) != old}


def _mapping(field: str, key: str, moved: dict[date, date]) -> SqlCase:
    return SqlCase(
        *(When(**{key: k}, then=Value(v)) for k, v in moved.items()), default=F(field), output_field=DateField()
    )


def _write(affected, key: str, due: str, moved: dict[date, date]) -> int:
    """One UPDATE: the new last days and, from them, the next deadline; then the
    moved cases' queue key (cases/queue_keys.py)."""
    new_due = _mapping(due, key, moved)
    cases = affected.filter(**{f"{key}__in": list(moved)})
    ids = list(cases.values_list("pk", flat=True))
    written = cases.update(**{due: new_due}, next_due=deadlines.next_due_expression(**{due: new_due}))
    cases_queue_refresh(case_ids=ids)
    return written


def _legal_terms(day: date, calendar: WorkCalendar) -> int:
    # start + 28 <= day  <=>  lcv_target = start + 14 <= day - 14
    latest_target = day - timedelta(days=deadlines.LEGAL_TERM_DAYS - deadlines.LCV_TARGET_DAYS)
    affected = Case.objects.filter(closed_at__isnull=True, contact_due__gte=day, lcv_target__lte=latest_target)
    moved = _moved(
        affected,
        "lcv_target",
        "contact_due",
        lambda target: deadlines.contact_due(deadlines.legal_term_start(target), calendar),
    )
    return _write(affected, "lcv_target", "contact_due", moved) if moved else 0


def _crisis_terms(day: date, calendar: WorkCalendar) -> int:
    affected = Case.objects.filter(closed_at__isnull=True, crisis_judged_on__lt=day, crisis_due__gte=day)
    moved = _moved(affected, "crisis_judged_on", "crisis_due", lambda judged: deadlines.crisis_due(judged, calendar))
    if not moved:
        return 0
    # The current CrisisTerm rows first: they are found by the case's fields as stored.
    CrisisTerm.objects.filter(
        withdrawn_at__isnull=True,
        case__in=affected,
        judged_on__in=list(moved),
        judged_on=F("case__crisis_judged_on"),
        due=F("case__crisis_due"),
    ).update(due=_mapping("due", "judged_on", moved))
    return _write(affected, "crisis_judged_on", "crisis_due", moved)


@transaction.atomic
def case_deadlines_recompute(*, days: Collection[date]) -> int:
    """Recompute the legal and crisis terms of open cases that depend on these days
    (closure days added or deleted); returns how many deadlines moved."""
    calendar = WorkCalendar()  # fresh: sees the closure days as they are now
    return sum(_legal_terms(day, calendar) + _crisis_terms(day, calendar) for day in sorted(set(days)))
