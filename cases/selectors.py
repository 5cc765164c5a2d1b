"""Reads of cases, always scoped to the user's municipalities."""

import re
from datetime import date, timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from signals.models import CAK_PARTNER_TYPES, PARTNER_TYPE_BITS, Signal
from signals.referrals import REFERRAL_PARTNER_CODES
from signals.selectors import creditor_signals
from vroeg.dutch import is_number
from vroeg.municipalities.selectors import scope_to_user_municipalities
from vroeg.paging import capped_count

from .deadlines import crisis_term_met_q
from .models import Case, CaseSource, CrisisTerm, WorkTray
from .priority import queue_rank


def cases_for_user(*, user) -> QuerySet[Case]:
    if not user.has_perm("accounts.work_cases"):
        return Case.objects.none()
    return scope_to_user_municipalities(Case.objects.all(), user=user)


def queue_for_user(*, user, today: date) -> QuerySet[Case]:
    """Open cases, nearest deadline first (crisis or legal term, whichever is
    nearer; index case_open_queue_idx), then the highest priority score (the one
    the case page explains)."""
    return (
        cases_for_user(user=user)
        .filter(closed_at__isnull=True)
        # Households in a separate query: joined, they make PostgreSQL sort every open
        # case instead of reading the index in deadline order.
        .select_related("assigned_to")
        .prefetch_related("household")
        .annotate(priority_score=queue_rank(today=today))
        .order_by(F("next_due").asc(nulls_last=True), "-priority_score", "pk")
    )


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
        qs = qs.filter(contact_due__lt=today, first_contact_on__isnull=True)
    elif tray.deadline == WorkTray.Deadline.THIS_WEEK:
        qs = qs.filter(contact_due__gte=today, contact_due__lte=today + timedelta(days=7))
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
        return queryset.filter(household__postcode=f"{digits}{letters.upper()}", household__house_number=int(number))
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
    if data.get("q"):
        queryset = search_cases(queryset, data["q"])
    return queryset


def queue_counts(queryset: QuerySet[Case], *, today: date) -> dict[str, int]:
    """How many open cases, how many overdue and due within a week by their next
    deadline (range scans on case_open_queue_idx, capped at 1000+). Contact made
    stops the clock."""
    waiting = queryset.filter(first_contact_on__isnull=True)
    return {
        "total": capped_count(queryset),
        "overdue": capped_count(waiting.filter(next_due__lt=today)),
        "this_week": capped_count(waiting.filter(next_due__gte=today, next_due__lte=today + timedelta(days=7))),
    }


def team_overview(*, user, today: date) -> list[dict]:
    """Per municipality of the team lead: open cases, those past their deadline
    without contact, due within a week, unassigned, and open crisis cases (one query)."""
    waiting = Q(first_contact_on__isnull=True)
    rows = (
        scope_to_user_municipalities(Case.objects.filter(closed_at__isnull=True), user=user)
        .values("municipality__name", "municipality_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=waiting & Q(next_due__lt=today)),
            this_week=Count("pk", filter=waiting & Q(next_due__gte=today, next_due__lte=today + timedelta(days=7))),
            unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
            crisis=Count("pk", filter=Q(has_crisis=True)),
        )
        .order_by("municipality__name")
    )
    return list(rows)
