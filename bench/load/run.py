"""A bounded load test: caseworkers and partners at once, against the production stack.

    python bench/load/run.py [--users 55] [--partners 5] [--run-time 2m] [--skip-load]
    python bench/load/run.py --users 12 --partners 2 --run-time 30s --skip-load   # a smoke check

Builds (unless --skip-load) a fresh PostgreSQL database `vroeg_load`: a municipality,
50 caseworkers (each with 20 cases picked up), 5 partners with a user each and
50,000 signals through the real intake (`import_signals`), with the cases' first
assessment done. Then starts, all bound to 127.0.0.1 and stopped by this script
(also on Ctrl-C or an error): gunicorn with the production config
(deploy/gunicorn.conf.py, sync workers, DJANGO_DEBUG off), two Celery workers on
Redis db 6 (the intake queue; the assessment and default queues) and locust
headless for --run-time (bench/load/locustfile.py). After the run it waits until
every uploaded delivery is processed and reconciles them: for every upload,
accepted + repeated + rejected must equal the rows sent, and the signals table must
hold exactly the accepted rows (and the repeats, which intake stores marked as
such). Prints per endpoint the requests, failures, p50/p95/p99, and the
reconciliation. Exits 1 when a request failed, a server error was logged or a row
is unaccounted for. Measures only; never fails on time.

Needs PostgreSQL and Redis on 127.0.0.1 (as for the other benchmarks) and the dev
requirements (locust). Logs: var/load/{gunicorn,celery-*,locust}.log.
"""

import argparse
import contextlib
import csv
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VAR = BASE_DIR / "var" / "load"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/vroeg_load"
REDIS_URL = "redis://127.0.0.1:6379/6"
PASSWORD = "belastingtest-wachtwoord-2026"
CASEWORKERS = 50
CASES_EACH = 20  # picked up per caseworker before the run: their own cases for contact attempts
SIGNALS = 50_000


def django_env(database_url: str) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "bench.load.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "VROEG_DEMO": "false",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "REQUIRE_2FA": "false",
        "CELERY_BROKER_URL": REDIS_URL,
        "CACHE_URL": REDIS_URL,
        "VROEG_VAR_DIR": str(VAR),
        "STATIC_ROOT": str(VAR / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(VAR / "celerybeat-schedule"),
    }


# --- Steps that run inside Django (this script started again with --step) -----


def step_setup(signals: int) -> None:
    """Accounts, partners, signals through import_signals, first assessment, cases
    picked up, and the samples the locustfile searches for."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from signalfile import PARTNERS, signal_file

    from cases.models import Case, CaseState
    from cases.services import case_pick_up, cases_assign
    from cases.tasks import assess_pending
    from signals.services import partner_upsert
    from vroeg.accounts import roles
    from vroeg.accounts.models import User
    from vroeg.accounts.services import user_upsert
    from vroeg.municipalities.models import Municipality

    municipality, _ = Municipality.objects.get_or_create(
        code="9999", defaults={"name": "Voorbeeldstad", "inhabitants": 160_000}
    )
    hashed = make_password(PASSWORD)  # once: hashing 55 times would take half a minute

    def account(username: str, **kwargs) -> User:
        User.objects.get_or_create(username=username, defaults={"password": hashed})
        return user_upsert(username=username, password=PASSWORD, **kwargs)

    caseworkers = [
        account(
            f"load-mw-{n:02d}",
            role=roles.CASEWORKER,
            municipalities=[municipality],
            first_name="Medewerker",
            last_name=f"{n:02d}",
        )
        for n in range(1, CASEWORKERS + 1)
    ]
    partners = []
    for code, (name, partner_type, _types) in PARTNERS.items():
        partner = partner_upsert(code=code, name=name, partner_type=partner_type, municipalities=[municipality])
        account(f"{code}-user", role=roles.PARTNER_USER, partner=partner)
        partners.append(code)

    received = timezone.localdate() - timedelta(days=7)
    per_partner = signals // len(partners)
    for index, code in enumerate(partners):
        content, _sent = signal_file(
            rows=per_partner, seed=index, prefix=f"V-{code}", types=PARTNERS[code][2], received=received
        )
        path = VAR / f"initial-{code}.csv"
        path.write_bytes(content)
        began = time.perf_counter()
        report = io.StringIO()  # the command lists every rejected row; keep its last line
        call_command("import_signals", str(path), partner=code, received_on=received, stdout=report)
        path.unlink()
        counts = report.getvalue().strip().splitlines()[-1]
        print(f"  {code}: {counts} ({time.perf_counter() - began:.1f} s)", flush=True)
    began = time.perf_counter()
    assess_pending()
    print(f"  first assessment of {Case.objects.count():,} cases ({time.perf_counter() - began:.1f} s)", flush=True)

    free = list(
        Case.objects.filter(state=CaseState.NEW, assigned_to__isnull=True)
        .order_by("?")
        .values_list("pk", flat=True)[: CASEWORKERS * CASES_EACH]
    )
    for n, caseworker in enumerate(caseworkers):
        mine = free[n * CASES_EACH : (n + 1) * CASES_EACH]
        cases_assign(user=caseworker, case_ids=mine, assignee=caseworker)
        for pk in mine:
            case_pick_up(case_id=pk, user=caseworker)
    print(f"  {len(free):,} cases picked up by {CASEWORKERS} caseworkers", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute(
            "SELECT DISTINCT h.postcode || ' ' || h.house_number FROM cases_case c "
            "JOIN cases_household h ON h.id = c.household_id WHERE c.state <> 'closed' LIMIT 300"
        )
        addresses = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT DISTINCT left(surname, 4) FROM signals_signal")
        surnames = [row[0] for row in cursor.fetchall()]
    samples = {
        "caseworkers": [u.username for u in caseworkers],
        "partners": [[f"{code}-user", code] for code in partners],
        "addresses": addresses,
        "surnames": surnames,
    }
    (VAR / "samples.json").write_text(json.dumps(samples, indent=1))


# --- The runner ----------------------------------------------------------------


class Stack:
    """The processes this script started, each in its own process group, so that a
    stop takes its children (gunicorn's and Celery's workers) along."""

    def __init__(self, env: dict):
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        with (VAR / f"{name}.log").open("w") as log:
            process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=env or self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes[name] = process
        return process

    def stop(self, name: str, timeout: float = 30) -> bool:
        """SIGTERM to the main process (gunicorn and Celery then stop their own workers,
        Celery after the task at hand), SIGKILL to the whole group after `timeout`.
        False when it had to be killed."""
        process = self.processes.pop(name, None)
        if process is None:
            return True
        graceful = True
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                graceful = False
        with contextlib.suppress(ProcessLookupError):  # stragglers of the group
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return graceful

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start; see {VAR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"gunicorn did not answer within {timeout:.0f} s; see {VAR / 'gunicorn.log'}")


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def load(database_url: str, env: dict, signals: int) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    began = time.perf_counter()
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run(
        [sys.executable, __file__, "--step", "setup", "--signals", str(signals), "--database-url", database_url],
        cwd=BASE_DIR,
        env={**env, "PYTHONPATH": f"{BASE_DIR}{os.pathsep}{HERE}"},
        check=True,
    )
    print(f"database {name} ready in {time.perf_counter() - began:.0f} s", flush=True)


def wait_for_deliveries(conn, since: datetime, timeout: float) -> int:
    """Seconds waited until no delivery received since `since` is still waiting or
    being processed; gives up after `timeout`."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        (open_count,) = conn.execute(
            "SELECT count(*) FROM signals_delivery WHERE received_at >= %s AND status IN ('received', 'processing')",
            [since],
        ).fetchone()
        if open_count == 0:
            return int(time.monotonic() - began)
        time.sleep(1)
    return -1


def baseline(host: str, samples: dict, rounds: int = 15) -> dict[str, float]:
    """One caseworker alone, just before the run: the median time of the read pages
    and the search, the baseline the figures under load are set against."""
    import random
    import statistics

    import requests

    csrf = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    case_link = re.compile(r'href="/zaken/(\d+)/"')
    session = requests.Session()
    form = session.get(f"{host}/inloggen/")
    login = {"username": samples["caseworkers"][0], "password": PASSWORD, "next": ""}
    session.post(f"{host}/inloggen/", data={**login, "csrfmiddlewaretoken": csrf.search(form.text).group(1)})
    timings: dict[str, list[float]] = {}

    def timed(name: str, method: str, url: str, **kwargs):
        began = time.perf_counter()
        response = session.request(method, host + url, **kwargs)
        timings.setdefault(name, []).append((time.perf_counter() - began) * 1000)
        if response.status_code not in (200, 302) or "/inloggen/" in response.url:
            sys.exit(f"baseline: {method} {url} answered {response.status_code} at {response.url}")
        return response

    for n in range(rounds):
        queue = timed("queue, first page", "GET", "/werk/")
        timed("case page", "GET", f"/zaken/{random.choice(case_link.findall(queue.text))}/")
        timed("queue, my cases", "GET", "/werk/?mijn=1")
        kind = "surname start" if n % 2 else "postcode + number"
        term = random.choice(samples["surnames" if n % 2 else "addresses"])
        posted = timed(
            f"queue search: {kind} (POST)",
            "POST",
            "/werk/",
            data={"q": term, "csrfmiddlewaretoken": csrf.search(queue.text).group(1)},
            allow_redirects=False,
        )
        timed("queue search: result (?zoek=)", "GET", posted.headers["Location"])
    return {name: statistics.median(values) for name, values in timings.items()}


def endpoint_table(prefix: Path, alone: dict[str, float]) -> tuple[int, list[str]]:
    """Locust's figures per endpoint, next to the median of one user alone (`alone`);
    returns the number of failures and exceptions."""
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    print(
        f"\n{'endpoint':<40} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'1 user p50':>10}"
    )
    failures = 0
    for row in rows:
        label = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        if row["Name"] == "Aggregated":
            print("-" * 101)
        single = f"{alone[row['Name']]:.0f}" if row["Name"] in alone else ""
        print(
            f"{label:<40} {int(row['Request Count']):>8} {int(row['Failure Count']):>8} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {float(row['Max Response Time']):>7.0f} {single:>10}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    problems = []
    for row in csv.DictReader((prefix.parent / f"{prefix.name}_failures.csv").open()):
        problems.append(f"failure: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)")
    for row in csv.DictReader((prefix.parent / f"{prefix.name}_exceptions.csv").open()):
        problems.append(f"exception in a task ({row['Count']}x): {row['Message']}")
        failures += int(row["Count"])
    return failures, problems


def server_errors() -> list[str]:
    """5xx answers in gunicorn's access log and errors in the logs of all processes."""
    found = []
    status = re.compile(r'" (5\d\d) ')
    for line in (VAR / "gunicorn.log").read_text(errors="replace").splitlines():
        if status.search(line) or "ERROR" in line or "Traceback" in line or "CRITICAL" in line:
            found.append(f"gunicorn: {line}")
    for log in sorted(VAR.glob("celery-*.log")):
        # What the worker logs once this script stopped it is not the application's.
        text = log.read_text(errors="replace").split("worker: Warm shutdown")[0]
        for line in text.splitlines():
            if "ERROR" in line or "Traceback" in line or "CRITICAL" in line:
                found.append(f"{log.stem}: {line}")
    return found


def reconcile(conn, uploads_log: Path, signals_before: int, since: datetime) -> list[str]:
    """Every upload of this run (received since `since`) accounted for, row by row.
    Returns the problems found."""
    sent: dict[str, dict] = {}
    for line in uploads_log.read_text().splitlines() if uploads_log.exists() else []:
        entry = json.loads(line)
        sent.setdefault(entry["name"], {}).update(entry)
    deliveries = {
        row[0]: row
        for row in conn.execute(
            """
            SELECT d.original_name, d.status, d.rows_read, d.accepted_count, d.repeated_count, d.rejected_count,
                   (SELECT count(*) FROM signals_signal s WHERE s.delivery_id = d.id AND NOT s.is_repeat),
                   (SELECT count(*) FROM signals_signal s WHERE s.delivery_id = d.id AND s.is_repeat),
                   (SELECT count(*) FROM signals_rejectedline r WHERE r.delivery_id = d.id),
                   extract(epoch FROM d.finished_at - d.received_at), d.refusal_reason
            FROM signals_delivery d WHERE NOT d.via_command AND d.received_at >= %s ORDER BY d.received_at
            """,
            [since],
        ).fetchall()
    }
    problems = []
    print(
        f"\n{'upload':<32} {'status':<10} {'sent':>6} {'read':>6} {'accepted':>8} {'repeated':>8} "
        f"{'rejected':>8} {'a+r+r':>6} {'stored':>6} {'stored rep':>10} {'s to done':>9}"
    )
    totals = [0] * 7
    for name in sorted(set(sent) | set(deliveries)):
        upload, row = sent.get(name), deliveries.get(name)
        if row is None:
            if upload and upload.get("answered"):
                problems.append(f"{name}: the server answered the upload, but there is no delivery")
            elif upload and "answered" in upload:
                problems.append(f"{name}: the upload failed and no delivery was stored")
            else:
                print(f"{name:<32} not sent: the run stopped during the upload (no delivery, nothing to account)")
            continue
        _, status, read, accepted, repeated, rejected, stored, stored_repeats, rejected_lines, took, reason = row
        rows = upload["rows"] if upload else None
        total = accepted + repeated + rejected
        print(
            f"{name:<32} {status:<10} {rows if rows is not None else '?':>6} {read:>6} {accepted:>8} {repeated:>8} "
            f"{rejected:>8} {total:>6} {stored:>6} {stored_repeats:>10} {took or 0:>9.1f}"
        )
        if upload is None:
            problems.append(f"{name}: a delivery nobody in this run uploaded")
        if status != "done":
            problems.append(f"{name}: status {status} {reason}".strip())
        if rows is not None and (total != rows or read != rows):
            problems.append(f"{name}: {rows} rows sent, {read} read, accepted+repeated+rejected = {total}")
        if stored != accepted or stored_repeats != repeated:
            problems.append(
                f"{name}: {accepted} accepted and {repeated} repeated, but {stored} and {stored_repeats} stored"
            )
        if rejected_lines != rejected:
            problems.append(f"{name}: {rejected} rejected, but {rejected_lines} rejected lines in the report")
        for i, value in enumerate([rows or 0, read, accepted, repeated, rejected, stored, stored_repeats]):
            totals[i] += value
    rows, read, accepted, repeated, rejected, stored, stored_repeats = totals
    (signals_after,) = conn.execute("SELECT count(*) FROM signals_signal").fetchone()
    (unsent,) = conn.execute("SELECT count(*) FROM vroeg_outboxmessage WHERE published_at IS NULL").fetchone()
    print(
        f"{'total':<32} {'':<10} {rows:>6} {read:>6} {accepted:>8} {repeated:>8} {rejected:>8} "
        f"{accepted + repeated + rejected:>6} {stored:>6} {stored_repeats:>10}"
    )
    print(
        f"signals table: {signals_before:,} before the run, {signals_after:,} after "
        f"(+{signals_after - signals_before:,}; accepted + repeated = {accepted + repeated:,}); "
        f"outbox messages not sent: {unsent}"
    )
    if signals_after - signals_before != accepted + repeated:
        problems.append(
            f"the signals table grew by {signals_after - signals_before}, not by accepted + repeated "
            f"({accepted + repeated})"
        )
    if unsent:
        problems.append(f"{unsent} outbox message(s) never reached the broker")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=55, help="simultaneous users, partners included (55)")
    parser.add_argument("--partners", type=int, default=5, help="how many of them are partners (5)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second (10)")
    parser.add_argument("--run-time", default="2m", help="how long locust runs, e.g. 2m or 30s (2m)")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn's sync workers (4)")
    parser.add_argument(
        "--think", default="5,15", help="a caseworker's seconds between actions, from,to (5,15; 2,6 to stress)"
    )
    parser.add_argument("--upload-rows", default="300,3000", help="rows per uploaded file, from,to (300,3000)")
    parser.add_argument("--signals", type=int, default=SIGNALS, help="signals loaded before the run (50000)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--drain-timeout", type=float, default=600, help="seconds to wait for the deliveries")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "setup":
        return step_setup(args.signals)

    import psycopg

    VAR.mkdir(parents=True, exist_ok=True)
    env = django_env(args.database_url)
    if not args.skip_load:
        load(args.database_url, env, args.signals)
    samples = json.loads((VAR / "samples.json").read_text())
    if args.partners > len(samples["partners"]):
        sys.exit(f"at most {len(samples['partners'])} partners")

    run_tag = datetime.now(ZoneInfo("UTC")).strftime("%H%M%S")
    uploads_log = VAR / "uploads.jsonl"
    uploads_log.unlink(missing_ok=True)
    stats_prefix = VAR / "locust"
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    stack = Stack(env)
    # Ctrl-C raises KeyboardInterrupt; a plain kill does the same, so `finally` always runs.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    exit_code = 1
    try:
        flush_redis()  # db 6 is the load test's own: no task of an earlier run is left
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute("DELETE FROM django_session")
            (signals_before,) = conn.execute("SELECT count(*) FROM signals_signal").fetchone()
            (cases,) = conn.execute("SELECT count(*) FROM cases_case").fetchone()
            conn.execute("UPDATE axes_accessattempt SET failures_since_start = 0")
            started_at = conn.execute("SELECT now()").fetchone()[0]
        celery = [sys.executable, "-m", "celery", "-A", "vroeg", "worker", "--without-gossip", "--without-mingle"]
        celery += ["--loglevel=INFO", "--concurrency=1"]
        stack.start("celery-intake", [*celery, "-Q", "intake", "-n", "load-intake@%h"])
        stack.start("celery-other", [*celery, "-Q", "assessment,celery", "-n", "load-other@%h"])
        gunicorn = stack.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "vroeg.wsgi:application", "--config", "deploy/gunicorn.conf.py"],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.web_workers)},
        )
        wait_until_up(f"{host}/inloggen/", gunicorn)
        print(
            f"database: {signals_before:,} signals, {cases:,} cases; gunicorn {args.web_workers} sync workers "
            f"on {host}; Celery: 1 intake worker, 1 assessment/default worker (Redis db 6)"
        )
        alone = baseline(host, samples)
        print(
            f"baseline, one caseworker alone: queue {alone['queue, first page']:.0f} ms, "
            f"case page {alone['case page']:.0f} ms (medians; load average now "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        print(
            f"locust: {args.users - args.partners} caseworkers ({args.think} s between actions) + "
            f"{args.partners} partners, spawn {args.spawn_rate:g}/s, {args.run_time} ...",
            flush=True,
        )
        began = time.perf_counter()
        locust = stack.start(
            "locust",
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--stop-timeout",
                "30",
                "--host",
                host,
                "--csv",
                str(stats_prefix),
                "--only-summary",
            ],
            env={
                **os.environ,
                "LOAD_SAMPLES": str(VAR / "samples.json"),
                "LOAD_PASSWORD": PASSWORD,
                "LOAD_UPLOADS": str(uploads_log),
                "LOAD_PARTNERS": str(args.partners),
                "LOAD_RUN": run_tag,
                "LOAD_UPLOAD_ROWS": args.upload_rows,
                "LOAD_THINK": args.think,
            },
        )
        locust.wait()
        load_average = "/".join(f"{n:.1f}" for n in os.getloadavg())
        print(
            f"locust ran {time.perf_counter() - began:.0f} s (exit {locust.returncode}); load average at the end "
            f"{load_average} on {os.cpu_count()} CPUs (1/5/15 min)",
            flush=True,
        )
        stack.stop("locust")
        stack.stop("gunicorn")
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            waited = wait_for_deliveries(conn, started_at, args.drain_timeout)
            print(
                f"deliveries processed {waited} s after the run"
                if waited >= 0
                else f"deliveries still open after {args.drain_timeout:.0f} s",
                flush=True,
            )
            stack.stop("celery-intake")
            # The first assessment of the new cases may still run: let it finish.
            if not stack.stop("celery-other", timeout=args.drain_timeout):
                print("the assessment worker was still busy and had to be killed", flush=True)
            failures, problems = endpoint_table(stats_prefix, alone)
            problems += reconcile(conn, uploads_log, signals_before, started_at)
        errors = server_errors()
        print()
        for line in problems + errors[:40]:
            print(f"PROBLEM {line}")
        if len(errors) > 40:
            print(f"... and {len(errors) - 40} more lines in the logs under {VAR}")
        lost = [p for p in problems if not p.startswith(("failure:", "exception"))]
        print(
            f"result: {failures} failed requests, {len(errors)} error lines in the server logs, "
            f"{len(lost)} reconciliation problems -> {'OK' if not (failures or errors or lost) else 'NOT OK'}"
        )
        exit_code = 1 if failures or errors or lost else 0
    except KeyboardInterrupt:
        print("interrupted; stopping everything", file=sys.stderr)
        exit_code = 130
    finally:
        stack.stop_all()
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
