"""Signal intake at national scale, through the real command, on PostgreSQL.

    python bench/ingest.py [--rows 100000] [--files 1] [--preload 0] [--database-url postgres://…]

Creates a fresh database (default vroeg_bench on 127.0.0.1), generates realistic
Signaal-CSV v1 files (about 25 % of households with more than one signal, some
repeats of an earlier delivery, some duplicate references and invalid rows) and
imports each with `manage.py import_signals` in a process of its own. For each file
it prints:

- wall: that process's wall time, Python start-up and Django set-up included;
- in-proc: the time of the delivery's processing itself (`delivery_process`, timed
  inside the same process), which is what a long-running intake worker spends;
- peak RSS of the process;
- the baseline of issue 21, measured right after on the same file: a plain
  PostgreSQL COPY into an *indexed* table (the contract's columns as text, a
  primary key and the indexes intake's signals need: reference, BSN, postcode +
  house number, upper(surname)); this table keeps its rows from file to file, as
  the signals table does. And a COPY into a bare table without any index;
- the ratios of wall and in-proc to the indexed COPY.

With --files > 1 the files are imported one after another into the same database
(1,000,000 rows = 10 files of 100,000: the contract caps a file at 50 MB), which
shows memory staying flat as the tables grow. --preload N first imports N rows the
same way (files of --rows, not measured), so that `--preload 900000` measures one
file with 900,000 signals present. Measures only; never fails on time.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

COLUMNS = [
    "partner_referentie",
    "signaal_type",
    "crisissignaal",
    "warme_overdracht",
    "bedrag_achterstand",
    "datum_ontstaan",
    "signaaldatum",
    "bsn",
    "voorletters",
    "voorvoegsel",
    "achternaam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "huisnummertoevoeging",
    "postcode",
    "woonplaats",
    "telefoonnummer",
    "email",
]
SURNAMES = [
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Schoolstraat",
    "Molenweg",
    "Stationsweg",
    "Julianastraat",
    "Beatrixlaan",
    "Nieuwstraat",
    "Parallelweg",
    "Wilhelminastraat",
]
# An energy supplier's file: a partner sends only its own sector's Bgs types (Bgs art. 5).
TYPES = ["elektra", "gas", "warmte"]
POSTCODE_LETTERS = [a + b for a in "ABCEGHJKLMNPRTVWXZ" for b in "ABCEGHJKLMNPRTVWXZ"]


def valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def generate(path: Path, rows: int, seed: int, repeat_refs: list[str]) -> None:
    """Write a delivery of `rows` rows; ~25 % of households get 2–4 signals."""
    rng = random.Random(seed)
    received = date(2026, 11, 2)
    written = 0
    repeats = iter(repeat_refs)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(COLUMNS) + "\r\n")
        while written < rows:
            household_signals = rng.choice([2, 2, 3, 4]) if rng.random() < 0.25 else 1
            postcode = f"{rng.randint(1000, 9999)}{rng.choice(POSTCODE_LETTERS)}"
            number = str(rng.randint(1, 300))
            suffix = rng.choice(["", "", "", "", "A", "2", "bis"])
            street = rng.choice(STREETS)
            surname = rng.choice(SURNAMES)
            prefix, _, last = surname.rpartition(" ")
            bsn = valid_bsn(rng) if rng.random() < 0.6 else ""
            birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 25000))
            for _ in range(household_signals):
                if written >= rows:
                    break
                ref = next(repeats, None) or f"B{seed}-{written:08d}"
                if rng.random() < 0.002 and written:  # a reference repeated within the file
                    ref = f"B{seed}-{written - 1:08d}"
                amount = f"{rng.randint(80, 4000)},{rng.randint(0, 99):02d}"
                if rng.random() < 0.005:
                    amount = "onbekend"  # an invalid row
                signal_date = received - timedelta(days=rng.randint(0, 20))
                since = signal_date - timedelta(days=rng.randint(30, 200))
                out.write(
                    ";".join(
                        [
                            ref,
                            rng.choice(TYPES),
                            "ja" if rng.random() < 0.05 else "nee",
                            "nee",
                            amount,
                            since.isoformat(),
                            signal_date.strftime("%d-%m-%Y"),
                            bsn,
                            "J.",
                            prefix,
                            last,
                            birth.isoformat(),
                            street,
                            number,
                            suffix,
                            postcode,
                            "Voorbeeldstad",
                            f"06{rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else "",
                            f"bewoner{written}@example.nl" if rng.random() < 0.3 else "",
                        ]
                    )
                    + "\r\n"
                )
                written += 1


INDEXES = [
    "partner_referentie",
    "bsn) WHERE (bsn <> ''",
    "postcode, huisnummer",
    "upper(achternaam) text_pattern_ops",
]


def import_one(argv: list[str]) -> None:
    """In the child process: run `manage.py import_signals` as the command does, and
    time `delivery_process` (the processing itself) from inside."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vroeg.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from signals.management.commands import import_signals

    timed = {}
    process = import_signals.delivery_process

    def delivery_process(**kwargs):
        started = time.perf_counter()
        try:
            return process(**kwargs)
        finally:
            timed["process"] = time.perf_counter() - started

    import_signals.delivery_process = delivery_process
    execute_from_command_line(["manage.py", "import_signals", *argv])
    print(f"in-process={timed['process']:.3f}")


def run_import(path: Path, received_on: str, env: dict) -> tuple[float, float, float, str]:
    """Wall time, in-process time, peak RSS (MB) and result line of one import."""
    command = [sys.executable, __file__, "--import-one", str(path), "--partner", "bench", "--received-on", received_on]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"import failed:\n{output}")
    lines = output.strip().splitlines()
    in_process = float(lines[-1].split("=", 1)[1])
    return elapsed, in_process, usage.ru_maxrss / 1024, lines[-2]


def copy_into(conn: psycopg.Connection, table: str, path: Path) -> float:
    started = time.perf_counter()
    with (
        conn.cursor().copy(
            f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv, DELIMITER ';', HEADER true)"
        ) as copy,
        path.open("rb") as f,
    ):
        while chunk := f.read(1 << 20):
            copy.write(chunk)
    return time.perf_counter() - started


def copy_baselines(url: str, path: Path, *, fresh: bool) -> tuple[float, float]:
    """Seconds of a plain COPY of the file into the indexed baseline table (which keeps
    its earlier rows unless `fresh`) and into a bare table of text columns."""
    columns = ", ".join(f"{c} text" for c in COLUMNS)
    with psycopg.connect(url, autocommit=True) as conn:
        if fresh:
            conn.execute("DROP TABLE IF EXISTS bench_copy_indexed")
            conn.execute(f"CREATE TABLE bench_copy_indexed (id bigserial PRIMARY KEY, {columns})")
            for number, index in enumerate(INDEXES):
                conn.execute(f"CREATE INDEX bench_copy_indexed_{number} ON bench_copy_indexed ({index})")
        indexed = copy_into(conn, "bench_copy_indexed", path)
        conn.execute("DROP TABLE IF EXISTS bench_copy_bare")
        conn.execute(f"CREATE TABLE bench_copy_bare ({columns})")
        bare = copy_into(conn, "bench_copy_bare", path)
        conn.execute("DROP TABLE bench_copy_bare")
        return indexed, bare


def main() -> None:
    if sys.argv[1:2] == ["--import-one"]:
        return import_one(sys.argv[2:])
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="rows per file")
    parser.add_argument("--files", type=int, default=1, help="files measured")
    parser.add_argument("--preload", type=int, default=0, help="rows imported first, not measured")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vroeg_bench")
    args = parser.parse_args()

    url = args.database_url
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true", "VROEG_DEMO": "true"}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run(
        [
            python,
            "manage.py",
            "shell",
            "-c",
            (
                "from vroeg.municipalities.models import Municipality as M\n"
                "from signals.services import partner_upsert\n"
                "m, _ = M.objects.get_or_create(\n"
                "    code='9999', defaults={'name': 'Voorbeeldstad', 'inhabitants': 900000})\n"
                "partner_upsert(code='bench', name='Bench', partner_type='Energie', municipalities=[m])"
            ),
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )

    with tempfile.TemporaryDirectory() as tmp:
        earlier = Path(tmp) / "earlier.csv"
        repeat_refs = [f"R-{i:07d}" for i in range(max(args.rows // 100, 1))]
        with earlier.open("w", encoding="utf-8") as out:  # an earlier delivery, higher amounts
            out.write(
                "partner_referentie;signaal_type;bedrag_achterstand;datum_ontstaan;"
                "signaaldatum;achternaam;straat;huisnummer;postcode;woonplaats\n"
            )
            for ref in repeat_refs:
                out.write(f"{ref};gas;5000,00;2026-06-01;2026-09-01;Jansen;Dorpsstraat;1;1234AB;Voorbeeldstad\n")
        run_import(earlier, "2026-09-15", env)

        preload_files = args.preload // args.rows
        print(
            f"database: PostgreSQL ({name}); {args.files} file(s) of {args.rows:,} rows"
            + (f" after {preload_files * args.rows:,} rows preloaded" if preload_files else "")
        )
        print(
            f"{'file':>4} {'present':>9} {'MB':>5} {'wall s':>7} {'in-proc s':>9} {'rows/s':>7} {'RSS MB':>6} "
            f"{'COPY idx s':>10} {'COPY bare s':>11} {'wall/idx':>8} {'proc/idx':>8}  result"
        )
        total_rows, total_time, total_process = 0, 0.0, 0.0
        for index in range(preload_files + args.files):
            path = Path(tmp) / f"delivery-{index}.csv"
            generate(path, args.rows, seed=index, repeat_refs=repeat_refs if index == 0 else [])
            elapsed, in_process, rss, result = run_import(path, "2026-11-02", env)
            indexed, bare = copy_baselines(url, path, fresh=index == 0)
            size_mb = path.stat().st_size / 1e6
            path.unlink()
            measured = index >= preload_files
            if measured:
                total_rows += args.rows
                total_time += elapsed
                total_process += in_process
            print(
                f"{index + 1:>4} {index * args.rows:>9,} {size_mb:>5.1f} {elapsed:>7.2f} {in_process:>9.2f} "
                f"{args.rows / elapsed:>7,.0f} {rss:>6.0f} {indexed:>10.2f} {bare:>11.2f} "
                f"{elapsed / indexed:>7.1f}x {in_process / indexed:>7.1f}x  {result}"
                + ("" if measured else "  (preload)"),
                flush=True,
            )
        print(
            f"measured: {total_rows:,} rows in {total_time:.1f} s wall, {total_process:.1f} s in-process "
            f"({total_rows / total_time:,.0f} rows/s wall)"
        )


if __name__ == "__main__":
    main()
