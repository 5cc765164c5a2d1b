"""Team lead reports and the DDAS export at national scale.

    python bench/reports.py [--skip-load]

1. The year report (every table of /team/rapportages/) for a municipality with
   1,000,000 signals: uses the database of bench/pages.py (`vroeg_bench_pages`;
   built first unless --skip-load), renders the report page through Django's test
   client as a team lead and prints the median server time and the SQL queries,
   with a PostgreSQL baseline: one plain COUNT(*) ... GROUP BY over the same signals.
   `--url` (or `BENCH_REPORTS_URL`) names another database with the same data, e.g. a
   copy made with `createdb -T vroeg_bench_pages vroeg_bench_reports` (the bench
   creates a team lead user in it); with `--queries` it also prints each query's time.
2. The DDAS export of a month with 100,000 signals: bench/ddas.py (wall time, peak RSS
   of the command's process, output size, COPY baseline).
Measures only; never fails on time.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

import pages  # noqa: E402  (bench/pages.py)


def measure_report(runs: int = 5, url: str = pages.URL, show_queries: bool = False) -> None:
    os.environ.update({"DATABASE_URL": url, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true", "REQUIRE_2FA": "false"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from vroeg.accounts import roles
    from vroeg.accounts.services import user_upsert
    from vroeg.municipalities.models import Municipality

    setup_test_environment()
    town = Municipality.objects.get(code="9999")
    lead = user_upsert(username="bench-teamleider", password="x" * 16, role=roles.TEAM_LEAD, municipalities=[town])
    client = Client()
    client.force_login(lead)
    url = f"/team/rapportages/?municipality={town.pk}&period=year&year=2026"
    client.get(url)  # warm up
    timings, queries = [], set()
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
        queries.add(len(ctx))
    if show_queries:
        for query in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:12]:
            print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM signals_signal WHERE municipality_id = %s", [town.pk])
        signals = cursor.fetchone()[0]
        began = time.perf_counter()
        cursor.execute(
            "SELECT date_trunc('month', received_on), partner_id, status, COUNT(*) FROM signals_signal "
            "WHERE municipality_id = %s AND received_on BETWEEN '2026-01-01' AND '2026-12-31' GROUP BY 1, 2, 3",
            [town.pk],
        )
        cursor.fetchall()
        baseline = (time.perf_counter() - began) * 1000
    print(
        f"year report, {signals:,} signals: median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms, {'/'.join(map(str, sorted(queries)))} queries; "
        f"baseline (one GROUP BY over the signals) {baseline:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--url", default=os.environ.get("BENCH_REPORTS_URL") or pages.URL, help="database to use")
    parser.add_argument("--queries", action="store_true", help="print the slowest queries of the last run")
    parser.add_argument("--report-only", action="store_true", help="leave out the DDAS export")
    args = parser.parse_args()
    if not args.skip_load and args.url != pages.URL:
        parser.error("--url needs --skip-load: only bench/pages.py's own database is built here")
    if not args.skip_load:
        env = {**os.environ, "DATABASE_URL": pages.URL, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true"}
        pages.load(1_000_000, 300_000, env)
    measure_report(url=args.url, show_queries=args.queries)
    if args.report_only:
        return
    import ddas  # bench/ddas.py

    print(ddas.measure_export(skip_load=args.skip_load))


if __name__ == "__main__":
    main()
