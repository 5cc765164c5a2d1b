"""`make run` (bin/run-dev) stops promptly on Ctrl-C, also while the worker is busy
(issue 14: the worker could sit in warm shutdown for over a minute).

The real script, on the embedded filesystem broker in a folder of its own and the test
database; the worker is kept busy by the first assessment, which waits for a BRP that
accepts the connection and never answers (an outage)."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from testkit.signal_files import csv_bytes, deliver, row
from testkit.workers import database_url_of_test_db, tasks_routed_to, wait_for
from vroeg.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

STOPPED_WITHIN = 9.0  # seconds from Ctrl-C until web server, worker and beat are all gone


class SilentBrp:
    """Accepts connections and never answers."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.asked = threading.Event()
        self.connections = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.asked.set()

    def close(self):
        self.server.close()
        for conn in self.connections:
            conn.close()


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as s:
        return s.getsockname()[1]


def _pending_case(partner) -> None:
    """A case waiting for its first assessment. What intake queues on this test's broker
    goes to a queue of its own, emptied afterwards: bin/run-dev has its own broker."""
    queue = f"test-discard-{uuid.uuid4().hex[:8]}"
    with tasks_routed_to(queue):
        deliver(partner, csv_bytes([row(bsn="")]))
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)


def _processes() -> list[tuple[int, str, int, int]]:
    """(pid, state, parent pid, process group) of every process (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, ppid, pgid = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        found.append((int(stat.parent.name), state, int(ppid), int(pgid)))
    return found


def _alive(groups: list[int]) -> list[int]:
    """The processes (not zombies) still in these process groups."""
    return [pid for pid, state, _, pgid in _processes() if pgid in groups and state != "Z"]


def _groups_of(pid: int) -> list[int]:
    """The process groups bin/run-dev started: each child leads a session of its own."""
    return sorted(child for child, _, ppid, pgid in _processes() if ppid == pid and pgid == child)


def test_ctrl_c_stops_web_worker_and_beat_within_seconds_while_a_task_runs(partner, tmp_path):
    _pending_case(partner)
    brp = SilentBrp()
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "CELERY_BROKER_URL": "filesystem://",  # the embedded broker, under VROEG_VAR_DIR
        "VROEG_VAR_DIR": str(tmp_path / "var"),
        "VROEG_PORT": str(port),
        "BRP_BACKEND": "haalcentraal",
        "BRP_API_URL": f"http://127.0.0.1:{brp.port}/haalcentraal/api/brp",
        "BRP_API_KEY": "test",
        "BRP_TIMEOUT": "300",
        "DJANGO_DEBUG": "true",
    }
    env.pop("CELERY_TASK_DEFAULT_QUEUE", None)
    log_path = tmp_path / "run-dev.log"
    with log_path.open("w") as log:
        # A session of its own, as a terminal gives `make run`; Ctrl-C is SIGINT to it.
        script = subprocess.Popen(
            [str(Path(settings.BASE_DIR) / "bin" / "run-dev")],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    groups: list[int] = []
    try:
        # Web server, worker and beat, each in a session (and process group) of its own.
        groups = wait_for(lambda: len(_groups_of(script.pid)) == 3 and _groups_of(script.pid), timeout=30)
        # The first assessment (beat sends it every two minutes), queued on run-dev's
        # broker as a developer would; the worker then waits for the BRP.
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from cases.tasks import assess_pending; assess_pending.delay()",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        if not brp.asked.wait(60):
            pytest.fail(f"the worker never asked the BRP\n--- run-dev ---\n{log_path.read_text()}")
        wait_for(lambda: _listening(port), timeout=30)

        started = time.monotonic()
        os.killpg(script.pid, signal.SIGINT)  # Ctrl-C
        script.wait(timeout=60)
        wait_for(lambda: not _alive(groups), timeout=60)
        took = time.monotonic() - started
        assert took < STOPPED_WITHIN, f"stopping took {took:.1f} s\n--- run-dev ---\n{log_path.read_text()}"
        assert "Vroeg stopped." in log_path.read_text()
        assert not _listening(port)  # the web server is gone too
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
        for group in groups:
            if _alive([group]):
                os.killpg(group, signal.SIGKILL)
        brp.close()


def test_the_start_banner_lists_every_demo_login_and_how_to_change_the_port():
    from demo.data import DEMO_LOGINS

    script = (Path(settings.BASE_DIR) / "bin" / "run-dev").read_text()
    banner = next(line for line in script.splitlines() if "Demo logins" in line)
    assert all(login.username in banner for login in DEMO_LOGINS) and len(DEMO_LOGINS) == 5
    assert "make run VROEG_PORT=8001" in script
