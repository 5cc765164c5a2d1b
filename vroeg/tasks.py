from celery import shared_task

from .services import heartbeat_record


@shared_task(name="vroeg.heartbeat", time_limit=30, soft_time_limit=20, ignore_result=True)
def heartbeat(name: str = "worker") -> None:
    """Scheduled by beat every minute; proves that beat, broker and a worker work."""
    heartbeat_record(name=name)
