"""Reminders through a real worker on the configured broker: a double-fired job and a
worker killed half-way still notify and e-mail each caseworker once per case."""

from datetime import date, timedelta

import pytest

from testkit.factories import CaseFactory
from testkit.workers import start_worker, tasks_routed_to, wait_for
from vroeg.celery import app
from vroeg.notifications.models import Notification
from vroeg.notifications.services import notifications_requeue_unmailed
from vroeg.outbox import outbox_publish

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

MONDAY = date(2026, 11, 23)
CASES = 400


def _mails(folder) -> int:
    """Messages written by Django's file backend (several may share a file)."""
    return sum(("\n" + f.read_text()).count("\nSubject: ") for f in folder.iterdir())


def _fire() -> None:
    app.send_task("cases.send_reminders", kwargs={"day": MONDAY.isoformat()})


def _all_mailed() -> bool:
    # What beat does: queue again the e-mails whose message died with the killed
    # worker, and send what it left in the outbox.
    notifications_requeue_unmailed(older_than=timedelta(seconds=5))
    outbox_publish(older_than=timedelta(0))
    return Notification.objects.count() == CASES and not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.fixture
def many_cases(municipality, make_user):
    worker = make_user("caseworker", username="cw-mail", email="cw@voorbeeldstad.nl")
    for _ in range(CASES):
        CaseFactory(household__municipality=municipality, assigned_to=worker, contact_due=MONDAY + timedelta(days=2))
    return worker


def test_worker_killed_mid_job_then_restarted_and_fired_twice(many_cases, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {"EMAIL_URL": f"filemail:///{mail_dir}"}
    queue = f"test-reminders-{tmp_path.name[-8:]}"
    with tasks_routed_to(queue):
        worker = start_worker(queue, tmp_path / "worker.log", env)
        try:
            _fire()
            wait_for(lambda: Notification.objects.count() >= 40, worker=worker)
            worker.process.kill()  # SIGKILL, half-way through the job
            worker.process.wait()
        finally:
            worker.stop()
        assert Notification.objects.count() < CASES, "the job finished before the kill; the test proves nothing"

        restarted = start_worker(queue, tmp_path / "restarted.log", env)
        try:
            _fire()
            _fire()  # beat double-fire
            wait_for(_all_mailed, timeout=120, interval=1, worker=restarted)
        finally:
            restarted.stop()
    assert Notification.objects.values("key").distinct().count() == Notification.objects.count() == CASES
    assert _mails(mail_dir) == CASES
