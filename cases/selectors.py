"""Reads of cases, always scoped to the user's municipalities."""

import re
from datetime import date, timedelta

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, QuerySet
from django.db.models.functions import Greatest

from signals.models import CAK_PARTNER_TYPES, PARTNER_TYPE_BITS, Signal
from signals.referrals import REFERRAL_PARTNER_CODES
from signals.selectors import creditor_signals
from vroeg.dutch import is_number
from vroeg.municipalities.selectors import scope_to_user_municipalities
from vroeg.paging import Page, capped_count, page_number

from .deadlines import (
    CAK_EFFORT,
    LEGAL_TERM,
    CaseTerm,
    awaiting_q,
    crisis_term_met_q,
    describe,
    due_soon_q,
    late_q,
    open_due_expression,
)
from .models import Case, CaseSource, CrisisTerm, WorkTray
from .priority import queue_rank_from_order_rank
from .queue_keys import queue_key_values, queue_keys_current


def cases_for_user(*, user) -> QuerySet[Case]:
    if not user.has_perm("accounts.work_cases"):
        return Case.objects.none()
    return scope_to_user_municipalities(Case.objects.all(), user=user)


# --- where a case stands with its deadlines -----------------------------------------
#
# A deadline *waits* while the step its rule asks for (cases/deadlines.py) has not been
# taken: the 4-week term and the CAK list's own term until the resident is approached
# (a contact attempt or the first contact: LEGAL_TERM, CAK_EFFORT), the LCV target
# until the first conversation, a crisis term until somebody spoke to the resident
# after the judgement. A case is *late* ("Te laat") when a waiting deadline has passed.
# A deadline that no longer waits was met or missed, by its rule, and is shown so,
# never as "N dagen te laat". The queue's tiles and deadline column, its deadline
# filter, the work trays, the team dashboard, the priority score and the team lead's
# digest all use `open_due_expression` / `late_q` (cases/deadlines.py), so they cannot
# disagree (issue 16).


def with_open_due(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with `open_due` (for `deadline_shown`)."""
    return queryset.annotate(open_due=open_due_expression())


def with_awaiting(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with `awaits_<deadline field>` for each of `awaiting_q` (the case page)."""
    return queryset.annotate(
        **{f"awaits_{name}": ExpressionWrapper(q, output_field=BooleanField()) for name, q in awaiting_q().items()}
    )


def term_met_on(case: Case, term: CaseTerm) -> date | None:
    """The day the step that met `term` was taken: with help accepted the first
    conversation, else the first approach."""
    if term.conversation_if_help_accepted and case.help_accepted_on is not None:
        return case.first_contact_on
    return min((d for d in (getattr(case, f) for f in term.done_fields) if d is not None), default=None)


def deadline_status(due: date | None, *, today: date, awaits: bool, met: bool | None, met_on=None) -> dict:
    """One deadline as a page shows it (templates/cases/includes/days_left.html): days
    left, or "N dagen te laat", while it waits for its step; after that met (on the
    day of the step) or not met, by its rule; or only its date when it does not count."""
    if due is None or awaits:
        return describe(due, today)
    return {**describe(due, today, met), "settled": True, "met_on": met_on if met else None}


def deadline_shown(case: Case, *, today: date) -> dict:
    """The queue's deadline column for a case with `open_due` (`with_open_due`): the
    nearest waiting deadline, in red when it has passed (exactly the cases `late_q`
    counts); when none waits, how the 4-week term (or the CAK list's own term) went."""
    if case.open_due is not None:
        return describe(case.open_due, today)
    for term in (LEGAL_TERM, CAK_EFFORT):
        if (due := getattr(case, term.due_field)) is not None:
            return deadline_status(due, today=today, awaits=False, met=term.met(case), met_on=term_met_on(case, term))
    return describe(None, today)


def queue_for_user(*, user, today: date) -> QuerySet[Case]:
    """Open cases, the nearest deadline that still waits for its step first (`open_due`,
    the one the deadline column shows: a term met long ago no longer sorts a case to the
    top), cases with none waiting last; then the highest priority score (the one the
    case page explains: `priority_score`). Each deadline's cases are sorted on
    `order_rank` (priority.queue_order_rank), which orders them as the score does; the
    score itself is worked out only for the rows of the page. Both sort keys are read
    as stored on the case (cases/queue_keys.py) while they hold for today and the
    current weights, else computed by the same expressions."""
    keys = (
        {"queue_due": F("queue_due"), "queue_rank": F("queue_rank")}
        if queue_keys_current(today=today)
        else queue_key_values(today=today)
    )
    open_due, order_rank = keys["queue_due"], keys["queue_rank"]
    return (
        cases_for_user(user=user)
        .filter(closed_at__isnull=True)
        # Households in a separate query: joined, they make PostgreSQL sort every
        # open case twice.
        .select_related("assigned_to")
        .prefetch_related("household")
        .annotate(open_due=open_due, order_rank=order_rank)
        .annotate(priority_score=queue_rank_from_order_rank(today=today, due=F("open_due"), order_rank=F("order_rank")))
        .order_by(F("open_due").asc(nulls_last=True), "-order_rank", "pk")
    )


def queue_by_next_step(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """The queue sorted on the next step of the contact plan (Case.next_step_on, kept by
    outreach), the earliest first, cases without one last; then as the queue sorts."""
    return queryset.order_by(
        F("next_step_on").asc(nulls_last=True), F("open_due").asc(nulls_last=True), "-order_rank", "pk"
    )


def queue_page(queryset: QuerySet[Case], number: str | None, size: int = 25) -> Page:
    """A page of the queue (vroeg.paging.page_of) in one query: the page's ids are
    sorted out on the narrow rows (id and sort keys), then only those cases are read
    whole (with the score they show). Read whole and sorted together, PostgreSQL
    carried every open case's full row through the sort."""
    n = page_number(number)
    window = queryset.values("pk")[(n - 1) * size : n * size + 1]
    rows = list(queryset.filter(pk__in=window))
    return Page(rows[:size], n, len(rows) > size)


def crisis_terms_for_case(*, case: Case) -> QuerySet[CrisisTerm]:
    """The case's crisis terms, oldest first, each with `is_met` (a conversation within
    it: cases/deadlines.py)."""
    return case.crisis_terms.select_related("judged_by", "withdrawn_by").annotate(
        is_met=ExpressionWrapper(crisis_term_met_q(), output_field=BooleanField())
    )


def apply_tray(queryset: QuerySet[Case], tray: WorkTray, *, today: date) -> QuerySet[Case]:
    """The open cases a work tray selects (its filters are all optional)."""
    qs = queryset
    if tray.municipality_id is not None:
        qs = qs.filter(municipality_id=tray.municipality_id)
    if tray.states:
        qs = qs.filter(state__in=tray.states)
    if tray.partner_types:
        mask = 0
        for ptype in tray.partner_types:
            mask |= PARTNER_TYPE_BITS[ptype]
        qs = qs.annotate(type_hits=F("partner_type_mask").bitand(mask)).filter(type_hits__gt=0)
    if tray.min_signals:
        qs = qs.filter(signal_count__gte=tray.min_signals)
    if tray.min_amount is not None:
        qs = qs.filter(total_amount__gte=tray.min_amount)
    if tray.max_amount is not None:
        qs = qs.filter(total_amount__lte=tray.max_amount)
    if tray.min_age_days is not None:
        qs = qs.filter(first_received_on__lte=today - timedelta(days=tray.min_age_days))
    if tray.max_age_days is not None:
        qs = qs.filter(first_received_on__gte=today - timedelta(days=tray.max_age_days))
    if tray.postcode_from:
        qs = qs.filter(household__postcode__gte=f"{tray.postcode_from:04d}")
    if tray.postcode_to:
        qs = qs.filter(household__postcode__lt=f"{tray.postcode_to + 1:04d}")
    if tray.crisis_only:
        qs = qs.filter(has_crisis=True)
    if tray.deadline == WorkTray.Deadline.OVERDUE:
        qs = qs.filter(late_q(today=today))
    elif tray.deadline == WorkTray.Deadline.THIS_WEEK:
        qs = qs.filter(due_soon_q(today=today))
    if tray.source:
        qs = qs.filter(_from_source(tray.source))
    return qs


def _from_source(source: str) -> Exists:
    """Cases with at least one signal from this source: a referral, the CAK list, or
    a creditor (any other partner)."""
    signals = Signal.objects.filter(case=OuterRef("pk"))
    if source == CaseSource.REFERRAL:
        return Exists(signals.filter(partner__code__in=REFERRAL_PARTNER_CODES))
    if source == CaseSource.CAK:
        return Exists(signals.filter(partner__partner_type__in=CAK_PARTNER_TYPES))
    return Exists(creditor_signals(signals))


def trays_for_user(*, user) -> QuerySet[WorkTray]:
    return scope_to_user_municipalities(WorkTray.objects.all(), user=user)


_POSTCODE_NUMBER = re.compile(r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s+(\d{1,5})\s*$")


# Surname prefixes (tussenvoegsels) are stored apart from the surname: "van der Berg"
# is searched as "Berg".
_SURNAME_PREFIX_WORDS = {"de", "den", "der", "van", "het", "'t", "ter", "ten", "te", "in", "op", "la", "le", "du", "d'"}


def _surname_part(term: str) -> str:
    words = term.split()
    while len(words) > 1 and words[0].lower() in _SURNAME_PREFIX_WORDS:
        words.pop(0)
    return " ".join(words)


def search_cases(queryset: QuerySet[Case], term: str) -> QuerySet[Case]:
    """Cases with a signal whose person or reference matches: postcode + house number,
    BSN, partner_referentie, or the start of a surname (indexed: signal_reference_idx
    and, on PostgreSQL, signal_surname_prefix_idx)."""
    term = term.strip()
    if match := _POSTCODE_NUMBER.match(term):
        digits, letters, number = match.groups()
        # A case is of a household in its own municipality: said here, the database
        # reads the address through household_unique_address (municipality, postcode, …).
        return queryset.filter(
            household__municipality=F("municipality"),
            household__postcode=f"{digits}{letters.upper()}",
            household__house_number=int(number),
        )
    linked = Signal.objects.filter(case__isnull=False)
    if is_number(term) and len(term) in (8, 9):
        matching = linked.filter(bsn=term.zfill(9)).values_list("case_id", flat=True)
    else:
        # A UNION, not an OR: each half uses its own index.
        matching = (
            linked.filter(partner_referentie=term)
            .values_list("case_id", flat=True)
            .union(linked.filter(surname__istartswith=_surname_part(term)).values_list("case_id", flat=True))
        )
    # Matches are few: fetch them once, so the page and its counts don't search again.
    ids = list(matching[:1000])
    return queryset.filter(pk__in=ids)


def filter_queue(queryset: QuerySet[Case], data: dict, *, today: date) -> QuerySet[Case]:
    """The queue narrowed by the filter form's cleaned data (a temporary work tray)."""
    tray = WorkTray(
        municipality_id=None,
        states=[data["state"]] if data.get("state") else [],
        partner_types=[data["partner_type"]] if data.get("partner_type") else [],
        crisis_only=bool(data.get("crisis")),
        deadline=data.get("deadline") or "",
        postcode_from=data.get("postcode_from"),
        postcode_to=data.get("postcode_to"),
        source=data.get("source") or "",
    )
    queryset = apply_tray(queryset, tray, today=today)
    if data.get("unassigned"):
        queryset = queryset.filter(assigned_to__isnull=True)
    if data.get("today"):
        # "Vandaag te doen": the contact plan's next step is due today or was due before.
        queryset = queryset.filter(next_step_on__lte=today)
    if data.get("q"):
        queryset = search_cases(queryset, data["q"])
    return queryset


def _deadline_ahead(queryset: QuerySet[Case], *, today: date) -> QuerySet[Case]:
    """Only cases with a deadline on or after today: implied by a waiting deadline not
    yet passed, and read through case_last_due_idx on PostgreSQL (where GREATEST
    skips NULLs; elsewhere it would be NULL as soon as one deadline is)."""
    if connection.vendor != "postgresql":
        return queryset
    return queryset.alias(last_due=Greatest(*Case.DEADLINE_FIELDS)).filter(last_due__gte=today)


def queue_counts(queryset: QuerySet[Case], *, today: date) -> dict[str, int]:
    """How many open cases, how many late and how many due within a week by their
    waiting deadlines (`late_q`, `due_soon_q`: what the rows show; range scans on
    case_open_queue_idx, capped at 1000+), and how many with a contact plan step to do
    today (or earlier: the "to do today" filter; case_next_step_idx). Counted on the
    ids alone: the queue's sort keys and score are not part of a count."""
    queryset = queryset.values("pk")
    return {
        "total": capped_count(queryset),
        "overdue": capped_count(queryset.filter(late_q(today=today, due=F("open_due")))),
        "this_week": capped_count(
            _deadline_ahead(queryset.filter(due_soon_q(today=today, due=F("open_due"))), today=today)
        ),
        "to_do_today": capped_count(queryset.filter(next_step_on__lte=today)),
    }
