"""The DDAS export to CBS for a month of 100,000 signals, through the real command.

    python bench/ddas.py [--skip-load]

Builds (unless --skip-load) a fresh PostgreSQL database `vroeg_bench_ddas` (or the one
`BENCH_DDAS_URL` names): 100,000 signals received in November 2026 (four deliveries
of 25,000 rows, each split over the partners of the four sectors, about 25 % of
households with 2-4 signals, 60 % with a BSN) plus 10,000 received on 26 October,
imported through `manage.py import_signals`; then walks a share of the cases on in
SQL (bench data, not the product's path): 70 % picked up, one to three contact
attempts each, some reached and some with help accepted, 40 % of all cases closed
(ten days after receipt) with an end result that fits their stage. So the October
cases closed on 5 November, with their October signals, belong in the November
delivery; the other October cases and signals do not.

Then runs `manage.py export_ddas` for November in a process of its own and prints
its wall time (Python start-up included), peak RSS and output size; the peak RSS of
the same command over an empty month (Django's own footprint); and, as the floor, the
time of a plain PostgreSQL `COPY (SELECT ...) TO STDOUT` of the same signal rows.
Measures only; never fails on time. `measure_export(skip_load=...)` returns the
figures for another script.
"""

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# BENCH_DDAS_URL gives it another database (e.g. when several people bench on one server).
URL = os.environ.get("BENCH_DDAS_URL") or "postgres://postgres@127.0.0.1:5432/vroeg_bench_ddas"
DATABASE = URL.rsplit("/", 1)[1]
MONTH = (date(2026, 11, 1), date(2026, 11, 30))
RECEIPTS = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
EARLIER = date(2026, 10, 26)  # the month before: only its cases closed in November are exported
ROWS_PER_DELIVERY = 25_000
EARLIER_ROWS = 10_000
# The Bgs types and the partner (one per sector) that sends each: a partner may send
# the Bgs types of its own sector only.
SECTORS = {
    "huur": "Huur",
    "drinkwater": "Water",
    "zorgverzekering": "Zorg",
    "elektra": "Energie",
    "gas": "Energie",
    "warmte": "Energie",
}
TYPES = list(SECTORS)
LETTERS = [a + b for a in "ABCEGHJKLMNPRTVWXZ" for b in "ABCEGHJKLMNPRTVWXZ"]
COLUMNS = (
    "partner_referentie;signaal_type;crisissignaal;warme_overdracht;bedrag_achterstand;datum_ontstaan;"
    "signaaldatum;bsn;voorletters;achternaam;geboortedatum;straat;huisnummer;huisnummertoevoeging;"
    "postcode;woonplaats;telefoonnummer;email"
)


def _env() -> dict:
    # The intake queues its first assessment on the broker; with the default
    # filesystem broker that would land in the checkout's var/: use a folder of our own.
    var_dir = os.environ.get("VROEG_VAR_DIR") or str(Path(tempfile.gettempdir()) / "vroeg-bench-ddas-var")
    return {**os.environ, "DATABASE_URL": URL, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true", "VROEG_VAR_DIR": var_dir}


def _bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def generate(folder: Path, rows: int, received: date, prefix: str, rng: random.Random) -> dict[str, Path]:
    """Exactly `rows` valid rows, ~25 % of households with 2-4 signals, written as one
    file per sector (its partner's delivery); returns the files by partner type."""
    written = 0
    paths = {sector: folder / f"{prefix}{sector}.csv" for sector in set(SECTORS.values())}
    with contextlib.ExitStack() as stack:
        files = {sector: stack.enter_context(path.open("w", encoding="utf-8")) for sector, path in paths.items()}
        for out in files.values():
            out.write(COLUMNS + "\n")
        while written < rows:
            signals = rng.choice([2, 2, 3, 4]) if rng.random() < 0.25 else 1
            postcode = f"{rng.randint(1000, 9999)}{rng.choice(LETTERS)}"
            number = rng.randint(1, 300)
            suffix = rng.choice(["", "", "", "", "A", "2", "bis"])
            bsn = _bsn(rng) if rng.random() < 0.6 else ""
            born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 25000))
            for _ in range(min(signals, rows - written)):
                day = received - timedelta(days=rng.randint(0, 20))
                signal_type = rng.choice(TYPES)
                files[SECTORS[signal_type]].write(
                    f"{prefix}{written:07d};{signal_type};{'ja' if rng.random() < 0.03 else 'nee'};"
                    f"{'ja' if rng.random() < 0.02 else 'nee'};{rng.randint(80, 4000)},{rng.randint(0, 99):02d};"
                    f"{(day - timedelta(days=rng.randint(30, 200))).isoformat()};{day.isoformat()};{bsn};J.;"
                    f"Naam{rng.randint(1, 5000)};{born.isoformat()};Dorpsstraat;{number};{suffix};{postcode};"
                    f"Voorbeeldstad;{'0612345678' if rng.random() < 0.5 else ''};"
                    f"{f'bewoner{written}@example.nl' if rng.random() < 0.3 else ''}\n"
                )
                written += 1
    return paths


def load(env: dict) -> None:
    import psycopg

    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')

    def run(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True
        ).stdout

    run("migrate", "-v0")
    run(
        "shell",
        "-c",
        (
            "from vroeg.municipalities.models import Municipality as M\n"
            "from signals.services import partner_upsert\n"
            "from vroeg.accounts import roles\n"
            "from vroeg.accounts.services import user_upsert\n"
            "m, _ = M.objects.get_or_create(code='9999', defaults={'name': 'Voorbeeldstad', 'inhabitants': 900000})\n"
            f"for ptype in sorted(set({SECTORS!r}.values())):\n"
            "    partner_upsert(code='bench-' + ptype.lower(), name='Bench ' + ptype, partner_type=ptype,\n"
            "                   municipalities=[m])\n"
            "user_upsert(username='bench-medewerker', password='x' * 16, role=roles.CASEWORKER, municipalities=[m])"
        ),
    )
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        deliveries = [(EARLIER, EARLIER_ROWS, "OKT")]
        deliveries += [(on, ROWS_PER_DELIVERY, f"N{i}-") for i, on in enumerate(RECEIPTS)]
        for received, rows, prefix in deliveries:
            paths = generate(Path(tmp), rows, received, prefix, rng)
            began = time.perf_counter()
            for ptype, path in sorted(paths.items()):
                printed = run(
                    "import_signals",
                    str(path),
                    "--partner",
                    "bench-" + ptype.lower(),
                    "--received-on",
                    received.isoformat(),
                )
                if "rejected=0" not in printed:  # the bench data must be valid, or it measures nothing
                    sys.exit(f"import_signals rejected rows of {path.name}:\n{printed[-2000:]}")
            print(f"  imported {rows:,} signals received {received} ({time.perf_counter() - began:.1f} s)", flush=True)
    began = time.perf_counter()
    walk_cases(env)
    print(f"  walked cases on in SQL ({time.perf_counter() - began:.1f} s)", flush=True)


def walk_cases(env: dict) -> None:
    """Pick up, attempt contact with and close a share of the cases, set-based in SQL,
    with the same rules as the services (end results that fit the stage, signal statuses)."""
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from cases.models import OUTCOMES_BY_STATE, OUTCOMES_THAT_ARE_SIGNAL_STATUSES, CaseState
    from outreach.models import ContactKind
    from signals.models import SignalStatus
    from vroeg.accounts.models import User

    user_id = User.objects.get(username="bench-medewerker").pk
    with transaction.atomic(), connection.cursor() as cursor:
        # As if each file had been imported on its day of receipt, not all today: the
        # export selects cases by the day they were opened too.
        cursor.execute(
            "UPDATE cases_case SET opened_at = (first_received_on + TIME '09:00') AT TIME ZONE 'Europe/Amsterdam'"
        )
        cursor.execute(
            "UPDATE cases_case SET state = %s, picked_up_on = first_received_on + 2 WHERE id %% 10 < 7",
            [CaseState.OUTREACH.value],
        )
        cursor.execute(
            """
            INSERT INTO outreach_contactattempt (case_id, kind, reached, attempted_at, part_of_day, note,
                                                 recorded_by_id, recorded_at, via_reply)
            SELECT c.id, (%(kinds)s::text[])[1 + (c.id + n) %% 10], (c.id + n) %% 4 = 0, t.at,
                   CASE WHEN EXTRACT(HOUR FROM t.at AT TIME ZONE 'Europe/Amsterdam') < 12 THEN 'Ochtend'
                        WHEN EXTRACT(HOUR FROM t.at AT TIME ZONE 'Europe/Amsterdam') < 18 THEN 'Middag'
                        ELSE 'Avond' END,
                   '', %(user)s, now(), false
            FROM cases_case c
            CROSS JOIN generate_series(0, 2) n
            CROSS JOIN LATERAL (
                SELECT ((c.first_received_on + 3 + n)::timestamp + (8 + (c.id * 7 + n) %% 13) * INTERVAL '1 hour')
                       AT TIME ZONE 'Europe/Amsterdam' AS at
            ) t
            WHERE c.state = %(outreach)s AND n <= c.id %% 3
            """,
            {"kinds": ContactKind.values, "user": user_id, "outreach": CaseState.OUTREACH.value},
        )
        cursor.execute(
            """
            UPDATE cases_case c SET state = %s, first_attempt_on = a.first, first_contact_on = a.reached
            FROM (SELECT case_id, MIN(attempted_at)::date AS first,
                         MIN(attempted_at) FILTER (WHERE reached)::date AS reached
                  FROM outreach_contactattempt GROUP BY case_id) a
            WHERE a.case_id = c.id AND a.reached IS NOT NULL
            """,
            [CaseState.CONTACT.value],
        )
        cursor.execute(
            "UPDATE cases_case SET state = %s, help_accepted_on = first_contact_on + 1 "
            "WHERE state = %s AND id %% 3 = 0",
            [CaseState.HELP_ACCEPTED.value, CaseState.CONTACT.value],
        )
        for state, outcomes in OUTCOMES_BY_STATE.items():
            cursor.execute(
                """
                UPDATE cases_case SET closed_from = state, state = %(closed)s,
                       outcome = (%(outcomes)s::text[])[1 + (id / 10) %% %(count)s],
                       closed_at = (first_received_on + 10)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                WHERE state = %(state)s AND (id / 7) %% 5 < 2
                """,
                {
                    "closed": CaseState.CLOSED.value,
                    "outcomes": [str(o) for o in outcomes],
                    "count": len(outcomes),
                    "state": str(state),
                },
            )
        cursor.execute(
            """
            UPDATE signals_signal s SET status = CASE
                WHEN c.outcome = ANY(%(statuses)s::text[]) THEN c.outcome
                WHEN c.picked_up_on IS NOT NULL OR c.state = %(closed)s THEN %(picked_up)s
                ELSE s.status END
            FROM cases_case c WHERE s.case_id = c.id
            """,
            {
                "statuses": [str(o) for o in OUTCOMES_THAT_ARE_SIGNAL_STATUSES],
                "closed": CaseState.CLOSED.value,
                "picked_up": SignalStatus.PICKED_UP.value,
            },
        )
        cursor.execute("UPDATE cases_case SET next_due = NULL WHERE state = %s", [CaseState.CLOSED.value])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# Runs the command in its arguments; prints its wall time, exit status, output and own
# peak RSS. It runs in a small process of its own because a child's peak RSS includes
# the memory of the process that forked it (until exec): measured straight from this
# bench, it would count the bench's own memory (Django, the parsed JSON).
_MEASURE = """
import json, os, subprocess, sys, time
began = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
printed = child.stdout.read().decode()
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"wall": time.perf_counter() - began, "exit": os.waitstatus_to_exitcode(status),
                  "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime, "printed": printed}))
"""


_LAST_CPU = [0.0]


def _run_export(env: dict, start: date, end: date, output: Path) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of the command in a process of its own, and its
    summary; its CPU seconds (less sensitive to a busy machine) go to _LAST_CPU."""
    command = [
        sys.executable,
        "manage.py",
        "export_ddas",
        "--municipality",
        "9999",
        "--start",
        start.isoformat(),
        "--end",
        end.isoformat(),
        "--output",
        str(output),
    ]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["exit"] != 0:
        sys.exit(f"export_ddas failed:\n{result['printed']}")
    summary = next(line for line in result["printed"].splitlines() if line.startswith("Gemeente"))
    _LAST_CPU[0] = result["cpu"]
    return result["wall"], result["maxrss_kb"] / 1024, summary  # ru_maxrss is in KB on Linux


def copy_baseline(start: date, end: date) -> tuple[float, int]:
    """Seconds and bytes of a plain COPY of the exported signal columns of the period."""
    import psycopg

    query = (
        "COPY (SELECT s.id, s.partner_id, s.crisis, s.warm_handover, s.amount, s.arrears_since, s.signal_date,"
        " s.status, s.bsn, s.postcode, s.house_number, s.house_number_suffix, s.birth_date"
        " FROM signals_signal s JOIN municipalities_municipality m ON m.id = s.municipality_id"
        f" WHERE m.code = '9999' AND s.received_on BETWEEN '{start}' AND '{end}' ORDER BY s.id) TO STDOUT"
    )
    size = 0
    with psycopg.connect(URL) as conn:
        began = time.perf_counter()
        with conn.cursor().copy(query) as copy:
            for chunk in copy:
                size += len(chunk)
        return time.perf_counter() - began, size


def measure_export(skip_load: bool) -> dict:
    """Build (unless skip_load) the bench database, export November, return the figures."""
    env = _env()
    if not skip_load:
        load(env)
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "ddas-2026-11.json"
        wall, rss, summary = _run_export(env, *MONTH, output)
        cpu = _LAST_CPU[0]
        size = output.stat().st_size
        document = json.loads(output.read_text(encoding="utf-8"))
        [levering] = document["leveringen"]
        signals, cases = len(levering["vroegsignalen"]), len(levering["vroegsignaalzaken"])
        attempts = sum(len(c["contactpogingen"]) for c in levering["vroegsignaalzaken"])
        closed = sum("resultaat" in c for c in levering["vroegsignaalzaken"])
        del document, levering
        empty_wall, empty_rss, _ = _run_export(env, date(2020, 1, 1), date(2020, 1, 31), Path(tmp) / "empty.json")
        empty_cpu = _LAST_CPU[0]
    copy_s, copy_bytes = copy_baseline(*MONTH)
    return {
        "signals": signals,
        "cases": cases,
        "closed_cases": closed,
        "contact_attempts": attempts,
        "wall_s": wall,
        "cpu_s": cpu,
        "empty_cpu_s": empty_cpu,
        "peak_rss_mb": rss,
        "output_mb": size / 1e6,
        "summary": summary,
        "empty_wall_s": empty_wall,
        "empty_peak_rss_mb": empty_rss,
        "copy_s": copy_s,
        "copy_mb": copy_bytes / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-load", action="store_true", help="reuse the database of an earlier run")
    args = parser.parse_args()
    figures = measure_export(skip_load=args.skip_load)
    print(f"database: PostgreSQL ({DATABASE}); export of {MONTH[0]} to {MONTH[1]}, municipality 9999")
    print(f"  {figures['summary']}")
    print(
        f"  written: {figures['signals']:,} signals, {figures['cases']:,} cases "
        f"({figures['closed_cases']:,} closed), {figures['contact_attempts']:,} contact attempts"
    )
    print(f"{'run':<34} {'wall s':>8} {'CPU s':>6} {'peak RSS MB':>12} {'output MB':>10}")
    print(
        f"{'export_ddas, the month':<34} {figures['wall_s']:>8.2f} {figures['cpu_s']:>6.2f} "
        f"{figures['peak_rss_mb']:>12.0f} {figures['output_mb']:>10.1f}"
    )
    print(
        f"{'export_ddas, an empty month':<34} {figures['empty_wall_s']:>8.2f} {figures['empty_cpu_s']:>6.2f} "
        f"{figures['empty_peak_rss_mb']:>12.0f}"
    )
    copy = f"{figures['copy_s']:>8.2f} {'':>6} {'':>12} {figures['copy_mb']:>10.1f}"
    print(f"{'COPY (SELECT signals) TO STDOUT':<34} {copy}")


if __name__ == "__main__":
    main()
