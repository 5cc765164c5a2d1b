"""The intake engine: one delivery file in, signals matched into cases out.

Runs inside the caller's transaction (signals.services.delivery_process), so a
delivery is stored completely or not at all:

1. stream the file through the validator (signals/csvformat.py); valid rows go
   in batches into a temporary table without indexes (PostgreSQL: COPY),
   rejected rows into RejectedLine;
2. set-based SQL on that table: reject later lines that repeat a reference of the
   same file, let cases refuse rows (objections: `intake_refusals`), mark repeats of
   earlier deliveries, let cases match the accepted rows into households, residents
   and cases (`intake_matching`); signals never imports cases (signals/hooks.py);
3. one INSERT … SELECT writes the final signals, linked through `intake_links`.

Every signal row is written once, and memory stays flat: rows are never all held
in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection

from vroeg.dutch import name_key, normalise_name, own_key
from vroeg.municipalities.models import Municipality

from .csvformat import (
    FileRefused,
    ParsedRow,
    RowError,
    RowValidator,
    read_signal_file,
)
from .hooks import intake_links, intake_matching, intake_refusals
from .locks import intake_lock
from .models import Delivery, RejectedLine, Signal, SignalStatus

BATCH_SIZE = 5000

SIGNAL = Signal._meta.db_table
ROWS = "intake_rows"

# Columns the file fills, in the order the loader writes them (temporary table and signal).
ROW_COLUMNS = [
    "line_number",
    "partner_referentie",
    "signal_type",
    "crisis",
    "warm_handover",
    "amount",
    "arrears_since",
    "signal_date",
    "bsn",
    "initials",
    "prefix",
    "surname",
    "birth_date",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "phone",
    "email",
    "municipality_id",
    "person_key",
]
# Only in the temporary table: the row's name key (vroeg/dutch.py), with which cases
# links a BSN to a surname + birth date.
TEMP_ONLY_COLUMNS = ["name_key"]

CREATE_ROWS = f"""
CREATE TEMPORARY TABLE {ROWS} (
    line_number integer, partner_referentie varchar(64), signal_type varchar(30),
    crisis boolean, warm_handover boolean, amount numeric(9, 2), arrears_since date,
    signal_date date, bsn varchar(9), initials varchar(20), prefix varchar(10),
    surname varchar(200), birth_date date, street varchar(200), house_number integer,
    house_number_suffix varchar(4), postcode varchar(6), city varchar(200), phone varchar(16),
    email varchar(254), municipality_id bigint, person_key varchar(240), name_key varchar(240),
    outcome varchar(10) NOT NULL DEFAULT 'accepted'
)"""


@dataclass(frozen=True)
class Counts:
    rows: int
    accepted: int
    repeated: int
    rejected: int


def _keys(row: ParsedRow) -> tuple[str, str]:
    """Who a signal is about, within a household (its person_key: BSN, else surname +
    birth date), and its name key; the name is normalised once."""
    normalised = normalise_name(row.prefix, row.surname)
    return (
        own_key(bsn=row.bsn, normalised_name=normalised, birth_date=row.birth_date),
        name_key(normalised, row.birth_date),
    )


def ingest(delivery: Delivery, stream: BinaryIO, *, progress: Callable[[int], None] | None = None) -> Counts:
    """Process one delivery inside the current transaction. Raises FileRefused."""
    partner = delivery.partner
    codes = dict(partner.municipalities.filter(active=True).values_list("code", "id"))
    if not codes:
        raise FileRefused("Deze partner levert (nog) aan geen gemeente; neem contact op met de gemeente.")
    served = list(Municipality.objects.filter(active=True).values_list("code", flat=True)[:2])
    validator = RowValidator(
        allowed_types=set(partner.allowed_signal_types),
        received_on=delivery.received_on,
        municipality_codes=set(codes),
        default_municipality=served[0] if len(served) == 1 else None,
    )
    with connection.cursor() as cursor:
        cursor.execute(CREATE_ROWS)
    loader = _RowLoader(codes)
    rejected: list[RejectedLine] = []
    rows = 0
    for outcome in read_signal_file(stream, validator=validator):
        rows += 1
        if isinstance(outcome, RowError):
            rejected.append(
                RejectedLine(
                    delivery=delivery,
                    line_number=outcome.line,
                    partner_referentie=outcome.partner_referentie,
                    reasons=outcome.reasons,
                )
            )
            if len(rejected) >= BATCH_SIZE:
                RejectedLine.objects.bulk_create(rejected)
                rejected.clear()
        else:
            loader.add(outcome)
        if progress is not None and rows % BATCH_SIZE == 0:
            progress(rows)
    loader.flush()
    RejectedLine.objects.bulk_create(rejected)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Temporary tables get no autovacuum statistics; a small sample is
            # enough for the planner to choose hash joins.
            cursor.execute("SET LOCAL default_statistics_target = 10")
            cursor.execute(f"ANALYZE {ROWS}")
            cursor.execute("RESET default_statistics_target")
            # Room for the grouping and hash joins of a whole file in memory.
            cursor.execute("SET LOCAL work_mem = '64MB'")
    # Up to here nothing shared was read or written: from here on the partner and the
    # municipalities of the loaded rows are locked (signals/locks.py).
    intake_lock(partner_id=delivery.partner_id, rows=ROWS)
    _reject_repeated_references_in_file(delivery)
    _refuse_rows(delivery)
    _mark_repeats_of_earlier_deliveries(delivery)
    intake_matching(delivery=delivery, rows=ROWS)
    counts = _write_signals(delivery)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {ROWS}")
    return Counts(
        rows=rows,
        accepted=counts.get("accepted", 0),
        repeated=counts.get("repeated", 0),
        rejected=RejectedLine.objects.filter(delivery=delivery).count(),
    )


class _RowLoader:
    """Writes valid rows into the temporary table in batches (COPY on PostgreSQL)."""

    def __init__(self, codes: dict[str, int]):
        self.codes = codes
        self.buffer: list[tuple] = []

    def add(self, row: ParsedRow) -> None:
        own, by_name = _keys(row)
        self.buffer.append(
            (
                row.line,
                row.partner_referentie,
                row.signal_type,
                row.crisis,
                row.warm_handover,
                row.amount,
                row.arrears_since,
                row.signal_date,
                row.bsn,
                row.initials,
                row.prefix,
                row.surname,
                row.birth_date,
                row.street,
                row.house_number,
                row.house_number_suffix,
                row.postcode,
                row.city,
                row.phone,
                row.email,
                self.codes[row.municipality_code],
                own,
                by_name,
            )
        )
        if len(self.buffer) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        columns = ", ".join(ROW_COLUMNS + TEMP_ONLY_COLUMNS)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {ROWS} ({columns}) FROM STDIN") as copy:
                    for values in self.buffer:
                        copy.write_row(values)
            else:
                placeholders = ", ".join(["%s"] * len(ROW_COLUMNS + TEMP_ONLY_COLUMNS))
                cursor.executemany(f"INSERT INTO {ROWS} ({columns}) VALUES ({placeholders})", self.buffer)
        self.buffer.clear()


def _reject_repeated_references_in_file(delivery: Delivery) -> None:
    """The same partner_referentie twice in one file: the later lines are rejected."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT line_number, partner_referentie, first_line FROM (
                SELECT line_number, partner_referentie,
                       MIN(line_number) OVER (PARTITION BY partner_referentie) AS first_line
                FROM {ROWS}
            ) numbered
            WHERE line_number > first_line
            """
        )
        doubles = cursor.fetchall()
        if not doubles:
            return
        lines = [line for line, _, _ in doubles]
        for start in range(0, len(lines), BATCH_SIZE):
            chunk = lines[start : start + BATCH_SIZE]
            cursor.execute(
                f"UPDATE {ROWS} SET outcome = 'duplicate' WHERE line_number IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
    RejectedLine.objects.bulk_create(
        (
            RejectedLine(
                delivery=delivery,
                line_number=line,
                partner_referentie=ref,
                reasons=[f"partner_referentie '{ref}' staat al op regel {first} van dit bestand."],
            )
            for line, ref, first in doubles
        ),
        batch_size=BATCH_SIZE,
    )


def _refuse_rows(delivery: Delivery) -> None:
    """Rows the apps above intake refuse (cases: the resident objected), each with its
    reason for the delivery report; nothing else of them is stored."""
    refused = [row for refusals in intake_refusals(delivery=delivery, rows=ROWS) for row in refusals]
    if not refused:
        return
    lines = [line for line, _, _ in refused]
    with connection.cursor() as cursor:
        for start in range(0, len(lines), BATCH_SIZE):
            chunk = lines[start : start + BATCH_SIZE]
            cursor.execute(
                f"UPDATE {ROWS} SET outcome = 'refused' WHERE line_number IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
    RejectedLine.objects.bulk_create(
        (
            RejectedLine(delivery=delivery, line_number=line, partner_referentie=ref, reasons=[reason])
            for line, ref, reason in refused
        ),
        batch_size=BATCH_SIZE,
    )


def repeat_lookback_start(received_on: date) -> date:
    return received_on - relativedelta(months=settings.VROEG_REPEAT_LOOKBACK_MONTHS)


def _mark_repeats_of_earlier_deliveries(delivery: Delivery) -> None:
    """`Niet opgepakt: herhaalde melding` (contract "Row outcomes"; DDAS "recent al een
    signaal ontvangen en opgepakt"): the last *accepted* signal of this partner with
    this reference (never a repeat itself) was received within the look-back period
    before this delivery's date of receipt, and this amount is not higher than that
    signal's."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ROWS} SET outcome = 'repeated'
            WHERE outcome = 'accepted' AND amount <= (
                SELECT earlier.amount FROM {SIGNAL} earlier
                WHERE earlier.partner_id = %s
                  AND earlier.partner_referentie = {ROWS}.partner_referentie
                  AND earlier.received_on BETWEEN %s AND %s
                  AND NOT earlier.is_repeat
                ORDER BY earlier.received_on DESC, earlier.id DESC
                LIMIT 1
            )
            """,
            [delivery.partner_id, repeat_lookback_start(delivery.received_on), delivery.received_on],
        )


def _write_signals(delivery: Delivery) -> dict[str, int]:
    """Insert accepted and repeated rows as signals in one statement, linked to the
    resident and case that matching gave them (intake_links); count them."""
    columns = ", ".join(ROW_COLUMNS)
    links = intake_links.provider()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SIGNAL} ({columns}, partner_id, delivery_id, received_on, status,
                                  is_repeat, resident_id, case_id)
            SELECT {", ".join(f"t.{c}" for c in ROW_COLUMNS)}, %s, %s, %s,
                   CASE WHEN t.outcome = 'repeated' THEN %s
                        WHEN {links.picked_up} THEN %s ELSE %s END,
                   t.outcome = 'repeated', {links.resident_id}, {links.case_id}
            FROM {ROWS} t {links.joins}
            WHERE t.outcome IN ('accepted', 'repeated')
            """,
            [
                delivery.partner_id,
                delivery.pk,
                delivery.received_on,
                SignalStatus.REPEATED.value,
                # A signal joining a case that was picked up already is picked up too.
                SignalStatus.PICKED_UP.value,
                SignalStatus.NOT_PICKED_UP_YET.value,
            ],
        )
        cursor.execute(f"SELECT outcome, COUNT(*) FROM {ROWS} GROUP BY outcome")
        return dict(cursor.fetchall())
