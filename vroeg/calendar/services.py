"""Closure days (Atw art. 3 lid 3) change only through these services, so that what
was computed from the working-day calendar follows.

The calendar is part of the core and knows nothing of cases. Apps above it register a
listener into the hook `closure_days_changed` (vroeg/hooks.py, from their
AppConfig.ready()); a save or a
delete calls every callback with the dates whose working-day status changed, inside the
same transaction, after the change (a fresh WorkCalendar sees it). Cases registers the
recomputation of the stored deadlines of open cases (cases/deadline_updates.py).
"""

from datetime import date
from typing import Protocol

from django.db import transaction

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.hooks import Hook
from vroeg.workdays import SATURDAY, holidays

from .models import ClosureDay


class ClosureDaysChanged(Protocol):
    """Called with the dates that became, or stopped being, closure days. Returns how
    many records it changed (for the audit log and the admin's message)."""

    def __call__(self, *, days: frozenset[date]) -> int: ...


closure_days_changed: Hook[ClosureDaysChanged] = Hook(
    "calendar.closure_days_changed",
    "Dates became, or stopped being, closure days (cases: stored deadlines of open cases move).",
)


class ClosureDayRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def closure_day_problem(day: date) -> str:
    """Why `day` cannot be declared a closure day ('' when it can): it is no working
    day already (a public holiday of Atw art. 3, or a Saturday or Sunday)."""
    name = holidays(day.year).get(day)
    if name:
        return f"{day:%d-%m-%Y} is al een feestdag ({name}) en telt dus al niet als werkdag."
    if day.weekday() >= SATURDAY:
        return f"{day:%d-%m-%Y} valt in het weekend en telt dus al niet als werkdag."
    return ""


def _notify(days: set[date]) -> int:
    if not days:
        return 0
    return sum(closure_days_changed(days=frozenset(days)))


@transaction.atomic
def closure_day_save(*, user, day: date, reason: str, closure_day_id: int | None = None) -> tuple[ClosureDay, int]:
    """Add a closure day, or change one (`closure_day_id`). Returns it and how many
    records the callbacks changed (e.g. open cases whose deadlines moved). Refuses a
    day that is no working day already (ClosureDayRefused)."""
    if problem := closure_day_problem(day):
        raise ClosureDayRefused(problem)
    if closure_day_id is None:
        closure_day, before = ClosureDay(), None
    else:
        closure_day = ClosureDay.objects.select_for_update().get(pk=closure_day_id)
        before = closure_day.date
    closure_day.date, closure_day.reason = day, reason
    closure_day.save()
    moved = _notify({day, before} - {None} if before != day else set())
    audit_log(
        action=AuditAction.CREATE if before is None else AuditAction.CHANGE,
        actor=user,
        obj=closure_day,
        detail={
            "date": day.isoformat(),
            "previous_date": before.isoformat() if before else None,
            "reason": reason,
            "records_moved": moved,
        },
    )
    return closure_day, moved


@transaction.atomic
def closure_day_delete(*, user, closure_day_id: int) -> int:
    """Delete a closure day; returns how many records the callbacks changed."""
    closure_day = ClosureDay.objects.select_for_update().get(pk=closure_day_id)
    day, reason = closure_day.date, closure_day.reason
    closure_day.delete()
    moved = _notify({day})
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        object_type="calendar.closureday",
        object_id=closure_day_id,
        detail={"deleted": day.isoformat(), "reason": reason, "records_moved": moved},
    )
    return moved
