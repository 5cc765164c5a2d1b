"""How fast are legal deadlines computed? Every signal gets one at intake and the
queue sorts on them, so a national-scale import computes hundreds of thousands.

    python bench/workdays.py [N]

Prints calls per second for legal_term_end (4-week term) and add_working_days
(3 working days, crisis) over N receipt dates spread over three years, and the
database queries per call: the module functions load the decreed closure days on
every call; a shared WorkCalendar (what a bulk import uses) once per year.
Measures only; never fails on time.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")  # only to skip the SECRET_KEY requirement

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from vroeg.workdays import WorkCalendar, add_working_days, legal_term_end  # noqa: E402


def measure(label: str, func, days: list[date]) -> None:
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        for day in days:
            func(day)
        elapsed = time.perf_counter() - started
    print(
        f"{label:<40} {len(days):>8} calls {elapsed:8.3f} s "
        f"{len(days) / elapsed:>12,.0f} calls/s {queries / len(days):6.2f} queries/call"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    start = date(2025, 1, 1)
    days = [start + timedelta(days=i % (3 * 365)) for i in range(n)]
    print(f"database: {connection.vendor}")
    measure("legal_term_end(d, 28)", lambda d: legal_term_end(d, 28), days)
    measure("add_working_days(d, 3)", lambda d: add_working_days(d, 3), days)
    shared = WorkCalendar()
    measure("WorkCalendar().legal_term_end(d, 28)", lambda d: shared.legal_term_end(d, 28), days)
    measure("WorkCalendar().add_working_days(d, 3)", lambda d: shared.add_working_days(d, 3), days)


if __name__ == "__main__":
    main()
