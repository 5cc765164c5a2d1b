import time
from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from vroeg.tasks import REMINDER_TASK_OPTIONS
from vroeg.workdays import WorkCalendar

from .assessment import BrpRun, assessment_run, cases_assess_pending
from .queue_keys import queue_keys_sweep
from .reminders import reminders_deadlines, reminders_overdue_digest


@shared_task(
    name="cases.assess_pending",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    time_limit=600,
    soft_time_limit=540,
    ignore_result=True,
)
def assess_pending() -> None:
    """First assessment of new cases and cases with new signals. Safe to run twice:
    each run replaces the automatic findings of the cases it takes. Ends: a case whose
    BRP check fails waits for a later run, and the BRP is asked for one municipality
    at most a few times in a row while it fails (one BrpRun for the whole run). One
    run at a time: a second one (a delivery's .delay() while beat's runs) does nothing."""
    brp = BrpRun()
    stop_at = time.monotonic() + 420  # well before the soft limit: beat runs it again
    with assessment_run() as mine:
        while mine and cases_assess_pending(limit=200, brp=brp) == 200 and time.monotonic() < stop_at:
            pass


@shared_task(name="cases.send_reminders", **REMINDER_TASK_OPTIONS)
def send_reminders(day: str | None = None) -> None:
    """Scheduled by beat (hourly in office hours): deadline reminders and the team leads'
    overdue digest (feedback's own task sends the pause reminders and the partners'
    digest). Safe to run twice or to be killed half-way: every reminder has a unique
    key, so a rerun sends only what is missing."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    calendar = WorkCalendar()
    reminders_deadlines(today=today, calendar=calendar)
    reminders_overdue_digest(today=today, calendar=calendar)


@shared_task(
    name="cases.refresh_queue_keys",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=5,
    time_limit=900,
    soft_time_limit=840,
    ignore_result=True,
)
def refresh_queue_keys() -> None:
    """Scheduled by beat every 10 minutes: the queue's stored sort keys for today and
    the current weights (cases/queue_keys.py). Does nothing when they hold already; on
    a new day it refreshes the few cases whose rank depends on the day, after a change
    of the weights every open case. Safe to run twice or to be killed half-way."""
    queue_keys_sweep()
