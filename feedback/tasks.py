from datetime import date

from celery import shared_task
from django.utils import timezone

from vroeg.tasks import REMINDER_TASK_OPTIONS

from .reminders import reminders_collection_pauses, reminders_partner_digest


@shared_task(name="feedback.send_reminders", **REMINDER_TASK_OPTIONS)
def send_reminders(day: str | None = None) -> None:
    """Scheduled by beat (hourly in office hours): collection pause reminders and the
    partners' daily feedback digest. Safe to run twice or to be killed half-way: every
    reminder has a unique key, so a rerun sends only what is missing."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    reminders_collection_pauses(today=today)
    reminders_partner_digest(today=today)
