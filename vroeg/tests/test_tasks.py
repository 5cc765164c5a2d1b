import pytest

from testkit.workers import wait_for
from vroeg.models import Heartbeat
from vroeg.tasks import heartbeat


@pytest.mark.worker
def test_heartbeat_task_runs_in_a_real_worker_process(celery_worker_process):
    heartbeat.apply_async(kwargs={"name": "integration"}, queue=celery_worker_process.queue)
    beat = wait_for(
        lambda: Heartbeat.objects.filter(name="integration").first(),
        worker=celery_worker_process,
    )
    first_seen = beat.at
    # Running it again (a beat double-fire) updates the one row, it adds none.
    heartbeat.apply_async(kwargs={"name": "integration"}, queue=celery_worker_process.queue)
    wait_for(
        lambda: Heartbeat.objects.get(name="integration").at > first_seen,
        worker=celery_worker_process,
    )
    assert Heartbeat.objects.filter(name="integration").count() == 1


def test_beat_schedule_is_defined_in_code():
    from vroeg.celery import app

    assert app.conf.beat_schedule["heartbeat"]["task"] == "vroeg.heartbeat"
    assert "vroeg.heartbeat" in app.tasks
