"""The Celery application and its beat schedule (the schedule lives here, in code)."""

import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")

app = Celery("vroeg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender: Celery, **kwargs) -> None:
    """The embedded filesystem broker needs its folders to exist before use."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = sender.conf.broker_transport_options.get(key)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)


app.conf.beat_schedule = {
    # Lets /healthz tell whether beat and a worker are alive.
    "heartbeat": {"task": "vroeg.heartbeat", "schedule": 60.0},
    # Deliveries whose worker was killed mid-file are picked up again.
    "resume-stalled-deliveries": {"task": "signals.resume_stalled_deliveries", "schedule": 300.0},
    # First assessment (BRP, debt help, quality) of new cases and new signals.
    "assess-pending-cases": {"task": "cases.assess_pending", "schedule": 120.0},
    # Tasks whose sending failed (broker down) are sent once the broker is back.
    "drain-outbox": {"task": "vroeg.drain_outbox", "schedule": 60.0},
    # E-mails of notifications whose message died with a worker are queued again.
    "requeue-unmailed-notifications": {"task": "notifications.requeue_unmailed", "schedule": 600.0},
    # The queue's stored sort keys follow the day and the priority weights
    # (cases/queue_keys.py); until they do the queue computes its order.
    "refresh-queue-keys": {"task": "cases.refresh_queue_keys", "schedule": 600.0},
    # Daily reminders: deadlines, the team lead's overdue digest, collection pauses.
    # Hourly during office hours so a missed hour catches up; unique keys per day in
    # the database make each reminder go out once.
    "send-reminders": {"task": "cases.send_reminders", "schedule": crontab(minute=5, hour="7-18")},
    "send-feedback-reminders": {"task": "feedback.send_reminders", "schedule": crontab(minute=5, hour="7-18")},
    # Contact plan steps that came due (outreach/reminders.py), after a sweep of next steps.
    "send-plan-reminders": {"task": "outreach.send_plan_reminders", "schedule": crontab(minute=5, hour="7-18")},
    # Retention: personal data past its term is removed every night (privacy/retention.py).
    "purge-personal-data": {"task": "privacy.purge_personal_data", "schedule": crontab(minute=30, hour=2)},
}
