"""Server time and query counts of the caseworker's pages at national scale.

    python bench/pages.py [--signals 1000000] [--households 300000] [--skip-load]

Builds (unless --skip-load) a fresh PostgreSQL database `vroeg_bench_pages` with the
given number of signals spread over that many households (so about as many open
cases), imported through the real intake command in files of 100,000 rows; then
renders the queue (first page, a later page, a work tray, a search) and case pages of
random cases through Django's test client, and prints the median and 95th percentile
server time and the number of SQL queries of each. Measures only; never fails on time.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
URL = os.environ.get("BENCH_PAGES_URL") or "postgres://postgres@127.0.0.1:5432/vroeg_bench_pages"
DATABASE = URL.rsplit("/", 1)[1]
# One partner per sector, each sending only its own Bgs types (Bgs art. 2-5); the
# files take turns, so every sector is present.
SECTORS = {
    "Huur": ["huur"],
    "Zorg": ["zorgverzekering"],
    "Water": ["drinkwater"],
    "Energie": ["elektra", "gas", "warmte"],
}
LETTERS = [a + b for a in "ABCEGHJKLMNPRTVWXZ" for b in "ABCEGHJKLMNPRTVWXZ"]


def _household(i: int) -> tuple[str, str]:
    return f"{1000 + i % 9000}{LETTERS[(i // 9000) % len(LETTERS)]}", str(1 + (i // (9000 * len(LETTERS))) % 300)


def generate(path: Path, rows: int, start: int, households: int, rng: random.Random, types: list[str]) -> None:
    received = date(2026, 11, 2)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "partner_referentie;signaal_type;crisissignaal;bedrag_achterstand;datum_ontstaan;"
            "signaaldatum;achternaam;geboortedatum;straat;huisnummer;postcode;woonplaats\n"
        )
        for n in range(start, start + rows):
            postcode, number = _household(rng.randrange(households))
            day = received - timedelta(days=rng.randint(1, 20))
            out.write(
                f"P{n:08d};{rng.choice(types)};{'ja' if rng.random() < 0.03 else 'nee'};"
                f"{rng.randint(80, 3000)},00;{(day - timedelta(days=90)).isoformat()};{day.isoformat()};"
                f"Naam{rng.randint(1, 5000)};1980-01-01;Dorpsstraat;{number};{postcode};Voorbeeldstad\n"
            )


def load(signals: int, households: int, env: dict) -> None:
    import psycopg

    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    run = lambda *args: subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)  # noqa: E731
    run("migrate", "-v0")
    run(
        "shell",
        "-c",
        (
            "from vroeg.municipalities.models import Municipality as M\n"
            "from signals.services import partner_upsert\n"
            "m, _ = M.objects.get_or_create(code='9999', defaults={'name': 'Voorbeeldstad', 'inhabitants': 900000})\n"
            "for t in ('Huur', 'Zorg', 'Water', 'Energie'):\n"
            "    partner_upsert(code='bench-' + t.lower(), name='Bench ' + t, partner_type=t, municipalities=[m])"
        ),
    )
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, signals, 100_000):
            path = Path(tmp) / f"part-{start}.csv"
            sector = list(SECTORS)[(start // 100_000) % len(SECTORS)]
            generate(path, min(100_000, signals - start), start, households, rng, SECTORS[sector])
            began = time.perf_counter()
            run("import_signals", str(path), "--partner", f"bench-{sector.lower()}", "--received-on", "2026-11-02")
            print(f"  loaded {start + 100_000:,} signals ({time.perf_counter() - began:.1f} s)", flush=True)
    run("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")


def measure(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from cases.models import Case
    from vroeg.accounts import roles
    from vroeg.accounts.services import user_upsert
    from vroeg.municipalities.models import Municipality

    setup_test_environment()
    user = user_upsert(
        username="bench-medewerker",
        password="x" * 16,
        role=roles.CASEWORKER,
        municipalities=[Municipality.objects.get(code="9999")],
    )
    client = Client()
    client.force_login(user)
    cases = Case.objects.count()
    signals = connection.cursor()
    signals.execute("SELECT COUNT(*) FROM signals_signal")
    print(f"database: {signals.fetchone()[0]:,} signals, {cases:,} cases")
    ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:40])
    pages = {
        "queue, first page": ["/werk/"] * 30,
        "queue, page 200": ["/werk/?pagina=200"] * 15,
        "queue, search postcode+nr": ["/werk/?q=1050AB+1"] * 15,
        "queue, filter crisis": ["/werk/?crisis=on"] * 15,
        "queue, search reference": ["/werk/?q=P00012345"] * 5,
        "queue, search surname": ["/werk/?q=Naam123"] * 5,
        "case page": [f"/zaken/{pk}/" for pk in ids],
    }
    _sweep_queue_keys()
    print(f"{'page':<28} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    client.get(f"/zaken/{ids[0]}/")  # warm Django's per-process caches (content types)
    _measure_baselines(ids)
    _measure_pages(client, pages)
    _measure_computed_queue(client, {label: urls for label, urls in pages.items() if label.startswith("queue")})
    partner_client = _partner_client()
    _measure_pages(
        partner_client,
        {
            "partner feedback, page 1": ["/partner/terugkoppeling/"] * 15,
            "partner feedback, a week": ["/partner/terugkoppeling/?date_from=2026-11-16&date_to=2026-11-22"] * 15,
            "partner figures (12 months)": ["/partner/cijfers/"] * 5,
        },
    )
    _measure_csv(partner_client, "/partner/terugkoppeling.csv?date_from=2026-11-01&date_to=2026-11-30")


def _sweep_queue_keys() -> None:
    """What beat does every 10 minutes (cases/queue_keys.py): the stored sort keys for
    today. After a fresh load (or a new day with nothing stamped) it refreshes every
    open case; on a database swept today it does nothing."""
    from cases.queue_keys import queue_keys_sweep

    began = time.perf_counter()
    refreshed = queue_keys_sweep()
    print(f"queue keys sweep: {refreshed:,} cases refreshed in {time.perf_counter() - began:.1f} s")


def _measure_computed_queue(client, pages: dict) -> None:
    """The same queue pages in the same run with the order computed per request (as
    before the stored key, and as the queue does until the sweep stamped today)."""
    from cases.models import QueueKeyStamp

    stamp = QueueKeyStamp.objects.get(pk=1)
    QueueKeyStamp.objects.filter(pk=1).delete()
    try:
        _measure_pages(client, {f"{label} (computed)": urls for label, urls in pages.items()})
    finally:
        stamp.save()


def _partner_client():
    """A user of the bench partner, and 100,000 feedback rows over 50 days (made once,
    straight in SQL: this is test data, not the product's path)."""
    from django.db import connection
    from django.test import Client

    from signals.models import Partner
    from vroeg.accounts import roles
    from vroeg.accounts.services import user_upsert

    partner = Partner.objects.get(code="bench-huur")
    user = user_upsert(username="bench-partner", password="x" * 16, role=roles.PARTNER_USER, partner=partner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM feedback_feedback")
        if cursor.fetchone()[0] == 0:
            cursor.execute(
                """
                INSERT INTO feedback_feedback (signal_id, partner_id, case_id, result, detail, pause_ends_on, given_at)
                SELECT id, partner_id, case_id,
                       CASE WHEN id % 3 = 0 THEN 'hulp_geaccepteerd' ELSE 'niet_opgepakt' END, '',
                       CASE WHEN id % 3 = 0 THEN DATE '2026-12-20' END,
                       TIMESTAMPTZ '2026-10-10 09:00+01' + (id % 50) * INTERVAL '1 day'
                FROM signals_signal ORDER BY id LIMIT 100000
                """
            )
            cursor.execute("ANALYZE feedback_feedback")
    client = Client()
    client.force_login(user)
    return client


def _measure_csv(client, url: str) -> None:
    began = time.perf_counter()
    response = client.get(url)
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    print(
        f"{'partner CSV, a month':<28} {(time.perf_counter() - began) * 1000:>10.1f} {'':>8} {'':>8}  ({rows:,} rows)"
    )


def _measure_baselines(ids: list[int]) -> None:
    """What the pages are measured against, in the same run (the machine is shared):
    the plainest reads of the same rows in SQL, and the plainest page of the site."""
    from django.db import connection
    from django.test import Client

    from vroeg.municipalities.models import Municipality

    municipality = Municipality.objects.get(code="9999").pk
    reads = {
        "baseline: SQL, 26 open cases": (
            "SELECT * FROM cases_case WHERE municipality_id = %s AND closed_at IS NULL ORDER BY next_due LIMIT 26",
            [municipality],
        ),
        "baseline: SQL, 1 case by id": ("SELECT * FROM cases_case WHERE id = %s", [ids[0]]),
    }
    with connection.cursor() as cursor:
        for label, (sql, params) in reads.items():
            timings = []
            for _ in range(30):
                began = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - began) * 1000)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            print(f"{label:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} {1:>8}")
    # A page with nothing on it but the session, the user and the layout.
    _measure_pages(Client(), {"baseline: login page": ["/inloggen/"] * 30})


def _measure_pages(client, pages: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, urls in pages.items():
        timings, queries = [], set()
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries.add(len(ctx))
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        print(f"{label:<28} {statistics.median(timings):>10.1f} {p95:>8.1f} {'/'.join(map(str, sorted(queries))):>8}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": URL, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true", "REQUIRE_2FA": "false"}
    if not args.skip_load:
        load(args.signals, args.households, env)
    measure(env)


if __name__ == "__main__":
    main()
