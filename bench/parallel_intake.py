"""Parallel intake (issue 21, docs/adr/0018-parallel-intake.md): four deliveries for four
municipalities, processed by 1 worker process one after the other vs 4 worker
processes at the same time, on PostgreSQL.

    python bench/parallel_intake.py [--rows 25000] [--database-url postgres://…/vroeg_bench_par]

Creates a fresh database, generates 4 Signaal-CSV v1 files with bench/ingest.py's
generator (plus a gemeentecode column), and measures:

- serial: one process receives and processes the 4 files in turn (municipalities 1-4);
- parallel: 4 processes, each one file (municipalities 5-8, same files otherwise);
- the baseline: a plain COPY of the same 4 files into a bare table, one after the other.

Each worker process is timed from after Django set-up (what a long-running worker
spends). The parallel run goes second, so its tables are a little fuller. The machine
is shared: compare the ratio within one run. Measures only; never fails on time.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
_spec = importlib.util.spec_from_file_location("bench_ingest", BASE_DIR / "bench" / "ingest.py")
bench_ingest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_ingest)

TOWNS = [f"{9000 + i}" for i in range(8)]


def worker(argv: list[str]) -> None:
    """In a child process: receive and process each (partner, file) pair in turn."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from signals.models import Partner
    from signals.services import delivery_process, delivery_receive

    started = time.perf_counter()
    for pair in argv:
        code, path = pair.split("=", 1)
        with open(path, "rb") as stream:
            delivery = delivery_receive(
                partner=Partner.objects.get(code=code), stream=stream, original_name=Path(path).name, keep_file=False
            )
            stream.seek(0)
            delivery = delivery_process(delivery_id=delivery.pk, stream=stream)
        print(f"{code}: {delivery.status} {delivery.accepted_count} accepted, {delivery.repeated_count} repeated")
    print(f"elapsed={time.perf_counter() - started:.3f}")


def with_town(source: Path, target: Path, town: str) -> None:
    with source.open(encoding="utf-8") as inp, target.open("w", encoding="utf-8", newline="") as out:
        header = inp.readline().rstrip("\r\n")
        out.write(header + ";gemeentecode\r\n")
        for line in inp:
            out.write(line.rstrip("\r\n") + f";{town}\r\n")


def run_workers(groups: list[list[str]], env: dict) -> tuple[float, list[float], str]:
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", *group],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for group in groups
    ]
    outputs = [p.communicate()[0].decode() for p in processes]
    wall = time.perf_counter() - started
    if any(p.returncode for p in processes):
        sys.exit("a worker failed:\n" + "\n".join(outputs))
    inner = [float(o.strip().splitlines()[-1].split("=", 1)[1]) for o in outputs]
    results = "; ".join(line for o in outputs for line in o.strip().splitlines()[:-1])
    return wall, inner, results


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        return worker(sys.argv[2:])
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=25_000, help="rows per file")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vroeg_bench_par")
    args = parser.parse_args()
    url = args.database_url
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    setup = (
        "from vroeg.municipalities.models import Municipality as M\n"
        "from signals.services import partner_upsert\n"
        f"for code in {TOWNS!r}:\n"
        "    m, _ = M.objects.get_or_create(code=code, defaults={'name': 'Gemeente ' + code, 'inhabitants': 200000})\n"
        "    partner_upsert(code='bench-' + code, name='Bench ' + code, partner_type='Energie', municipalities=[m])\n"
    )
    subprocess.run([sys.executable, "manage.py", "shell", "-c", setup], cwd=BASE_DIR, env=env, check=True)

    with tempfile.TemporaryDirectory() as tmp:
        files, raws = {}, []
        for index, town in enumerate(TOWNS):
            raw = Path(tmp) / f"raw-{index % 4}.csv"
            if not raw.exists():
                bench_ingest.generate(raw, args.rows, seed=index % 4, repeat_refs=[])
                raws.append(raw)
            files[town] = Path(tmp) / f"levering-{town}.csv"
            with_town(raw, files[town], town)
        copies = []
        for raw in raws:  # the same rows without the gemeentecode column
            copies.append(bench_ingest.copy_baselines(url, raw, fresh=True)[1])
        copy_total = sum(copies)

        serial_wall, serial_inner, serial_result = run_workers(
            [[f"bench-{town}={files[town]}" for town in TOWNS[:4]]], env
        )
        parallel_wall, parallel_inner, parallel_result = run_workers(
            [[f"bench-{town}={files[town]}"] for town in TOWNS[4:]], env
        )
    print(f"database: PostgreSQL ({name}); 4 files of {args.rows:,} rows, 4 municipalities, {os.cpu_count()} CPUs")
    print(f"{'run':<22} {'wall s':>7} {'in-worker s':>11} {'rows/s':>8} {'/COPY':>7}")
    total = 4 * args.rows
    for label, wall, inner in (
        ("plain COPY (4 files)", copy_total, copy_total),
        ("1 worker, serial", serial_wall, max(serial_inner)),
        ("4 workers, parallel", parallel_wall, max(parallel_inner)),
    ):
        print(f"{label:<22} {wall:>7.2f} {inner:>11.2f} {total / wall:>8,.0f} {wall / copy_total:>6.1f}x")
    print(
        f"speed-up 4 workers vs 1: {serial_wall / parallel_wall:.2f}x wall, "
        f"{max(serial_inner) / max(parallel_inner):.2f}x in-worker"
    )
    print(f"serial: {serial_result}")
    print(f"parallel: {parallel_result}")


if __name__ == "__main__":
    main()
