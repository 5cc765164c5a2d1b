from celery import shared_task

from .retention import retention_purge


@shared_task(name="privacy.purge_personal_data", time_limit=3600, soft_time_limit=3500, ignore_result=True)
def purge_personal_data() -> None:
    """Scheduled by beat every night: personal data past its retention term goes.
    Safe to run twice or to be stopped: batches commit on their own."""
    retention_purge()
