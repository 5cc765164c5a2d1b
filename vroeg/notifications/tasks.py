from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError

from .services import notification_send_email, notifications_requeue_unmailed


@shared_task(
    name="notifications.send_email",
    autoretry_for=(OperationalError, SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=10,
    time_limit=60,
    soft_time_limit=45,
    ignore_result=True,
)
def send_email(notification_id: int) -> None:
    """E-mail one notification. Safe to run twice: an e-mailed one is skipped."""
    notification_send_email(notification_id=notification_id)


@shared_task(name="notifications.requeue_unmailed", time_limit=120, soft_time_limit=100, ignore_result=True)
def requeue_unmailed() -> None:
    """Scheduled by beat: e-mails whose message was lost with a dead worker go again."""
    notifications_requeue_unmailed()
