from celery import shared_task
from django.db import OperationalError

from .assessment import cases_assess_pending


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
    each run replaces the automatic findings of the cases it takes."""
    while cases_assess_pending(limit=200) == 200:
        pass
