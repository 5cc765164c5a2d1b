"""The DDAS v1.2 Uitwisselmodel for CBS, written as one JSON document.

The schema is reports/ddas/schema/v1.2/json_schema_Uitwisselmodel.json (a copy of the
standard); the tests validate every export against it. Mapping choices:

- Deliveries: one `levering` per municipality, `teller` 1, 2, ... in the order asked
  for, `gemeentecode` the 4-digit CBS code; the delivering organisation and its
  contact persons come from the DDAS_* settings (empty values are left out).
- A delivery is self-contained and complete. Cases (`vroegsignaalzaken`): every case
  of the municipality with anything in the period, by Dutch local dates: a signal
  received, opened, picked up, a contact attempt, contact made, help accepted or
  closed. Signals (`vroegsignalen`): every signal of the municipality received in the
  period (`received_on` from start to end, both included) and every signal of those
  cases, whenever it was received, each once, in ID order. So a case closed this month
  on a signal of months ago is delivered with that signal, and every ID a case refers
  to is in the same delivery, also when an earlier delivery held it already.
- `signaalpartner.type` is the DDAS type of the signal's own `signal_type` (huur ->
  Huur, elektra/gas/warmte -> Energie, overig -> Overige, ...:
  signals.models.SIGNAL_TYPE_PARTNER_TYPE), not the sector of the partner that sent
  it: a landlord's `overig` signal is "Overige".
- IDs: a signal's `ID` is "<gemeentecode>-<database id>". It is unique within the
  file, the same in every later delivery (so CBS recognises a signal it received
  before when it comes again with its case) and not personal data: the partner's
  reference is not used, as it can be a contract or customer number.
- Client identification follows the schema's oneOf: with a BSN the client is only
  {"burgerservicenummer"} (that branch allows no other property); without one it is
  postcode and huisnummer (a string), plus huisnummertoevoeging and geboortedatum
  when known. Names, street, city, telephone and e-mail are never exported.
- `bedrag`: the arrears in whole euros, rounded half up (1248.50 -> 1249,
  1248.49 -> 1248), as the schema's `bedrag` is an integer.
- Cases: intake matches a signal to its household's case the moment it arrives, so
  `matchingsdatum` is the (Dutch local) date the case was opened, but never after
  `datumOpgepakt`: a case can only be picked up once it was matched, so when the
  pick-up date lies before the opening day (dates booked back: `--received-on`, a
  pick-up date entered by hand) the pick-up date is the matching date. The matching
  period runs from the earliest to the latest date of receipt of the signals the
  case lists, and it lists all its signals (all in this delivery). `resultaat` is
  given only once the case is closed. `datumOpgepakt` is the pick-up date; every end
  result that is not itself a signal status (cases.models.
  OUTCOMES_THAT_ARE_SIGNAL_STATUSES) means the signals were picked up, so a case
  closed with one but without a pick-up date (closed straight from 'new' before
  case_close set it, e.g. "Verwijzing zonder tussenkomst inwoner") gets its local
  closing date. `contactpogingen` are in time order, with the local date, and []
  when there were none (the schema allows an empty list).
- Unknown values are left out rather than written as null (the schema has no nulls).

The document is streamed. The delivery's case selection runs once (`_case_ids`): its
case IDs, one text value of a few bytes a case, go to the other queries as one
parameter (`_Among`). Then signals (one UNION query: those received in the period,
and those of the delivery's cases received outside it), cases, and the cases' signal
IDs and contact attempts (two more queries in case order, read alongside the cases)
are read with server-side cursors and written one JSON object per line, a chunk at a
time: five queries for a delivery however large, and memory flat but for the IDs.
The database gives dates as ISO text and amounts in whole euros (`_IsoDate`,
`_WholeEuros`), so Python only joins strings. On PostgreSQL the export reads one
REPEATABLE READ snapshot, so its signals and cases agree with each other.

Pages (the pull API, reports/ddas/api.py): a delivery of one municipality can be
written a page at a time. Its records are its signals then its cases, each list in ID
order, counted together: with 70 signals and 50 cases, page 2 of size 50 holds signals
51-70 and cases 1-30. `ddas_page` counts the records (COUNT queries) and says which
rows a page holds; `ddas_export(..., page=...)` writes that page as a document of its
own (the same head, one `levering` with the page's signals and cases), reading only
the page's rows (LIMIT/OFFSET on the same ordered, streamed queries). A case's signal
IDs can then be on another page of the same delivery. Count and page must be read in
one snapshot: wrap both in `ddas_snapshot()`.
"""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import TextIO

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import BooleanField, CharField, F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cases.models import OUTCOMES_THAT_ARE_SIGNAL_STATUSES, Case, CaseState
from outreach.models import ContactAttempt
from signals.models import Signal, ddas_partner_type
from vroeg.municipalities.models import Municipality

CHUNK_SIZE = 1000  # rows per fetch, and objects per write
CONTACT_KEYS = ("naam", "telefoonnummer", "email", "functietitel")

# The signal's values in the export, in this order (annotations: _SIGNAL_VALUES).
_SIGNAL_FIELDS = (
    "pk",
    "signal_type",
    "crisis",
    "warm_handover",
    "euros",
    "since",
    "dated",
    "status",
    "bsn",
    "postcode",
    "house_number",
    "house_number_suffix",
    "born",
)


class DdasConfigurationError(ValueError):
    """The DDAS settings cannot give a valid delivery; the message says why, in Dutch."""


def signal_id(*, municipality_code: str, signal_pk: int) -> str:
    """The DDAS ID of a signal: stable across deliveries and not personal data."""
    return f"{municipality_code}-{signal_pk}"


def whole_euros(amount: Decimal) -> int:
    """DDAS `bedrag`: whole euros, rounded half up."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def ddas_organisation() -> dict:
    """`aanleverendeOrganisatie` from the settings; raises DdasConfigurationError."""
    organisation: dict = {}
    if settings.DDAS_ORGANISATION_NAME:
        organisation["naam"] = str(settings.DDAS_ORGANISATION_NAME)
    if settings.DDAS_ORGANISATION_KVK:
        organisation["kvk-nummer"] = str(settings.DDAS_ORGANISATION_KVK)
    contacts: list[dict] = []
    for contact in settings.DDAS_CONTACTS or []:
        if not isinstance(contact, dict):
            raise DdasConfigurationError(
                "DDAS_CONTACTS moet een lijst van contactpersonen zijn, elk met velden als "
                '{"naam": "...", "email": "..."}.'
            )
        unknown = sorted(set(contact) - set(CONTACT_KEYS))
        if unknown:
            raise DdasConfigurationError(
                f"DDAS_CONTACTS bevat een onbekend veld: {', '.join(unknown)}. "
                f"Toegestaan zijn: {', '.join(CONTACT_KEYS)}."
            )
        cleaned = {key: str(contact[key]).strip() for key in CONTACT_KEYS if contact.get(key) is not None}
        cleaned = {key: value for key, value in cleaned.items() if value}
        if cleaned and cleaned not in contacts:  # the schema wants unique contact persons
            contacts.append(cleaned)
    if contacts:  # at least one, or the key is left out
        organisation["contactpersonen"] = contacts
    return organisation


class DdasPageOutOfRange(ValueError):
    """The page asked for lies beyond the delivery's last page."""

    def __init__(self, *, number: int, total_pages: int):
        super().__init__(f"page {number} of {total_pages}")
        self.number = number
        self.total_pages = total_pages


@dataclass(frozen=True)
class DdasPage:
    """One page of a municipality's delivery: records (signals, then cases, each in ID
    order) from `number - 1` times `size` on, at most `size` of them."""

    number: int
    size: int
    signals_total: int
    cases_total: int

    @property
    def total_records(self) -> int:
        return self.signals_total + self.cases_total

    @property
    def total_pages(self) -> int:
        return max(1, -(-self.total_records // self.size))  # an empty delivery is one empty page

    @property
    def signal_rows(self) -> tuple[int, int]:
        """[first, stop) of the delivery's signals on this page."""
        first = (self.number - 1) * self.size
        return min(first, self.signals_total), min(first + self.size, self.signals_total)

    @property
    def case_rows(self) -> tuple[int, int]:
        """[first, stop) of the delivery's cases on this page."""
        first = (self.number - 1) * self.size - self.signals_total
        return min(max(first, 0), self.cases_total), min(max(first + self.size, 0), self.cases_total)


def ddas_page(*, municipality: Municipality, start: date, end: date, number: int, size: int) -> DdasPage:
    """Count the delivery's records and return page `number` of `size` records.

    Raises ValueError for a number or size below 1 or start after end, and
    DdasPageOutOfRange for a page beyond the last (page 1 always exists)."""
    if number < 1 or size < 1:
        raise ValueError("page number and size start at 1")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    ids = _case_ids(municipality, start, end)
    in_period, of_cases = _signal_parts(municipality, start, end, ids)
    page = DdasPage(number=number, size=size, signals_total=in_period.count() + of_cases.count(), cases_total=ids.count)
    if number > page.total_pages:
        raise DdasPageOutOfRange(number=number, total_pages=page.total_pages)
    return page


def ddas_export(
    *,
    municipalities: Iterable[Municipality],
    start: date,
    end: date,
    out: TextIO,
    now: datetime | None = None,
    page: DdasPage | None = None,
) -> dict[str, dict[str, int]]:
    """Write the DDAS Uitwisselmodel of `municipalities` over [start, end] to `out`;
    with `page` (from `ddas_page`, one municipality only) just that page's records.

    Returns per municipality code the number of signals and cases written:
    {"0363": {"signals": 120, "cases": 97}, ...}, in delivery order.
    Raises ValueError (nothing written) for no municipality or start after end, and
    DdasConfigurationError for DDAS settings that cannot give a valid delivery.
    """
    chosen = _unique(municipalities)
    if not chosen:
        raise ValueError("a DDAS delivery needs at least one municipality")
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    if page is not None and len(chosen) != 1:
        raise ValueError("a page is part of the delivery of one municipality")
    supplier = str(settings.DDAS_SUPPLIER_CODE or "")
    if not supplier:
        raise DdasConfigurationError("DDAS_SUPPLIER_CODE is leeg: vul de code in die met het CBS is afgesproken.")
    organisation = ddas_organisation()
    delivered_at = (now or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    counts: dict[str, dict[str, int]] = {}
    with ddas_snapshot():
        out.write(
            "{"
            + _member("startdatumLevering", start.isoformat())
            + ","
            + _member("einddatumLevering", end.isoformat())
            + ","
            + _member("aanleverdatumEnTijd", delivered_at)
            + ","
            + _member("codeGegevensleverancier", supplier)
            + ","
            + '"leveringen":['
        )
        for teller, municipality in enumerate(chosen, start=1):
            out.write(("," if teller > 1 else "") + "\n{")
            out.write(_member("teller", teller) + ",")
            out.write(_member("gemeentecode", municipality.code) + ",")
            out.write(_member("aanleverendeOrganisatie", organisation) + ",")
            out.write('"vroegsignalen":[')
            ids = _case_ids(municipality, start, end)
            signals = _write_signals(out, municipality, start, end, ids, page.signal_rows if page else None)
            out.write('\n],"vroegsignaalzaken":[')
            cases = _write_cases(out, municipality, start, end, ids, page.case_rows if page else None)
            out.write("\n]}")
            counts[municipality.code] = {"signals": signals, "cases": cases}
        out.write("\n]}\n")
    return counts


def _cases_in_period(municipality: Municipality, start: date, end: date) -> QuerySet[Case]:
    """The delivery's cases: every case of the municipality with anything in the period
    (Dutch local dates): a signal received, opened, picked up, a contact attempt,
    contact made, help accepted or closed."""
    local = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=local)  # local midnight, as an aware moment
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=local)
    days = (start, end)
    received = Signal.objects.filter(municipality=municipality, received_on__range=days, case__isnull=False)
    attempted = ContactAttempt.objects.filter(attempted_at__gte=since, attempted_at__lt=until)
    return Case.objects.filter(municipality=municipality).filter(
        Q(pk__in=received.values("case_id"))
        | Q(pk__in=attempted.values("case_id"))
        | Q(opened_at__gte=since, opened_at__lt=until)
        | Q(closed_at__gte=since, closed_at__lt=until)
        | Q(picked_up_on__range=days)
        | Q(first_contact_on__range=days)
        | Q(help_accepted_on__range=days)
    )


@dataclass(frozen=True)
class _CaseIds:
    """The IDs of a delivery's cases, selected once (`_case_ids`) and given to every
    query that needs them as one parameter (`_Among`): on PostgreSQL the text of a
    bigint[] ("{1,2,3}"), on SQLite a JSON array ("[1,2,3]")."""

    text: str
    count: int


def _case_ids(municipality: Municipality, start: date, end: date) -> _CaseIds:
    """Run the delivery's case selection (`_cases_in_period`) once. It is the costly part
    of the delivery's queries (it reads all the municipality's cases and the period's
    signals and attempts); its result, a few bytes a case, then serves the signals
    ("the other signals of the cases"), the cases, and the cases' signals and attempts."""
    db = router.db_for_read(Case)
    connection = connections[db]
    sql, params = _cases_in_period(municipality, start, end).values("pk").query.get_compiler(db).as_sql()
    if connection.vendor == "postgresql":
        aggregate = "COALESCE(array_agg(delivery.pk)::text, '{}')"
    else:
        aggregate = "COALESCE(json_group_array(delivery.pk), '[]')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate}, COUNT(*) FROM ({sql}) delivery", params)
        text, count = cursor.fetchone()
    return _CaseIds(text=text, count=count)


class _Among(Func):
    """True where the field (a case ID) is one of the delivery's cases (`_CaseIds`):
    on PostgreSQL `= ANY(<array constant>)`, which it checks with a hash table."""

    output_field = BooleanField()

    def __init__(self, field: str, ids: _CaseIds):
        super().__init__(F(field))
        self.ids = ids

    def as_sql(self, compiler, connection, **extra_context):
        field_sql, field_params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"{field_sql} = ANY(%s::bigint[])", (*field_params, self.ids.text)
        return f"{field_sql} IN (SELECT value FROM json_each(%s))", (*field_params, self.ids.text)


class _IsoDate(Func):
    """A date (or the local date of a moment: `_IsoDate(TruncDate(field))`, the current
    time zone as `__date`) as its ISO text, "2026-11-30", as date.isoformat() writes it.

    The database writes a date as text anyway (PostgreSQL in its DateStyle, ISO unless
    configured otherwise; SQLite stores dates as ISO text), so this costs it nothing and
    spares Python a date object and an isoformat() per date (the export has 600,000
    of them a month); ISO text compares as the dates do."""

    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor != "postgresql":
            return f"CAST({sql} AS TEXT)", params  # else sqlite3 turns a date column into a date
        connection.ensure_connection()
        if (connection.connection.info.parameter_status("DateStyle") or "").startswith("ISO"):
            return f"({sql})::text", params
        return f"to_char({sql}, 'YYYY-MM-DD')", params


class _WholeEuros(Func):
    """`whole_euros` in the database: ROUND of a numeric rounds half away from zero,
    as ROUND_HALF_UP does (and so does SQLite's ROUND, for amounts in cents)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"ROUND({sql})::bigint", params
        return f"CAST(ROUND({sql}) AS INTEGER)", params

    @cached_property
    def convert_value(self):
        return self._convert_value_noop  # the database gives an int: no converter per row


# The annotations of _SIGNAL_FIELDS.
_SIGNAL_VALUES = {
    "euros": _WholeEuros("amount"),
    "since": _IsoDate("arrears_since"),
    "dated": _IsoDate("signal_date"),
    "born": _IsoDate("birth_date"),
}


def _signal_parts(
    municipality: Municipality, start: date, end: date, ids: _CaseIds
) -> tuple[QuerySet[Signal], QuerySet[Signal]]:
    """The delivery's signals in two disjoint parts, so UNION ALL needs no
    de-duplication: the signals received in the period, and the other signals of the
    delivery's cases."""
    in_period = Signal.objects.filter(municipality=municipality, received_on__range=(start, end))
    of_cases = Signal.objects.filter(_Among("case_id", ids)).exclude(received_on__range=(start, end))
    return in_period, of_cases


def _write_signals(
    out: TextIO, municipality: Municipality, start: date, end: date, ids: _CaseIds, rows_wanted: tuple[int, int] | None
) -> int:
    if rows_wanted is not None and rows_wanted[0] >= rows_wanted[1]:
        return 0  # none of this page
    in_period, of_cases = _signal_parts(municipality, start, end, ids)
    query = (
        in_period.annotate(**_SIGNAL_VALUES)
        .values_list(*_SIGNAL_FIELDS)
        .union(of_cases.annotate(**_SIGNAL_VALUES).values_list(*_SIGNAL_FIELDS), all=True)
        .order_by("pk")
    )
    if rows_wanted is not None:
        query = query[rows_wanted[0] : rows_wanted[1]]
    rows = query.iterator(chunk_size=CHUNK_SIZE)
    # Each object is written with string formatting, not json.dumps of a dict (that
    # was half the export's time); _json_text writes every string exactly as
    # json.dumps(..., separators=(",", ":")) would, and the tests compare the two.
    # A chunk of objects is written at once, each as "\n{...}", separated by ",".
    id_open = _signal_id_open(municipality)
    written = 0
    for chunk in _chunks(rows, CHUNK_SIZE):
        lines = []
        for pk, signal_type, crisis, warm, euros, since, dated, status, bsn, postcode, number, suffix, born in chunk:
            if bsn:
                client = '{"burgerservicenummer":' + _json_text(bsn) + "}"
            else:
                client = '{"postcode":' + _json_text(postcode) + ',"huisnummer":"' + str(number) + '"'
                if suffix:
                    client += ',"huisnummertoevoeging":' + _json_text(suffix)
                if born:
                    client += ',"geboortedatum":"' + born + '"'
                client += "}"
            lines.append(
                f'\n{{"ID":{id_open}{pk}","crisissignaal":{_BOOLEAN[crisis]},'
                f'"warmeOverdracht":{_BOOLEAN[warm]},"bedrag":{euros},'
                f'"ontstaansdatum":"{since}","signaaldatum":"{dated}",'
                f'"status":{_json_word(status)},"signaalpartner":{{"type":{_json_partner_type(signal_type)}}},'
                f'"client":{client}}}'
            )
        out.write(("," if written else "") + ",".join(lines))
        written += len(lines)
    return written


def _write_cases(
    out: TextIO, municipality: Municipality, start: date, end: date, ids: _CaseIds, rows_wanted: tuple[int, int] | None
) -> int:
    if rows_wanted is not None and rows_wanted[0] >= rows_wanted[1]:
        return 0  # none of this page
    # Local dates are computed by the database (TruncDate: the current time zone, as
    # the __date lookups do); loading aware datetimes cost more than the rest per row.
    # All dates are ISO text (_IsoDate).
    query = (
        Case.objects.filter(_Among("pk", ids))
        .order_by("pk")
        .annotate(
            opened_on=_IsoDate(TruncDate("opened_at")),
            closed_on=_IsoDate(TruncDate("closed_at")),
            picked_up=_IsoDate("picked_up_on"),
        )
        .values_list("pk", "state", "outcome", "opened_on", "closed_on", "picked_up")
    )
    if rows_wanted is not None:
        query = query[rows_wanted[0] : rows_wanted[1]]
    cases = query.iterator(chunk_size=CHUNK_SIZE)
    first = next(cases, None)
    if first is None:
        return 0
    # The cases' signals and contact attempts come from two more streams in case ID
    # order (from the first case on), read alongside the cases: five queries for a
    # delivery however many cases it has, and no more rows in memory than a chunk.
    of_delivery = Q(_Among("case_id", ids), case_id__gte=first[0])
    signal_groups = _by_case(
        Signal.objects.filter(of_delivery)
        .order_by("case_id", "pk")
        .annotate(received=_IsoDate("received_on"))
        .values_list("case_id", "pk", "received")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    attempt_groups = _by_case(
        ContactAttempt.objects.filter(of_delivery)
        .order_by("case_id", "attempted_at", "pk")
        .annotate(attempted_on=_IsoDate(TruncDate("attempted_at")))
        .values_list("case_id", "kind", "reached", "attempted_on", "part_of_day")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    next_signals = next(signal_groups, None)
    next_attempts = next(attempt_groups, None)
    id_open = _signal_id_open(municipality)
    written = 0
    for chunk in _chunks(chain([first], cases), CHUNK_SIZE):
        lines = []
        for pk, state, outcome, opened_on, closed_on, picked_up_on in chunk:
            while next_signals is not None and next_signals[0] < pk:
                next_signals = next(signal_groups, None)
            of_case = ()
            if next_signals is not None and next_signals[0] == pk:
                of_case = next_signals[1]
                next_signals = next(signal_groups, None)
            while next_attempts is not None and next_attempts[0] < pk:
                next_attempts = next(attempt_groups, None)
            attempts = ""
            if next_attempts is not None and next_attempts[0] == pk:
                attempts = ",".join(
                    [
                        f'{{"soort":{_json_word(kind)},"bereikt":{_BOOLEAN[reached]},'
                        f'"datum":"{attempted_on}","dagdeel":{_json_word(part_of_day)}}}'
                        for _, kind, reached, attempted_on, part_of_day in next_attempts[1]
                    ]
                )
                next_attempts = next(attempt_groups, None)
            closed = state == CaseState.CLOSED and bool(outcome)
            if picked_up_on is None and closed and closed_on and outcome not in OUTCOMES_THAT_ARE_SIGNAL_STATUSES:
                picked_up_on = closed_on  # rows closed before case_close set it
            matched = opened_on
            if picked_up_on is not None and picked_up_on < matched:
                matched = picked_up_on  # picked up, so matched by then (dates booked back)
            received = [on for _, _, on in of_case]
            lines.append(
                "\n{"
                + (f'"resultaat":{_json_word(outcome)},' if closed else "")
                + f'"matchingsdatum":"{matched}","startdatumMatchingperiode":"{min(received)}",'
                f'"einddatumMatchingperiode":"{max(received)}",'
                + (f'"datumOpgepakt":"{picked_up_on}",' if picked_up_on is not None else "")
                + '"vroegsignalen":['
                + ",".join([f'{{"ID":{id_open}{signal_pk}"}}' for _, signal_pk, _ in of_case])
                + '],"contactpogingen":['
                + attempts
                + "]}"
            )
        out.write(("," if written else "") + ",".join(lines))
        written += len(lines)
    return written


def _by_case(rows: Iterator[tuple]) -> Iterator[tuple[int, list[tuple]]]:
    """(case ID, its rows) of rows in case ID order, each with the case ID first."""
    for case_id, group in groupby(rows, itemgetter(0)):
        yield case_id, list(group)


_BOOLEAN = {True: "true", False: "false"}


@lru_cache(maxsize=64)
def _json_partner_type(signal_type: str) -> str:
    """`signaalpartner.type` of a signal of this type, as JSON text."""
    return json.dumps(ddas_partner_type(signal_type))


def _json_text(value: str) -> str:
    """`value` as a JSON string, exactly as json.dumps writes it (ASCII, escaped);
    plain letters and digits, most values, need no escaping."""
    if value.isascii() and value.isalnum():
        return '"' + value + '"'
    return json.dumps(value)


@lru_cache(maxsize=256)
def _json_word(value: str) -> str:
    """A JSON string for one of a few values (a status, a kind, an end result)."""
    return json.dumps(value)


def _signal_id_open(municipality: Municipality) -> str:
    """The JSON text of a signal's ID up to its database id: '"0363-' (signal_id)."""
    opening = json.dumps(signal_id(municipality_code=municipality.code, signal_pk=0))
    assert opening.endswith('-0"')
    return opening[:-2]


@contextmanager
def ddas_snapshot() -> Iterator[None]:
    """On PostgreSQL, one read-only REPEATABLE READ transaction for the whole export
    (or a page's count and rows), so signals and cases come from the same moment.
    Inside a caller's transaction (or on SQLite, where a transaction would lock out
    writers) the queries run as they are. Nothing can be written inside it."""
    db = router.db_for_read(Signal)  # the read replica inside reads_from_replica() (vroeg/replica.py)
    if connections[db].vendor != "postgresql" or connections[db].in_atomic_block:
        yield
        return
    with transaction.atomic(using=db):
        with connections[db].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            # Every cursor is read to its end: plan for all rows (sort once), not for
            # the first tenth (an index walk in order), which costs PostgreSQL more.
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield


def _unique(municipalities: Iterable[Municipality]) -> list[Municipality]:
    seen: set[int] = set()
    result = []
    for municipality in municipalities:
        if municipality.pk not in seen:
            seen.add(municipality.pk)
            result.append(municipality)
    return result


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _member(key: str, value) -> str:
    return json.dumps(key) + ":" + json.dumps(value, separators=(",", ":"))
