"""Real Celery worker processes for tests, against the test database and broker."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def database_url_of_test_db() -> str:
    """The test database as a DATABASE_URL, for processes started by a test."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, queue: str, process: subprocess.Popen, log_path: Path):
        self.queue = queue
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_worker(queue: str, log_path: Path, extra_env: dict | None = None) -> WorkerProcess:
    """Start a real `celery worker` process on `queue`, against the test database.
    Tasks the worker itself queues go to the same queue, so they stay in the test."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        # Every queue of the installation is the test's own queue here.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_INTAKE_QUEUE": queue,
        "CELERY_ASSESSMENT_QUEUE": queue,
        **(extra_env or {}),
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "vroeg",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "--hostname",
                f"{queue}@%h",
            ],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return WorkerProcess(queue, process, log_path)


@contextmanager
def tasks_routed_to(queue: str):
    """Send every task this (test) process queues to `queue`."""
    from vroeg.celery import app

    def route(routes):
        app.conf.task_routes = routes
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)  # a cached_property built from the routes

    previous = app.conf.task_routes
    route({"*": {"queue": queue}})
    try:
        yield
    finally:
        route(previous)


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.2, worker=None):
    """Poll until predicate() is truthy; fail with the worker's log if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker is not None and worker.process.poll() is not None:
            break
        time.sleep(interval)
    details = f"\n--- worker log ---\n{worker.log()}" if worker is not None else ""
    pytest.fail(f"condition not met within {timeout}s{details}")
