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

The document is streamed: signals (one UNION query: those received in the period,
and those of the delivery's cases received outside it) and cases are read with
server-side cursors and written one JSON object per line; the signal IDs and contact
attempts of the cases are fetched per chunk of cases (a fixed number of queries per
chunk), so memory stays flat however large the delivery. On PostgreSQL the export
reads one REPEATABLE READ snapshot, so its signals and cases agree with each other
(the case selection is run twice, once for each list, and must give the same cases).

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
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import islice
from typing import TextIO

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import DateField, Q, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from cases.models import OUTCOMES_THAT_ARE_SIGNAL_STATUSES, Case, CaseState
from outreach.models import ContactAttempt
from signals.models import Signal, ddas_partner_type
from vroeg.municipalities.models import Municipality

CHUNK_SIZE = 1000  # rows per fetch, and cases per batch of extra queries
CONTACT_KEYS = ("naam", "telefoonnummer", "email", "functietitel")

_SIGNAL_FIELDS = (
    "pk",
    "signal_type",
    "crisis",
    "warm_handover",
    "amount",
    "arrears_since",
    "signal_date",
    "status",
    "bsn",
    "postcode",
    "house_number",
    "house_number_suffix",
    "birth_date",
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
    in_period, of_cases = _signal_parts(municipality, start, end)
    page = DdasPage(
        number=number,
        size=size,
        signals_total=in_period.count() + of_cases.count(),
        cases_total=_cases_in_period(municipality, start, end).count(),
    )
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
            signals = _write_signals(out, municipality, start, end, page.signal_rows if page else None)
            out.write('\n],"vroegsignaalzaken":[')
            cases = _write_cases(out, municipality, start, end, page.case_rows if page else None)
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


def _signal_parts(municipality: Municipality, start: date, end: date) -> tuple[QuerySet[Signal], QuerySet[Signal]]:
    """The delivery's signals in two disjoint parts, so UNION ALL needs no
    de-duplication: the signals received in the period, and the other signals of the
    delivery's cases."""
    in_period = Signal.objects.filter(municipality=municipality, received_on__range=(start, end))
    of_cases = Signal.objects.filter(case__in=_cases_in_period(municipality, start, end).values("pk")).exclude(
        received_on__range=(start, end)
    )
    return in_period, of_cases


def _write_signals(
    out: TextIO, municipality: Municipality, start: date, end: date, rows_wanted: tuple[int, int] | None
) -> int:
    if rows_wanted is not None and rows_wanted[0] >= rows_wanted[1]:
        return 0  # none of this page
    in_period, of_cases = _signal_parts(municipality, start, end)
    query = in_period.values_list(*_SIGNAL_FIELDS).union(of_cases.values_list(*_SIGNAL_FIELDS), all=True).order_by("pk")
    if rows_wanted is not None:
        query = query[rows_wanted[0] : rows_wanted[1]]
    rows = query.iterator(chunk_size=CHUNK_SIZE)
    # Each object is written with string formatting, not json.dumps of a dict (that
    # was half the export's time); _json_text writes every string exactly as
    # json.dumps(..., separators=(",", ":")) would, and the tests compare the two.
    id_open = _signal_id_open(municipality)
    written = 0
    for pk, signal_type, crisis, warm, amount, since, signal_date, status, bsn, postcode, number, suffix, born in rows:
        if bsn:
            client = '{"burgerservicenummer":' + _json_text(bsn) + "}"
        else:
            client = '{"postcode":' + _json_text(postcode) + ',"huisnummer":"' + str(number) + '"'
            if suffix:
                client += ',"huisnummertoevoeging":' + _json_text(suffix)
            if born:
                client += ',"geboortedatum":"' + born.isoformat() + '"'
            client += "}"
        out.write(
            f'{"," if written else ""}\n{{"ID":{id_open}{pk}","crisissignaal":{_BOOLEAN[crisis]},'
            f'"warmeOverdracht":{_BOOLEAN[warm]},"bedrag":{whole_euros(amount)},'
            f'"ontstaansdatum":"{since.isoformat()}","signaaldatum":"{signal_date.isoformat()}",'
            f'"status":{_json_word(status)},"signaalpartner":{{"type":{_json_partner_type(signal_type)}}},'
            f'"client":{client}}}'
        )
        written += 1
    return written


def _write_cases(
    out: TextIO, municipality: Municipality, start: date, end: date, rows_wanted: tuple[int, int] | None
) -> int:
    if rows_wanted is not None and rows_wanted[0] >= rows_wanted[1]:
        return 0  # none of this page
    # Local dates are computed by the database (TruncDate: the current time zone, as
    # the __date lookups do); loading aware datetimes cost more than the rest per row.
    query = (
        _cases_in_period(municipality, start, end)
        .order_by("pk")
        .annotate(opened_on=_local_date("opened_at"), closed_on=_local_date("closed_at"))
        .values_list("pk", "state", "outcome", "opened_on", "closed_on", "picked_up_on")
    )
    if rows_wanted is not None:
        query = query[rows_wanted[0] : rows_wanted[1]]
    rows = query.iterator(chunk_size=CHUNK_SIZE)
    id_open = _signal_id_open(municipality)
    written = 0
    for chunk in _chunks(rows, CHUNK_SIZE):
        ids = [row[0] for row in chunk]
        of_chunk = _of_cases(ids)
        signals = defaultdict(list)
        for case_id, pk, received_on in (
            Signal.objects.filter(of_chunk).order_by("case_id", "pk").values_list("case_id", "pk", "received_on")
        ):
            signals[case_id].append((pk, received_on))
        attempts = defaultdict(list)
        for case_id, kind, reached, attempted_on, part_of_day in (
            ContactAttempt.objects.filter(of_chunk)
            .order_by("case_id", "attempted_at", "pk")
            .annotate(attempted_on=_local_date("attempted_at"))
            .values_list("case_id", "kind", "reached", "attempted_on", "part_of_day")
        ):
            attempts[case_id].append(
                f'{{"soort":{_json_word(kind)},"bereikt":{_BOOLEAN[reached]},'
                f'"datum":"{attempted_on.isoformat()}","dagdeel":{_json_word(part_of_day)}}}'
            )
        for pk, state, outcome, opened_on, closed_on, picked_up_on in chunk:
            of_case = signals.get(pk, ())
            closed = state == CaseState.CLOSED and bool(outcome)
            if picked_up_on is None and closed and closed_on and outcome not in OUTCOMES_THAT_ARE_SIGNAL_STATUSES:
                picked_up_on = closed_on  # rows closed before case_close set it
            matched = opened_on
            if picked_up_on is not None and picked_up_on < matched:
                matched = picked_up_on  # picked up, so matched by then (dates booked back)
            received = [on for _, on in of_case]
            case = "{"
            if closed:
                case += '"resultaat":' + _json_word(outcome) + ","
            case += (
                f'"matchingsdatum":"{matched.isoformat()}","startdatumMatchingperiode":"{min(received).isoformat()}",'
                f'"einddatumMatchingperiode":"{max(received).isoformat()}",'
            )
            if picked_up_on is not None:
                case += f'"datumOpgepakt":"{picked_up_on.isoformat()}",'
            case += '"vroegsignalen":[' + ",".join(f'{{"ID":{id_open}{signal_pk}"}}' for signal_pk, _ in of_case)
            case += '],"contactpogingen":[' + ",".join(attempts.get(pk, ())) + "]}"
            out.write(("," if written else "") + "\n" + case)
            written += 1
    return written


def _of_cases(ids: list[int]) -> Q:
    """The rows of these cases (ascending IDs): by a range of case IDs when the chunk
    is (nearly) contiguous, as it mostly is, which costs the database and the query
    builder less than a list of 1,000 IDs; rows of cases between them that are not in
    the chunk are simply not asked for by the caller."""
    if ids and ids[-1] - ids[0] < 2 * len(ids):
        return Q(case_id__gte=ids[0], case_id__lte=ids[-1])
    return Q(case_id__in=ids)


_BOOLEAN = {True: "true", False: "false"}


def _local_date(field: str) -> Cast:
    """The local date of a moment (TruncDate: the current time zone, as `__date`),
    cast once more so PostgreSQL's date needs no per-row converter in Python."""
    return Cast(TruncDate(field), output_field=DateField())


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
