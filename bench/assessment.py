"""The first assessment of every open case, as beat's `cases.assess_pending` runs it,
on PostgreSQL (BRP backend as configured; the default asks no BRP).

    python bench/assessment.py [--database-url postgres://…]

Uses the database `bench/ingest.py` filled (default vroeg_bench): marks every open
case as needing its first assessment, runs the job, and prints cases per second,
queries per 200 cases, and a baseline (one GROUP BY over the same cases). Measures
only; never fails on time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vroeg_bench")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.assessment import BrpRun, cases_assess_pending
    from cases.models import Case

    open_cases = Case.objects.filter(closed_at__isnull=True)
    count = open_cases.update(needs_assessment=True, assess_after=None, assessment_failures=0)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT municipality_id, count(*) FROM cases_case WHERE closed_at IS NULL GROUP BY 1")
        cursor.fetchall()
    baseline = time.perf_counter() - started

    brp = BrpRun()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as first:
        done = cases_assess_pending(limit=200, brp=brp)
    while cases_assess_pending(limit=200, brp=brp) == 200:
        done += 200
    took = time.perf_counter() - started
    print(f"open cases assessed: {count:,}")
    print(f"first assessment:   {took:8.2f} s   {count / took:8.0f} cases/s")
    print(f"queries per 200:    {len(first.captured_queries):8d}")
    print(f"baseline GROUP BY:  {baseline:8.3f} s   (ratio {took / baseline:,.0f}x)")


if __name__ == "__main__":
    main()
