"""The intake engine: one delivery file in, signals matched into cases out.

Runs inside the caller's transaction (signals.services.delivery_process), so a
delivery is stored completely or not at all:

1. stream the file through the validator (signals/csvformat.py); valid rows go
   into the signal table in batches with status `_staged` (PostgreSQL: COPY),
   rejected rows into RejectedLine;
2. set-based SQL: reject later lines that repeat a reference of the same file,
   mark repeats of earlier deliveries, create missing households, residents and
   cases, link the signals and update the cases' totals;
3. staged signals become `Nog niet opgepakt`.

Memory stays flat: rows are never all held in Python.
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.models import Case, Household, Resident
from vroeg.municipalities.models import Municipality

from .csvformat import FileRefused, ParsedRow, RowError, RowValidator, read_signal_file
from .models import PARTNER_TYPE_BITS, Delivery, RejectedLine, Signal, SignalStatus

BATCH_SIZE = 5000
STAGED = SignalStatus.STAGED.value

SIGNAL = Signal._meta.db_table
HOUSEHOLD = Household._meta.db_table
RESIDENT = Resident._meta.db_table
CASE = Case._meta.db_table

COLUMNS = [
    "partner_id", "delivery_id", "line_number", "partner_referentie", "signal_type", "crisis",
    "warm_handover", "amount", "arrears_since", "signal_date", "bsn", "initials", "prefix",
    "surname", "birth_date", "street", "house_number", "house_number_suffix", "postcode", "city",
    "phone", "email", "municipality_id", "status", "received_on", "person_key",
]  # fmt: skip


@dataclass(frozen=True)
class Counts:
    rows: int
    accepted: int
    repeated: int
    rejected: int


def person_key(row: ParsedRow) -> str:
    """Who a signal is about, within a household: BSN, else surname + birth date."""
    if row.bsn:
        return f"bsn:{row.bsn}"
    name = unicodedata.normalize("NFKD", f"{row.prefix}{row.surname}".lower())
    name = "".join(ch for ch in name if ch.isalnum())
    return f"name:{name}|{row.birth_date.isoformat() if row.birth_date else ''}"


def ingest(
    delivery: Delivery, stream: BinaryIO, *, progress: Callable[[int], None] | None = None
) -> Counts:
    """Process one delivery inside the current transaction. Raises FileRefused."""
    partner = delivery.partner
    codes = dict(
        partner.municipalities.filter(active=True).values_list("code", "id")
    )
    if not codes:
        raise FileRefused("Deze partner levert (nog) aan geen gemeente; neem contact op met de gemeente.")
    served = list(Municipality.objects.filter(active=True).values_list("code", flat=True)[:2])
    validator = RowValidator(
        allowed_types=set(partner.signal_types),
        received_on=delivery.received_on,
        municipality_codes=set(codes),
        default_municipality=served[0] if len(served) == 1 else None,
    )
    loader = _StagingLoader(delivery, codes)
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

    _reject_repeated_references_in_file(delivery)
    _mark_repeats_of_earlier_deliveries(delivery)
    _match_into_cases(delivery)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SIGNAL} SET status = %s WHERE delivery_id = %s AND status = %s",
            [SignalStatus.NOT_PICKED_UP_YET.value, delivery.pk, STAGED],
        )
    return Counts(
        rows=rows,
        accepted=Signal.objects.filter(
            delivery=delivery, status=SignalStatus.NOT_PICKED_UP_YET
        ).count(),
        repeated=Signal.objects.filter(delivery=delivery, status=SignalStatus.REPEATED).count(),
        rejected=RejectedLine.objects.filter(delivery=delivery).count(),
    )


class _StagingLoader:
    """Writes valid rows into the signal table in batches (COPY on PostgreSQL)."""

    def __init__(self, delivery: Delivery, codes: dict[str, int]):
        self.delivery = delivery
        self.codes = codes
        self.buffer: list[tuple] = []

    def add(self, row: ParsedRow) -> None:
        self.buffer.append(
            (
                self.delivery.partner_id, self.delivery.pk, row.line, row.partner_referentie,
                row.signal_type, row.crisis, row.warm_handover, row.amount, row.arrears_since,
                row.signal_date, row.bsn, row.initials, row.prefix, row.surname, row.birth_date,
                row.street, row.house_number, row.house_number_suffix, row.postcode, row.city,
                row.phone, row.email, self.codes[row.municipality_code], STAGED,
                self.delivery.received_on, person_key(row),
            )
        )  # fmt: skip
        if len(self.buffer) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {SIGNAL} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for values in self.buffer:
                        copy.write_row(values)
            else:
                placeholders = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {SIGNAL} ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                    self.buffer,
                )
        self.buffer.clear()


def _reject_repeated_references_in_file(delivery: Delivery) -> None:
    """The same partner_referentie twice in one file: the later lines are rejected."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, line_number, partner_referentie, first_line FROM (
                SELECT id, line_number, partner_referentie,
                       MIN(line_number) OVER (PARTITION BY partner_referentie) AS first_line
                FROM {SIGNAL} WHERE delivery_id = %s AND status = %s
            ) numbered
            WHERE line_number > first_line
            """,
            [delivery.pk, STAGED],
        )
        doubles = cursor.fetchall()
    if not doubles:
        return
    RejectedLine.objects.bulk_create(
        RejectedLine(
            delivery=delivery,
            line_number=line,
            partner_referentie=ref,
            reasons=[f"partner_referentie '{ref}' staat al op regel {first} van dit bestand."],
        )
        for _, line, ref, first in doubles
    )
    ids = [pk for pk, *_ in doubles]
    for start in range(0, len(ids), BATCH_SIZE):
        Signal.objects.filter(pk__in=ids[start : start + BATCH_SIZE]).delete()


def repeat_lookback_start(received_on: date) -> date:
    return received_on - relativedelta(months=settings.VROEG_REPEAT_LOOKBACK_MONTHS)


def _mark_repeats_of_earlier_deliveries(delivery: Delivery) -> None:
    """Same partner and reference within the look-back period, amount not higher
    than the latest earlier signal: `Niet opgepakt: herhaalde melding`."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {SIGNAL} SET status = %s
            WHERE delivery_id = %s AND status = %s AND amount <= (
                SELECT earlier.amount FROM {SIGNAL} earlier
                WHERE earlier.partner_id = %s
                  AND earlier.partner_referentie = {SIGNAL}.partner_referentie
                  AND earlier.received_on >= %s
                  AND earlier.delivery_id <> %s
                ORDER BY earlier.received_on DESC, earlier.id DESC
                LIMIT 1
            )
            """,
            [
                SignalStatus.REPEATED.value,
                delivery.pk,
                STAGED,
                delivery.partner_id,
                repeat_lookback_start(delivery.received_on),
                delivery.pk,
            ],
        )


def _match_into_cases(delivery: Delivery) -> None:
    """Accepted signals join the open case of their household, or start one."""
    staged = [delivery.pk, STAGED]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {HOUSEHOLD}
                (municipality_id, postcode, house_number, house_number_suffix, street, city)
            SELECT municipality_id, postcode, house_number, house_number_suffix,
                   MIN(street), MIN(city)
            FROM {SIGNAL} WHERE delivery_id = %s AND status = %s
            GROUP BY municipality_id, postcode, house_number, house_number_suffix
            ON CONFLICT DO NOTHING
            """,
            staged,
        )
        cursor.execute(
            f"""
            UPDATE {SIGNAL} SET household_id = (
                SELECT h.id FROM {HOUSEHOLD} h
                WHERE h.municipality_id = {SIGNAL}.municipality_id
                  AND h.postcode = {SIGNAL}.postcode
                  AND h.house_number = {SIGNAL}.house_number
                  AND h.house_number_suffix = {SIGNAL}.house_number_suffix
            )
            WHERE delivery_id = %s AND status = %s
            """,
            staged,
        )
        cursor.execute(
            f"""
            INSERT INTO {RESIDENT}
                (household_id, person_key, bsn, initials, prefix, surname, birth_date)
            SELECT household_id, person_key, MAX(bsn), MAX(initials), MAX(prefix),
                   MAX(surname), MAX(birth_date)
            FROM {SIGNAL} WHERE delivery_id = %s AND status = %s
            GROUP BY household_id, person_key
            ON CONFLICT DO NOTHING
            """,
            staged,
        )
        cursor.execute(
            f"""
            UPDATE {SIGNAL} SET resident_id = (
                SELECT r.id FROM {RESIDENT} r
                WHERE r.household_id = {SIGNAL}.household_id
                  AND r.person_key = {SIGNAL}.person_key
            )
            WHERE delivery_id = %s AND status = %s
            """,
            staged,
        )
        cursor.execute(
            f"""
            INSERT INTO {CASE}
                (household_id, municipality_id, state, opened_at, signal_count, total_amount,
                 has_crisis, partner_type_mask)
            SELECT DISTINCT s.household_id, s.municipality_id, %s, %s, 0, 0, %s, 0
            FROM {SIGNAL} s
            WHERE s.delivery_id = %s AND s.status = %s
              AND NOT EXISTS (
                  SELECT 1 FROM {CASE} c
                  WHERE c.household_id = s.household_id AND c.closed_at IS NULL
              )
            ON CONFLICT DO NOTHING
            """,
            ["new", now, False, *staged],
        )
        cursor.execute(
            f"""
            UPDATE {SIGNAL} SET case_id = (
                SELECT c.id FROM {CASE} c
                WHERE c.household_id = {SIGNAL}.household_id AND c.closed_at IS NULL
            )
            WHERE delivery_id = %s AND status = %s
            """,
            staged,
        )
        cursor.execute(
            f"""
            UPDATE {CASE} SET
                signal_count = signal_count + (
                    SELECT COUNT(*) FROM {SIGNAL} s
                    WHERE s.case_id = {CASE}.id AND s.delivery_id = %s AND s.status = %s),
                total_amount = total_amount + (
                    SELECT SUM(s.amount) FROM {SIGNAL} s
                    WHERE s.case_id = {CASE}.id AND s.delivery_id = %s AND s.status = %s),
                has_crisis = (has_crisis OR EXISTS (
                    SELECT 1 FROM {SIGNAL} s
                    WHERE s.case_id = {CASE}.id AND s.delivery_id = %s AND s.status = %s
                      AND s.crisis)),
                partner_type_mask = partner_type_mask | %s
            WHERE id IN (SELECT case_id FROM {SIGNAL} WHERE delivery_id = %s AND status = %s)
            """,
            [*staged, *staged, *staged, PARTNER_TYPE_BITS[delivery.partner.partner_type], *staged],
        )
