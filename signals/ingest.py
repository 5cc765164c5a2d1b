"""The intake engine: one delivery file in, signals matched into cases out.

Runs inside the caller's transaction (signals.services.delivery_process), so a
delivery is stored completely or not at all:

1. stream the file through the validator (signals/csvformat.py); valid rows go
   in batches into a temporary table without indexes (PostgreSQL: COPY),
   rejected rows into RejectedLine;
2. set-based SQL on that table: reject later lines that repeat a reference of the
   same file, mark repeats of earlier deliveries, create missing households,
   residents and cases and note their ids;
3. one INSERT … SELECT writes the final signals, one UPDATE the cases' totals.

Every signal row is written once, and memory stays flat: rows are never all held
in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import BinaryIO

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases import deadlines, persons
from cases.models import (
    CAK_PARTNER_TYPES,
    CONSECUTIVE_LOOK_BACK,
    OBJECTABLE_PARTNER_TYPES,
    Case,
    CaseState,
    Household,
    Objection,
    Resident,
    ResidentKey,
)
from vroeg.workdays import WorkCalendar
from vroeg.municipalities.models import Municipality

from .csvformat import (
    FileRefused,
    ParsedRow,
    RowError,
    RowValidator,
    normalise_name,
    read_signal_file,
)
from .models import PARTNER_TYPE_BITS, Delivery, RejectedLine, Signal, SignalStatus

BATCH_SIZE = 5000

SIGNAL = Signal._meta.db_table
HOUSEHOLD = Household._meta.db_table
RESIDENT = Resident._meta.db_table
RESIDENT_KEY = ResidentKey._meta.db_table
CASE = Case._meta.db_table
OBJECTION = Objection._meta.db_table
ROWS = "intake_rows"

# Columns the file fills, in the order the loader writes them (temporary table and signal).
ROW_COLUMNS = [
    "line_number", "partner_referentie", "signal_type", "crisis", "warm_handover", "amount",
    "arrears_since", "signal_date", "bsn", "initials", "prefix", "surname", "birth_date",
    "street", "house_number", "house_number_suffix", "postcode", "city", "phone", "email",
    "municipality_id", "person_key",
]  # fmt: skip
# Only in the temporary table: the row's name key (cases/persons.py), which links a
# BSN to a surname + birth date.
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


def person_key(row: ParsedRow) -> str:
    """Who a signal is about, within a household: BSN, else surname + birth date."""
    return persons.own_key(bsn=row.bsn, normalised_name=normalise_name(row.prefix, row.surname),
                           birth_date=row.birth_date)  # fmt: skip


def ingest(
    delivery: Delivery, stream: BinaryIO, *, progress: Callable[[int], None] | None = None
) -> Counts:
    """Process one delivery inside the current transaction. Raises FileRefused."""
    partner = delivery.partner
    codes = dict(partner.municipalities.filter(active=True).values_list("code", "id"))
    if not codes:
        raise FileRefused(
            "Deze partner levert (nog) aan geen gemeente; neem contact op met de gemeente."
        )
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
    _reject_repeated_references_in_file(delivery)
    _refuse_signals_objected_to(delivery)
    _mark_repeats_of_earlier_deliveries(delivery)
    _match_into_cases(delivery)
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
        self.buffer.append(
            (
                row.line, row.partner_referentie, row.signal_type, row.crisis, row.warm_handover,
                row.amount, row.arrears_since, row.signal_date, row.bsn, row.initials,
                row.prefix, row.surname, row.birth_date, row.street, row.house_number,
                row.house_number_suffix, row.postcode, row.city, row.phone, row.email,
                self.codes[row.municipality_code], person_key(row),
                persons.name_key(normalise_name(row.prefix, row.surname), row.birth_date),
            )
        )  # fmt: skip
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
                cursor.executemany(
                    f"INSERT INTO {ROWS} ({columns}) VALUES ({placeholders})", self.buffer
                )
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
                f"UPDATE {ROWS} SET outcome = 'duplicate' "
                f"WHERE line_number IN ({', '.join(['%s'] * len(chunk))})",
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


def _refuse_signals_objected_to(delivery: Delivery) -> None:
    """The resident objected to signals from this kind of partner (landlords, energy,
    water): the row is refused and the partner reads why in the delivery report,
    without details of the objection. Health insurers are never refused
    (OBJECTABLE_PARTNER_TYPES). The objection holds for the person: a row matches it
    by BSN; by surname + birth date (never two different BSNs, and never a name
    without a birth date: that would refuse every namesake in the municipality); or
    through its household's keys to the resident who objected. Three equality joins,
    so each can use a hash join over the whole file."""
    ptype = delivery.partner.partner_type
    if ptype not in OBJECTABLE_PARTNER_TYPES:
        return
    active = f"o.municipality_id = t.municipality_id AND o.withdrawn_on IS NULL AND (o.partner_type_mask & %s) > 0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t
            JOIN {OBJECTION} o ON o.bsn = t.bsn AND {active}
            WHERE t.outcome = 'accepted' AND t.bsn <> ''
            UNION
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t
            JOIN {OBJECTION} o ON o.name_key = t.name_key AND {active}
            WHERE t.outcome = 'accepted' AND t.birth_date IS NOT NULL AND (t.bsn = '' OR o.bsn = '')
            UNION
            SELECT t.line_number, t.partner_referentie FROM {ROWS} t {_HOUSEHOLD_JOIN}
            JOIN {RESIDENT_KEY} k ON k.household_id = h.id AND k.key = t.person_key
            JOIN {OBJECTION} o ON o.resident_id = k.resident_id AND {active}
            WHERE t.outcome = 'accepted'
            """,
            [PARTNER_TYPE_BITS[ptype]] * 3,
        )
        refused = cursor.fetchall()
        if not refused:
            return
        lines = [line for line, _ in refused]
        for start in range(0, len(lines), BATCH_SIZE):
            chunk = lines[start : start + BATCH_SIZE]
            cursor.execute(
                f"UPDATE {ROWS} SET outcome = 'objected' WHERE line_number IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
    reason = OBJECTED_REASON.format(kind=PARTNER_KIND_WORDS.get(ptype, "deze soort partners"))
    RejectedLine.objects.bulk_create(
        (RejectedLine(delivery=delivery, line_number=line, partner_referentie=ref, reasons=[reason])
         for line, ref in refused),
        batch_size=BATCH_SIZE,
    )  # fmt: skip


# What a partner reads for a row refused after an objection: why, never when or how
# the resident objected, nor anything else about them.
OBJECTED_REASON = (
    "De inwoner heeft bezwaar gemaakt tegen signalen van {kind}. Het signaal is niet verwerkt; "
    "stuur over deze persoon geen signalen meer."
)
PARTNER_KIND_WORDS = {"Huur": "verhuurders", "Energie": "energieleveranciers", "Water": "drinkwaterbedrijven"}


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


# The household of an accepted row, by its normalised address.
_HOUSEHOLD_JOIN = f"""
    JOIN {HOUSEHOLD} h
      ON h.municipality_id = t.municipality_id AND h.postcode = t.postcode
     AND h.house_number = t.house_number AND h.house_number_suffix = t.house_number_suffix"""


def _match_into_cases(delivery: Delivery) -> None:
    """Accepted rows join the open case of their household, or start one.

    Each step is one set-based statement that joins the temporary table to the
    households by address; the final insert of the signals looks the ids up the
    same way, so the wide temporary rows are never rewritten.
    """
    partner_bit = PARTNER_TYPE_BITS[delivery.partner.partner_type]
    received_on = delivery.received_on
    calendar = WorkCalendar()
    if delivery.partner.partner_type in CAK_PARTNER_TYPES:
        # CAK list: not a Wgs signal, so no legal or LCV term; the municipality's own
        # term for its effort duty (CAK_TERM_DAYS) instead.
        terms = {
            "received": received_on, "due": None, "lcv": None,
            "effort": received_on + timedelta(days=settings.CAK_TERM_DAYS),
        }  # fmt: skip
    else:
        terms = {
            "received": received_on,
            "due": deadlines.contact_due(received_on, calendar),
            "lcv": deadlines.lcv_target(received_on),
            "effort": None,
        }
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {HOUSEHOLD}
                (municipality_id, postcode, house_number, house_number_suffix, street, city)
            SELECT municipality_id, postcode, house_number, house_number_suffix,
                   MIN(street), MIN(city)
            FROM {ROWS} t WHERE t.outcome = 'accepted'
            GROUP BY municipality_id, postcode, house_number, house_number_suffix
            ON CONFLICT DO NOTHING
            """
        )
    _match_residents()
    with connection.cursor() as cursor:
        # Open cases that exist already: add this delivery's signals to their totals;
        # an earlier receipt date moves the terms forward; a crisis signal is a proposal
        # for the municipality to judge (cases/crisis.py) unless a crisis term still runs
        # on the date of receipt (a passed term: a new proposal); an earlier pending
        # proposal keeps its date.
        cursor.execute(
            f"""
            UPDATE {CASE} SET
                needs_assessment = %(yes)s,
                signal_count = signal_count + added.signals,
                total_amount = total_amount + added.amount,
                has_crisis = (has_crisis OR added.crisis = 1),
                partner_type_mask = partner_type_mask | %(bit)s,
                first_received_on = CASE WHEN first_received_on IS NULL
                    OR first_received_on > %(received)s THEN %(received)s ELSE first_received_on END,
                contact_due = CASE WHEN %(due)s IS NULL THEN contact_due WHEN contact_due IS NULL
                    OR contact_due > %(due)s THEN %(due)s ELSE contact_due END,
                lcv_target = CASE WHEN %(lcv)s IS NULL THEN lcv_target WHEN lcv_target IS NULL
                    OR lcv_target > %(lcv)s THEN %(lcv)s ELSE lcv_target END,
                effort_due = CASE WHEN %(effort)s IS NULL THEN effort_due WHEN effort_due IS NULL
                    OR effort_due > %(effort)s THEN %(effort)s ELSE effort_due END,
                crisis_proposed_on = CASE WHEN added.crisis = 1 AND crisis_proposed_on IS NULL
                    AND (crisis_due IS NULL OR crisis_due < %(received)s)
                    THEN %(received)s ELSE crisis_proposed_on END
            FROM (
                SELECT c.id AS case_id, COUNT(*) AS signals, SUM(t.amount) AS amount,
                       MAX(CASE WHEN t.crisis THEN 1 ELSE 0 END) AS crisis
                FROM {ROWS} t {_HOUSEHOLD_JOIN}
                JOIN {CASE} c ON c.household_id = h.id AND c.closed_at IS NULL
                WHERE t.outcome = 'accepted'
                GROUP BY c.id
            ) added
            WHERE {CASE}.id = added.case_id
            """,
            {"bit": partner_bit, "yes": True, **terms},
        )
        cursor.execute(
            f"""
            UPDATE {CASE} SET next_due = {_earliest("crisis_due", "contact_due", "effort_due")}
            WHERE id IN (
                SELECT c.id FROM {ROWS} t {_HOUSEHOLD_JOIN}
                JOIN {CASE} c ON c.household_id = h.id AND c.closed_at IS NULL
                WHERE t.outcome = 'accepted'
            )
            """
        )
        # Households without an open case: a new case, born with its totals, marked
        # when the household had another case opened in the last 6 months.
        now = timezone.now()
        cursor.execute(
            f"""
            INSERT INTO {CASE}
                (household_id, municipality_id, state, outcome, closed_from, opened_at,
                 needs_assessment, signal_count, total_amount, has_crisis, partner_type_mask,
                 first_received_on, contact_due, lcv_target, crisis_proposed_on, next_due,
                 follows_recent_case, effort_due)
            SELECT h.id, h.municipality_id, %(new)s, '', '', %(now)s, %(yes)s, COUNT(*),
                   SUM(t.amount),
                   MAX(CASE WHEN t.crisis THEN 1 ELSE 0 END) = 1, %(bit)s,
                   %(received)s, %(due)s, %(lcv)s,
                   CASE WHEN MAX(CASE WHEN t.crisis THEN 1 ELSE 0 END) = 1
                        THEN %(received)s END,
                   COALESCE(%(due)s, %(effort)s),
                   EXISTS (SELECT 1 FROM {CASE} p WHERE p.household_id = h.id
                           AND p.opened_at >= %(consecutive_since)s),
                   %(effort)s
            FROM {ROWS} t {_HOUSEHOLD_JOIN}
            WHERE t.outcome = 'accepted' AND NOT EXISTS (
                SELECT 1 FROM {CASE} c WHERE c.household_id = h.id AND c.closed_at IS NULL
            )
            GROUP BY h.id, h.municipality_id
            """,
            {"new": CaseState.NEW.value, "now": now, "yes": True, "bit": partner_bit,
             "consecutive_since": now - CONSECUTIVE_LOOK_BACK, **terms},  # fmt: skip
        )


PEOPLE = "intake_people"
# The people of the accepted rows with their household, made once so that the steps
# below join a narrow table instead of the wide rows and the households each time.
# `links`: the row carries a BSN and a birth date, so it links the BSN key to the name
# key; `one_bsn`: unless the file names two BSNs with the same name and birth date at
# one address (twins), when the name says nothing about which of them a name-only
# record is.
CREATE_PEOPLE = f"""
CREATE TEMPORARY TABLE {PEOPLE} AS
SELECT h.id AS household_id, t.person_key, t.name_key, t.bsn, t.initials, t.prefix, t.surname,
       t.birth_date, (t.bsn <> '' AND t.birth_date IS NOT NULL) AS links
FROM {ROWS} t {_HOUSEHOLD_JOIN}
WHERE t.outcome = 'accepted'"""
_ONE_BSN_PER_NAME = f"""
    JOIN (SELECT household_id, name_key FROM {PEOPLE} WHERE links
          GROUP BY household_id, name_key HAVING COUNT(DISTINCT bsn) = 1) one
      ON one.household_id = p.household_id AND one.name_key = p.name_key"""


def _match_residents() -> None:
    """Every accepted row gets the resident of its household that its own key leads to
    (cases/persons.py): one resident however a signal names the person.

    1. A linking row whose BSN is new in the household but whose name key leads to a
       resident without another BSN: that resident is known by the BSN from now on
       (and so are its objections).
    2. Rows whose own key leads nowhere start a resident, known by that key.
    3. A linking row whose two keys lead to two residents: they are one person and
       are merged (audited), unless both carry different BSNs (two people).
    4. The name key of every linking row leads to its resident from now on.
    Steps 1, 3 and 4 skip a name that this file gives two BSNs at one address.
    """
    with connection.cursor() as cursor:
        cursor.execute(CREATE_PEOPLE)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {PEOPLE}")
        _insert_keys(cursor, key="p.person_key", resident="kn.resident_id", join=f"""
            JOIN {RESIDENT_KEY} kn ON kn.household_id = p.household_id AND kn.key = p.name_key
            JOIN {RESIDENT} r ON r.id = kn.resident_id AND (r.bsn = '' OR r.bsn = p.bsn) {_ONE_BSN_PER_NAME}""",
            where="p.links")  # fmt: skip
        linked = (f"SELECT k.resident_id FROM {RESIDENT_KEY} k WHERE k.key IN "
                  f"(SELECT p.person_key FROM {PEOPLE} p WHERE p.links)")  # fmt: skip
        cursor.execute(
            f"""
            UPDATE {RESIDENT} SET bsn = (
                SELECT MIN(SUBSTR(k.key, 5)) FROM {RESIDENT_KEY} k
                WHERE k.resident_id = {RESIDENT}.id AND k.key LIKE 'bsn:%'
            )
            WHERE bsn = '' AND id IN ({linked})
            """
        )
        cursor.execute(
            f"""
            UPDATE {OBJECTION} SET bsn = (SELECT r.bsn FROM {RESIDENT} r WHERE r.id = {OBJECTION}.resident_id)
            WHERE bsn = '' AND resident_id IN ({linked})
            """
        )
        cursor.execute(
            f"""
            INSERT INTO {RESIDENT}
                (household_id, person_key, bsn, initials, prefix, surname, birth_date)
            SELECT p.household_id, p.person_key, MAX(p.bsn), MAX(p.initials), MAX(p.prefix),
                   MAX(p.surname), MAX(p.birth_date)
            FROM {PEOPLE} p
            WHERE NOT EXISTS (
                SELECT 1 FROM {RESIDENT_KEY} k WHERE k.household_id = p.household_id AND k.key = p.person_key
            )
            GROUP BY p.household_id, p.person_key
            ON CONFLICT DO NOTHING
            """
        )
        _insert_keys(cursor, key="p.person_key", resident="r.id",
                     join=f"JOIN {RESIDENT} r ON r.household_id = p.household_id AND r.person_key = p.person_key",
                     where="TRUE")  # fmt: skip
        cursor.execute(
            f"""
            SELECT DISTINCT kb.resident_id, kn.resident_id
            FROM {PEOPLE} p
            JOIN {RESIDENT_KEY} kb ON kb.household_id = p.household_id AND kb.key = p.person_key
            JOIN {RESIDENT_KEY} kn ON kn.household_id = p.household_id AND kn.key = p.name_key {_ONE_BSN_PER_NAME}
            WHERE p.links AND kb.resident_id <> kn.resident_id
            """
        )
        split = cursor.fetchall()
    _merge_split_residents(split)
    with connection.cursor() as cursor:
        _insert_keys(cursor, key="p.name_key", resident="kb.resident_id", join=f"""
            JOIN {RESIDENT_KEY} kb ON kb.household_id = p.household_id AND kb.key = p.person_key {_ONE_BSN_PER_NAME}""",
            where="p.links")  # fmt: skip
        cursor.execute(f"DROP TABLE {PEOPLE}")


def _insert_keys(cursor, *, key: str, resident: str, join: str, where: str) -> None:
    """Record that `key` (a column of the file's people) leads to `resident` in the
    person's household; a key that leads somewhere already keeps its resident."""
    cursor.execute(
        f"""
        INSERT INTO {RESIDENT_KEY} (household_id, key, resident_id)
        SELECT DISTINCT p.household_id, {key}, {resident}
        FROM {PEOPLE} p {join}
        WHERE {where}
        ON CONFLICT DO NOTHING
        """
    )


def _merge_split_residents(pairs: list[tuple[int, int]]) -> None:
    """Merge each pair of residents a linking row showed to be one person, keeping the
    older one; chains (A=B, B=C) end in one resident."""
    kept: dict[int, int] = {}

    def current(resident_id: int) -> int:
        while resident_id in kept:
            resident_id = kept[resident_id]
        return resident_id

    bsns = dict(Resident.objects.filter(pk__in={i for pair in pairs for i in pair}).values_list("pk", "bsn"))
    for by_bsn, by_name in sorted(pairs):
        a, b = current(by_bsn), current(by_name)
        if a == b:
            continue
        keep, merge = min(a, b), max(a, b)
        if bsns.get(keep) and bsns.get(merge) and bsns[keep] != bsns[merge]:
            continue  # two different BSNs: two people with the same name and birth date
        persons.resident_merge(
            keep_id=keep, merge_id=merge,
            reason="Een signaal met BSN en naam + geboortedatum laat zien dat dit één persoon is.",
        )  # fmt: skip
        bsns[keep] = bsns.get(keep) or bsns.get(merge, "")
        kept[merge] = keep


def _earliest(*columns: str) -> str:
    """SQL for the earliest non-null date of these columns (NULL if all are)."""
    if connection.vendor == "postgresql":
        return f"LEAST({', '.join(columns)})"  # LEAST ignores NULLs
    far = "'9999-12-31'"
    inner = ", ".join(f"COALESCE({c}, {far})" for c in columns)
    return f"NULLIF(MIN({inner}), {far})"


def _write_signals(delivery: Delivery) -> dict[str, int]:
    """Insert accepted and repeated rows as signals in one statement; count them."""
    columns = ", ".join(ROW_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {SIGNAL} ({columns}, partner_id, delivery_id, received_on, status,
                                  is_repeat, resident_id, case_id)
            SELECT {", ".join(f"t.{c}" for c in ROW_COLUMNS)}, %s, %s, %s,
                   CASE WHEN t.outcome = 'repeated' THEN %s
                        WHEN c.picked_up_on IS NOT NULL THEN %s ELSE %s END,
                   t.outcome = 'repeated', k.resident_id, c.id
            FROM {ROWS} t
            LEFT JOIN {HOUSEHOLD} h
              ON t.outcome = 'accepted'
             AND h.municipality_id = t.municipality_id AND h.postcode = t.postcode
             AND h.house_number = t.house_number
             AND h.house_number_suffix = t.house_number_suffix
            LEFT JOIN {RESIDENT_KEY} k ON k.household_id = h.id AND k.key = t.person_key
            LEFT JOIN {CASE} c ON c.household_id = h.id AND c.closed_at IS NULL
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
