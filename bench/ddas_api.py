"""The DDAS pull API paging through a large year, next to the file export of that year.

    python bench/ddas_api.py [--skip-load] [--page-size 25000]

Uses bench/ddas.py's database (built unless --skip-load: 110,000 signals with their
cases, contact attempts and end results; `BENCH_DDAS_URL` names another database) and
asks the year 2026 of municipality 9999 — far more than a year of a municipality of
100,000 inhabitants (some 3,000-6,000 signals) — as CBS would: a Vroeg web server in
a process of its own (`manage.py runserver --noreload --nothreading`, debug off, the
API on with a throw-away PKI from testkit/pki.py), then every page over HTTP with a
signed body and a bearer token. Prints per page the wall time, the records and the
body size, and the server's peak RSS (VmHWM) after the first page and after the last;
then `export_ddas` of the same year in a process of its own (bench/ddas.py), with its
peak RSS, and the server's RSS before any call (Django's own footprint). The
response's signature is checked for the first page (Pki.verify_response).
Measures only; never fails on time.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

import ddas as file_bench  # noqa: E402  (bench/ddas.py: the database and the file export)

from testkit.pki import pki_build  # noqa: E402

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} for {pid}")


def _server(env: dict, pki, port: int) -> subprocess.Popen:
    server_env = {
        **env,
        "DJANGO_DEBUG": "false",  # no query log kept in memory
        "VROEG_DEMO": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-real-installation-0123456789",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DDAS_API_RATE": "1000/hour",
        **{
            name: str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in pki.settings().items()
        },
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=server_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    sys.exit("the server did not start")


def _post(url: str, pki, body: dict) -> requests.Response:
    raw = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {pki.token()}", **pki.signed_headers(raw)}
    return requests.post(url, data=raw, headers=headers, timeout=600)


def measure(skip_load: bool, page_size: int) -> dict:
    env = file_bench._env()
    if not skip_load:
        file_bench.load(env)
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        pki = pki_build(Path(tmp) / "pki")
        server = _server(env, pki, port)
        try:
            idle_rss = _rss_mb(server.pid, "VmRSS")
            url = f"http://127.0.0.1:{port}/ddas/v1/gegevens"
            body = {
                "aanleverperiodeStartdatum": YEAR[0].isoformat(),
                "aanleverperiodeEinddatum": YEAR[1].isoformat(),
                "aanleverende_organisatie": "GM9999",
                "pageSize": page_size,
            }
            pages, number, total_pages, first_page_peak, signals, cases = [], 1, 1, 0.0, 0, 0
            while number <= total_pages:
                began = time.perf_counter()
                answer = _post(url, pki, {**body, "page": number})
                wall = time.perf_counter() - began
                if answer.status_code != 200:
                    sys.exit(f"page {number}: {answer.status_code} {answer.text[:500]}")
                if number == 1:
                    pki.verify_response(answer.content, answer.headers)
                    first_page_peak = _rss_mb(server.pid, "VmHWM")
                document = answer.json()
                total_pages = document["paginering"]["totalPages"]
                [levering] = document["gegevens"]["leveringen"]
                signals += len(levering["vroegsignalen"])
                cases += len(levering["vroegsignaalzaken"])
                records = len(levering["vroegsignalen"]) + len(levering["vroegsignaalzaken"])
                pages.append({"page": number, "wall_s": wall, "records": records, "mb": len(answer.content) / 1e6})
                del document, levering, answer
                number += 1
            last_peak = _rss_mb(server.pid, "VmHWM")
        finally:
            server.terminate()
            server.wait(timeout=30)
        export_wall, export_rss, summary = file_bench._run_export(env, *YEAR, Path(tmp) / "ddas-2026.json")
    return {
        "pages": pages,
        "total_records": signals + cases,
        "signals": signals,
        "cases": cases,
        "idle_rss_mb": idle_rss,
        "first_page_peak_mb": first_page_peak,
        "last_page_peak_mb": last_peak,
        "export_wall_s": export_wall,
        "export_peak_rss_mb": export_rss,
        "export_summary": summary,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-load", action="store_true", help="reuse the database of an earlier run")
    parser.add_argument("--page-size", type=int, default=25_000)
    args = parser.parse_args()
    figures = measure(args.skip_load, args.page_size)
    print(f"database: PostgreSQL ({file_bench.DATABASE}); the year {YEAR[0]} to {YEAR[1]}, municipality 9999")
    print(
        f"  API: {figures['total_records']:,} records ({figures['signals']:,} signals, {figures['cases']:,} cases) "
        f"in {len(figures['pages'])} pages of {args.page_size:,}"
    )
    print(f"  export_ddas: {figures['export_summary']}")
    print(f"{'page':>6} {'records':>9} {'wall s':>8} {'body MB':>8}")
    for page in figures["pages"]:
        print(f"{page['page']:>6} {page['records']:>9,} {page['wall_s']:>8.2f} {page['mb']:>8.1f}")
    print(f"{'run':<42} {'wall s':>8} {'peak RSS MB':>12}")
    print(f"{'web server, started, before any call':<42} {'':>8} {figures['idle_rss_mb']:>12.0f}")
    print(
        f"{'web server, after page 1':<42} {figures['pages'][0]['wall_s']:>8.2f} {figures['first_page_peak_mb']:>12.0f}"
    )
    total = sum(p["wall_s"] for p in figures["pages"])
    print(f"{'web server, after every page':<42} {total:>8.2f} {figures['last_page_peak_mb']:>12.0f}")
    export = f"{figures['export_wall_s']:>8.2f} {figures['export_peak_rss_mb']:>12.0f}"
    print(f"{'export_ddas, the whole year to a file':<42} {export}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    main()
