from celery import shared_task
from django.db import OperationalError

from .services import deliveries_resume_stalled, delivery_process


@shared_task(
    name="signals.process_delivery",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
    time_limit=45 * 60,
    soft_time_limit=40 * 60,
    acks_late=True,
    ignore_result=True,
)
def process_delivery(delivery_id: int) -> None:
    """Process an uploaded delivery. Safe to run twice (see delivery_process)."""
    delivery_process(delivery_id=delivery_id)


# Both limits on every task: a hard limit alone inherits the global soft limit (840 s),
# and Celery refuses to send a task whose soft limit exceeds its hard one.
@shared_task(name="signals.resume_stalled_deliveries", time_limit=120, soft_time_limit=100, ignore_result=True)
def resume_stalled_deliveries() -> None:
    """Scheduled by beat: deliveries whose worker died are processed again."""
    deliveries_resume_stalled()
