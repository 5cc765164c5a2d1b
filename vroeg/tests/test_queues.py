"""Intake, the first assessment and everything else run on queues of their own, and
every queue has a worker in docker-compose and in `make run` (issue 15: a 200,000-row
delivery's assessment held both workers for minutes while later deliveries waited)."""

from pathlib import Path

import yaml
from django.conf import settings

from vroeg.celery import app

ROOT = Path(settings.BASE_DIR)


def _queue_of(task: str) -> str:
    route = app.amqp.router.route({}, task)
    return route["queue"].name


def test_each_kind_of_work_goes_to_its_own_queue():
    assert _queue_of("signals.process_delivery") == "intake"
    assert _queue_of("cases.assess_pending") == "assessment"
    others = {_queue_of(task) for task in ("cases.send_reminders", "notifications.send_email", "vroeg.drain_outbox")}
    assert others == {"celery"}


def test_docker_compose_runs_a_worker_for_every_queue():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    consumed = set()
    for service in services.values():
        command = service.get("command") or []
        if "worker" in command:
            consumed.add(command[command.index("-Q") + 1])
    assert consumed == {"celery", "intake", "assessment"}


def test_make_run_s_worker_consumes_all_three_queues():
    script = (ROOT / "bin" / "run-dev").read_text()
    assert 'QUEUES="${CELERY_TASK_DEFAULT_QUEUE:-celery},${CELERY_INTAKE_QUEUE:-intake},' in script
    assert '-Q "$QUEUES"' in script
