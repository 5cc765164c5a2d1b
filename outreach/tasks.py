from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from vroeg.tasks import REMINDER_TASK_OPTIONS
from vroeg.workdays import WorkCalendar

from .reminders import reminders_plan_steps
from .services import cases_plan_refresh, cases_plan_sweep


@shared_task(name="outreach.send_plan_reminders", **REMINDER_TASK_OPTIONS)
def send_plan_reminders(day: str | None = None) -> None:
    """Scheduled by beat (hourly in office hours): first put right the next steps no
    change refreshed (cases_plan_sweep), then remind of the plan steps that came due.
    Safe to run twice or to be killed half-way: every reminder has a unique key."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    cases_plan_sweep()
    reminders_plan_steps(today=today, calendar=WorkCalendar())


@shared_task(
    name="outreach.refresh_case_plans",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=5,
    time_limit=300,
    soft_time_limit=240,
    ignore_result=True,
)
def refresh_case_plans(case_ids: list[int]) -> None:
    """The next steps of these cases, computed again after their plan or work tray
    changed (queued by outreach.services.cases_plan_refresh_soon). Safe to run twice."""
    cases_plan_refresh(case_ids=case_ids)
