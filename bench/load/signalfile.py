"""Signaal-CSV v1 files for the load test, like a partner's real delivery.

Shared by run.py (the signals loaded before the run, through `import_signals`) and
the locustfile (the partners' uploads during the run). About 25 % of households get
more than one signal; about 0.5 % of rows are invalid (an amount that is not one)
and 0.2 % repeat a reference within the file, so every file has some rejected rows;
`repeats` (references and amounts of an earlier delivery of the same partner) come
back with the same amount and are repeats (contract: "Row outcomes").
"""

import importlib.util
import random
from datetime import date, timedelta
from pathlib import Path

# The contract's columns, as bench/ingest.py writes them (one list for every benchmark).
_spec = importlib.util.spec_from_file_location("bench_ingest", Path(__file__).resolve().parent.parent / "ingest.py")
_bench_ingest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench_ingest)
COLUMNS = _bench_ingest.COLUMNS
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
    "Dijkstra",
    "Brouwer",
    "Kok",
    "Jacobs",
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
INITIALS = ["J.", "M.", "A.", "P.", "H.", "W.", "E.M.", "C.J.", "S.", "R."]
LETTERS = [a + b for a in "ABCEGHJKLMNPRTVWXZ" for b in "ABCEGHJKLMNPRTVWXZ"]
# Postcodes of one mid-sized municipality: a few hundred four-digit areas.
POSTCODE_DIGITS = range(2500, 2800)
# Each partner sends only its own sector's Bgs types (Bgs art. 2-5).
PARTNERS = {
    "load-huur": ("Woonstichting Voorbeeld", "Huur", ["huur"]),
    "load-zorg": ("Zorgverzekeraar Voorbeeld", "Zorg", ["zorgverzekering"]),
    "load-water": ("Waterbedrijf Voorbeeld", "Water", ["drinkwater"]),
    "load-energie": ("Energie Voorbeeld", "Energie", ["elektra", "gas", "warmte"]),
    "load-energie2": ("Stroom & Gas Voorbeeld", "Energie", ["elektra", "gas"]),
}


def _valid_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        last = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def signal_file(
    *,
    rows: int,
    seed: int,
    prefix: str,
    types: list[str],
    received: date,
    repeats: list[tuple[str, str]] = (),
) -> tuple[bytes, list[tuple[str, str]]]:
    """A file of `rows` data rows (plus the header) and the (reference, amount) of
    its rows, for a later file's repeats. References start with `prefix`."""
    rng = random.Random(seed)
    lines = [";".join(COLUMNS)]
    sent: list[tuple[str, str]] = []
    repeats = list(repeats)
    while len(lines) - 1 < rows:
        household = rng.choice([2, 2, 3, 4]) if rng.random() < 0.25 else 1
        postcode = f"{rng.choice(POSTCODE_DIGITS)}{rng.choice(LETTERS)}"
        number = str(rng.randint(1, 300))
        suffix = rng.choice(["", "", "", "", "A", "2", "bis"])
        street = rng.choice(STREETS)
        surname_prefix, _, surname = rng.choice(SURNAMES).rpartition(" ")
        bsn = _valid_bsn(rng) if rng.random() < 0.6 else ""
        birth = date(1940, 1, 1) + timedelta(days=rng.randint(0, 25000))
        for _ in range(household):
            written = len(lines) - 1
            if written >= rows:
                break
            amount = f"{rng.randint(80, 4000)},{rng.randint(0, 99):02d}"
            if repeats and rng.random() < 0.05:
                ref, amount = repeats.pop()
            else:
                ref = f"{prefix}-{written:07d}"
            if rng.random() < 0.002 and written:  # a reference repeated within the file
                ref = sent[-1][0]
            if rng.random() < 0.005:
                amount = "onbekend"  # an invalid row
            signal_date = received - timedelta(days=rng.randint(0, 20))
            since = signal_date - timedelta(days=rng.randint(30, 200))
            lines.append(
                ";".join(
                    [
                        ref,
                        rng.choice(types),
                        "ja" if rng.random() < 0.05 else "nee",
                        "nee",
                        amount,
                        since.isoformat(),
                        signal_date.strftime("%d-%m-%Y"),
                        bsn,
                        rng.choice(INITIALS),
                        surname_prefix,
                        surname,
                        birth.isoformat(),
                        street,
                        number,
                        suffix,
                        postcode,
                        "Voorbeeldstad",
                        f"06{rng.randint(10000000, 99999999)}" if rng.random() < 0.5 else "",
                        f"bewoner.{prefix.lower()}.{written}@example.nl" if rng.random() < 0.3 else "",
                    ]
                )
            )
            sent.append((ref, amount))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8"), sent
