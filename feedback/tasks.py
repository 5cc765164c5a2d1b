from datetime import date

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .reminders import reminders_collection_pauses, reminders_partner_digest


@shared_task(
    name="feedback.send_reminders",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=900,
    soft_time_limit=840,
    ignore_result=True,
)
def send_reminders(day: str | None = None) -> None:
    """Scheduled by beat (hourly in office hours): collection pause reminders and the
    partners' daily feedback digest. Safe to run twice or to be killed half-way: every
    reminder has a unique key, so a rerun sends only what is missing."""
    today = date.fromisoformat(day) if day else timezone.localdate()
    reminders_collection_pauses(today=today)
    reminders_partner_digest(today=today)
