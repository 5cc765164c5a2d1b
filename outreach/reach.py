"""What reaches residents here (issue 19): the reach figures of one municipality, as
reads. One definition serves both the team lead's report "Bereik" (reports/reach.py)
and the suggestion on the case page (`reach_panel`, below). docs/reports-reach.md
explains every figure for team leads.

Two kinds of figure, and each says which it is:

- **Per attempt**: the contact attempts made in a period (by their Dutch local date),
  on cases of the municipality. Reached = the attempt reached the resident
  (`ContactAttempt.reached`). An attempt's number is its place among all attempts on
  its case by time (also those before the period), the 4th and later together.
- **Per case**: the cases picked up in the period (`Case.picked_up_on`; the report's
  existing cohort, reports/figures.reach), with their attempts *to make contact*: those
  up to and including the day of first contact, whenever made (all of them when there
  was no contact yet). Reached = contact was made (`first_contact_on`) or an attempt
  reached the resident.

The figures read dates, kinds, flags and ids only, no personal data, so the retention
purge leaves them as they were. The suggestion reads the household's postcode (its four
digits) to pick the neighbourhood; a purged household has none and adds nothing.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case as CaseWhen
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from cases.deadlines import LEGAL_TERM
from cases.models import Case, CaseState
from vroeg.municipalities.models import Municipality

from .models import ContactAttempt, ContactKind, ContactPlan, PartOfDay

# Written contact: the national "alleen schriftelijk" (letter, card, e-mail and text
# messages: SMS or WhatsApp).
WRITTEN_KINDS = (ContactKind.LETTER, ContactKind.CARD, ContactKind.MAIL, ContactKind.SMS)
# The ways of seeking contact a caseworker chooses between (not "administratief",
# "overige" or "onbekend"): what a case combines and what the suggestion may propose.
CHANNELS = (
    ContactKind.HOME_VISIT,
    ContactKind.PHONE,
    ContactKind.SMS,
    ContactKind.LETTER,
    ContactKind.CARD,
    ContactKind.MAIL,
    ContactKind.APPOINTMENT,
)
# An attempt's number: 1, 2, 3, and LAST_NUMBER for the 4th and every later one.
LAST_NUMBER = 4

# The suggestion on the case page: only on a basis of at least this many attempts of one
# kind at one part of the day, in the case's PC4, over the last SUGGESTION_MONTHS months.
SUGGESTION_MIN_ATTEMPTS = 30
SUGGESTION_MONTHS = 12


@dataclass(frozen=True)
class Tally:
    """How many were tried (the base of the share) and how many of them reached."""

    base: int = 0
    reached: int = 0

    @property
    def share(self) -> float | None:
        return self.reached / self.base if self.base else None

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.base + other.base, self.reached + other.reached)


# --- per attempt -------------------------------------------------------------------


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def attempts_in(*, municipality: Municipality, start: date, end: date) -> QuerySet[ContactAttempt]:
    """The attempts on the municipality's cases made from `start` to `end` (inclusive,
    Dutch local days)."""
    return ContactAttempt.objects.filter(
        case__municipality=municipality,
        attempted_at__gte=_day_start(start),
        attempted_at__lt=_day_start(end + timedelta(days=1)),
    )


def _attempt_number():
    """The attempt's place among all attempts on its case (by time, then id), capped at
    LAST_NUMBER: 1 + the number of earlier attempts on the same case."""
    earlier = (
        ContactAttempt.objects.filter(case_id=OuterRef("case_id"))
        .filter(
            Q(attempted_at__lt=OuterRef("attempted_at"))
            | Q(attempted_at=OuterRef("attempted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Least(Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0)) + 1, Value(LAST_NUMBER))


# What attempts can be counted by: the field (or expression) behind each name. The
# channel is the kind, except for an answer on the reply page (ContactAttempt.via_reply,
# recorded as kind Mail for DDAS): REPLY, a channel of its own.
DIMENSIONS = ("kind", "part_of_day", "number", "plan", "channel")
REPLY = "reply"


def _channel():
    return CaseWhen(When(via_reply=True, then=Value(REPLY)), default=F("kind"))


def attempt_tallies(attempts: QuerySet[ContactAttempt], *, by: tuple[str, ...]) -> dict[tuple, Tally]:
    """One grouped query: the attempts counted by the `by` dimensions (of DIMENSIONS),
    each combination that occurs → its Tally (attempts, of which reached)."""
    if unknown := set(by) - set(DIMENSIONS):
        raise ValueError(f"not a dimension of an attempt: {', '.join(sorted(unknown))}")
    fields = []
    for name in by:
        if name == "number":
            attempts = attempts.annotate(number=_attempt_number())
        if name == "channel":
            attempts = attempts.annotate(channel=_channel())
        fields.append("plan_id" if name == "plan" else name)
    rows = attempts.values(*fields).annotate(n=Count("pk"), ok=Count("pk", filter=Q(reached=True))).order_by()
    return {tuple(row[f] for f in fields): Tally(row["n"], row["ok"]) for row in rows}


def attempt_reach(*, municipality: Municipality, start: date, end: date) -> dict[tuple, Tally]:
    """The period's attempts by (kind, part of day, number, plan id or None, channel):
    every per-attempt table of the report sums these in Python (one pass over the
    attempts)."""
    return attempt_tallies(
        attempts_in(municipality=municipality, start=start, end=end),
        by=("kind", "part_of_day", "number", "plan", "channel"),
    )


def plan_names(*, municipality: Municipality, tallies: dict[tuple, Tally]) -> dict[int, str]:
    """The names of the municipality's contact plans, and of any other plan the tallies
    of `attempt_reach` count (one query)."""
    counted = {key[3] for key in tallies if key[3] is not None}
    return dict(ContactPlan.objects.filter(Q(municipality=municipality) | Q(pk__in=counted)).values_list("pk", "name"))


def summed(tallies: dict[tuple, Tally], position: int) -> dict:
    """The tallies summed per value of one key position (0 kind, 1 part of day, 2
    number, 3 plan, 4 channel: the kind, or REPLY for an answer on the reply page)."""
    totals: dict = {}
    for key, tally in tallies.items():
        totals[key[position]] = totals.get(key[position], Tally()) + tally
    return totals


# --- per case ----------------------------------------------------------------------

# The groups of cases the report shows, in its order.
ALL_CASES = "all"
WITH_HOME_VISIT = "home_visit"
WITH_PHONE = "phone"
WRITTEN_ONLY = "written_only"
COMBINED = "combined"
NO_ATTEMPT = "no_attempt"
ONE_OR_TWO = "1-2"
THREE = "3"
FOUR_OR_MORE = "4+"
CASE_GROUPS = (
    ALL_CASES,
    WITH_HOME_VISIT,
    WITH_PHONE,
    WRITTEN_ONLY,
    COMBINED,
    NO_ATTEMPT,
    ONE_OR_TWO,
    THREE,
    FOUR_OR_MORE,
)


def case_reach(*, municipality: Municipality, start: date, end: date) -> dict[str, Tally]:
    """The cases picked up from `start` to `end`, per group of CASE_GROUPS: how many, of
    which reached. A case is in every group it fits: with at least one home visit, at
    least one phone attempt, only written attempts (at least one), attempts of two or
    more CHANNELS, no attempt at all, and by its number of attempts (1–2, 3, 4 or more);
    always counting its attempts to make contact (up to the day of first contact)."""
    to_contact = Q(first_contact_on__isnull=True) | Q(contact_attempts__attempted_at__date__lte=F("first_contact_on"))

    def attempts(**where) -> Count:
        return Count(
            "contact_attempts",
            filter=to_contact & Q(**{f"contact_attempts__{k}": v for k, v in where.items()}),
        )

    rows = (
        Case.objects.filter(municipality=municipality, picked_up_on__range=(start, end))
        .annotate(
            attempts=attempts(),
            visits=attempts(kind=ContactKind.HOME_VISIT),
            calls=attempts(kind=ContactKind.PHONE),
            written=attempts(kind__in=WRITTEN_KINDS),
            channels=Count(
                "contact_attempts__kind", filter=to_contact & Q(contact_attempts__kind__in=CHANNELS), distinct=True
            ),
            reached_attempts=Count("contact_attempts", filter=Q(contact_attempts__reached=True)),
        )
        .values_list("first_contact_on", "reached_attempts", "attempts", "visits", "calls", "written", "channels")
        .order_by()
    )
    groups = dict.fromkeys(CASE_GROUPS, Tally())
    for first_contact_on, reached_attempts, n, visits, calls, written, channels in rows.iterator(chunk_size=5000):
        one = Tally(1, int(first_contact_on is not None or reached_attempts > 0))
        fits = [
            ALL_CASES,
            *([WITH_HOME_VISIT] if visits else []),
            *([WITH_PHONE] if calls else []),
            *([WRITTEN_ONLY] if n and written == n else []),
            *([COMBINED] if channels >= 2 else []),
            NO_ATTEMPT if n == 0 else ONE_OR_TWO if n <= 2 else THREE if n == 3 else FOUR_OR_MORE,
        ]
        for group in fits:
            groups[group] += one
    return groups


def first_contact_days(*, municipality: Municipality, start: date, end: date) -> list[int]:
    """Days from receipt of the first signal to first contact, for each case with its
    first contact in the period (and a receipt date: not a CAK-list-only case) — the
    cohort of the report's median (reports/figures.deadlines)."""
    return [
        (contact - received).days
        for contact, received in Case.objects.filter(
            municipality=municipality, first_contact_on__range=(start, end), first_received_on__isnull=False
        )
        .values_list("first_contact_on", "first_received_on")
        .order_by()
        .iterator(chunk_size=5000)
    ]


def median(days: list[int]) -> float | None:
    return statistics.median(days) if days else None


@dataclass(frozen=True)
class TermReach:
    counted: int  # legal terms that ended in the period and count (cases/deadlines.LEGAL_TERM)
    approached: int  # of which met: approached (and spoken to when help was accepted) in time
    reached: int  # of which the resident was reached (first contact) by the last day


def legal_term_reach(*, municipality: Municipality, start: date, end: date, today: date) -> TermReach:
    """The legal terms whose last day fell in the period and before today (counted as
    cases/deadlines.LEGAL_TERM counts them: also of open cases; not of a case closed by
    then with nobody to approach), how many were met and in how many the resident was
    reached by the last day."""
    ended = (start, min(end, today - timedelta(days=1)))
    counted = LEGAL_TERM.counted_q()
    r = Case.objects.filter(municipality=municipality, contact_due__range=ended).aggregate(
        counted=Count("pk", filter=counted),
        approached=Count("pk", filter=counted & LEGAL_TERM.met_q()),
        reached=Count("pk", filter=counted & Q(first_contact_on__lte=F("contact_due"))),
    )
    return TermReach(r["counted"], r["approached"], r["reached"])


# --- the suggestion on the case page ------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """What reached residents best in this PC4: one kind at one part of the day."""

    pc4: str
    kind: str
    part_of_day: str
    tally: Tally
    since: date
    until: date

    @property
    def kind_label(self) -> str:
        return ContactKind(self.kind).label

    @property
    def percentage(self) -> int:
        return round(100 * self.tally.share)


def suggestion_window(today: date) -> date:
    """The first day of the window: SUGGESTION_MONTHS whole months up to and including
    this one (on 15 Nov 2026: 1 Dec 2025)."""
    months = today.year * 12 + today.month - 1 - (SUGGESTION_MONTHS - 1)
    return date(months // 12, months % 12 + 1, 1)


def reach_suggestion(*, case: Case, today: date) -> Suggestion | None:
    """The kind of attempt and part of day that reached residents most often in the
    case's PC4 (this municipality's own attempts of the last SUGGESTION_MONTHS months),
    among the combinations tried at least SUGGESTION_MIN_ATTEMPTS times; None when none
    was, nothing reached, or the address has no PC4. One query. Only ever shown: never
    applied by itself."""
    pc4 = (case.household.postcode or "")[:4]
    if len(pc4) != 4 or not pc4.isdigit():
        return None
    since = suggestion_window(today)
    attempts = ContactAttempt.objects.filter(
        case__municipality_id=case.municipality_id,
        # The household's postcode "1234AB": a range on the indexed column, not a LIKE.
        case__household__municipality_id=case.municipality_id,
        case__household__postcode__range=(f"{pc4}AA", f"{pc4}ZZ"),
        kind__in=CHANNELS,
        attempted_at__gte=_day_start(since),
        attempted_at__lt=_day_start(today + timedelta(days=1)),
    )
    tallies = attempt_tallies(attempts, by=("kind", "part_of_day"))
    candidates = [(key, t) for key, t in tallies.items() if t.base >= SUGGESTION_MIN_ATTEMPTS and t.reached]
    if not candidates:
        return None
    # The highest share; on a tie the larger basis, then the DDAS order of kinds and parts of day.
    order = {k: i for i, k in enumerate(CHANNELS)} | {p: i for i, p in enumerate(PartOfDay.values)}
    (kind, part), tally = min(
        candidates, key=lambda c: (-c[1].reached / c[1].base, -c[1].base, order[c[0][0]], order[c[0][1]])
    )
    return Suggestion(pc4, kind, part, tally, since, today)


def reach_panel(*, case, user, request, reads) -> dict:
    """The case page's suggestion for the next attempt (cases.hooks.case_panels): only
    while the case seeks contact (picked up, resident not reached yet); no query
    otherwise."""
    if case.state != CaseState.OUTREACH:
        return {"reach_suggestion": None}
    return {"reach_suggestion": reach_suggestion(case=case, today=timezone.localdate())}
