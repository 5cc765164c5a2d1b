"""Every task of the project has a soft time limit below its hard one (issue 14).

Celery refuses to send a task whose soft limit exceeds its hard limit ("soft_time_limit
must be less than or equal to time_limit"): beat logged that every five minutes for
`signals.resume_stalled_deliveries` (hard limit 120 s under the global soft limit of
840 s), so stalled deliveries were never resumed."""

import sys
from pathlib import Path

import pytest
from django.conf import settings

from vroeg.celery import app


def _ours(task) -> bool:
    """Defined in this repository (not Celery's built-in tasks, not the venv)."""
    path = Path(getattr(sys.modules.get(task.__module__), "__file__", None) or "/").resolve()
    base = Path(settings.BASE_DIR).resolve()
    return path.is_relative_to(base) and not path.is_relative_to(base / ".venv")


def _project_tasks():
    app.loader.import_default_modules()  # autodiscovery, as a worker and beat do
    return sorted((task for task in app.tasks.values() if _ours(task)), key=lambda t: t.name)


def test_the_project_registers_its_tasks():
    names = {task.name for task in _project_tasks()}
    assert {
        "signals.resume_stalled_deliveries",
        "signals.process_delivery",
        "cases.assess_pending",
        "vroeg.heartbeat",
    } <= names


@pytest.mark.parametrize("task", _project_tasks(), ids=lambda t: t.name)
def test_every_task_has_a_soft_limit_below_its_hard_limit(task):
    assert task.time_limit and task.soft_time_limit, f"{task.name}: give it both time limits"
    assert task.soft_time_limit < task.time_limit, (
        f"{task.name}: soft_time_limit {task.soft_time_limit} s is not below time_limit {task.time_limit} s"
    )


def test_every_beat_entry_names_a_task_with_consistent_limits():
    tasks = {task.name: task for task in _project_tasks()}
    for name, entry in app.conf.beat_schedule.items():
        task = tasks.get(entry["task"])
        assert task is not None, f"beat entry {name}: no task {entry['task']}"
        assert task.soft_time_limit < task.time_limit, f"beat entry {name} cannot be sent"


def test_global_defaults_are_consistent_too():
    """Celery's own tasks (and any task without limits) get the global ones."""
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
