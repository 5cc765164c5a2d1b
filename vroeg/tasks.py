from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from .outbox import outbox_clean, outbox_publish
from .services import heartbeat_record

# The options of the hourly reminder jobs (cases' and feedback's): retried with backoff
# when the database is briefly away; soft limit below the hard one.
REMINDER_TASK_OPTIONS = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 10,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "time_limit": 900,
    "soft_time_limit": 840,
    "ignore_result": True,
}


@shared_task(name="vroeg.heartbeat", time_limit=30, soft_time_limit=20, ignore_result=True)
def heartbeat(name: str = "worker") -> None:
    """Scheduled by beat every minute; proves that beat, broker and a worker work."""
    heartbeat_record(name=name)


@shared_task(name="vroeg.drain_outbox", time_limit=120, soft_time_limit=100, ignore_result=True)
def drain_outbox() -> None:
    """Scheduled by beat: send what could not be sent when it was queued (broker down)."""
    while outbox_publish(older_than=timedelta(seconds=30)) == 500:
        pass
    outbox_clean()
