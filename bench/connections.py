"""Connections per web process: a new connection per request vs persistent vs the pool.

THREADS threads (a gunicorn worker's threads) each serve REQUESTS "requests" of three
short queries, with Django's `close_old_connections()` before and after each request (as
its request_started / request_finished handlers do). Another connection samples
pg_stat_activity for this process's application_name every 10 ms. Prints requests/s and
the peak number of connections the process held. Example (docs/performance.md):

    DJANGO_DEBUG=true DATABASE_URL="postgres://postgres@127.0.0.1:5432/vroeg_dev?application_name=connbench" \
    WATCH="postgresql://postgres@127.0.0.1:5432/vroeg_dev" MARKER=connbench \
    DATABASE_POOL=true DATABASE_POOL_MAX_SIZE=4 .venv/bin/python bench/connections.py pool-4
"""

import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402

THREADS = int(os.environ.get("THREADS", 8))
REQUESTS = int(os.environ.get("REQUESTS", 60))
QUERIES = 3


def serve() -> None:
    for _ in range(REQUESTS):
        close_old_connections()  # request_started
        for _ in range(QUERIES):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM django_content_type")
                cursor.fetchone()
        close_old_connections()  # request_finished


def main() -> None:
    peak = 0
    threads = [threading.Thread(target=serve) for _ in range(THREADS)]
    with psycopg.connect(os.environ["WATCH"], autocommit=True) as watch:
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
            peak = max(peak, watch.execute(sql, [os.environ["MARKER"]]).fetchone()[0])
            time.sleep(0.01)
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
    served = THREADS * REQUESTS
    print(
        json.dumps(
            {
                "mode": sys.argv[1] if len(sys.argv) > 1 else "",
                "threads": THREADS,
                "requests_per_s": round(served / elapsed),
                "peak_connections": peak,
            }
        )
    )


if __name__ == "__main__":
    main()
