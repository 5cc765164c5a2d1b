"""Reads for partners (only their own signals, only what feedback allows) and for
the case page."""

from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import HELP_OUTCOMES, CaseState
from signals.models import Signal

from .models import CollectionPause, Feedback, FeedbackConsent, FeedbackResult
from .rules import pause_is_over

# The only fields a partner's pages and export read: nothing about the resident.
PARTNER_FIELDS = (
    "given_at",
    "result",
    "detail",
    "pause_ends_on",
    "signal__partner_referentie",
    "signal__signal_type",
    "signal__signal_date",
    "signal__received_on",
)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(qs: QuerySet, date_from: date | None, date_to: date | None) -> QuerySet:
    # As a time range in the local time zone, so feedback_partner_idx serves it.
    if date_from:
        qs = qs.filter(given_at__gte=_start_of(date_from))
    if date_to:
        qs = qs.filter(given_at__lt=_start_of(date_to + timedelta(days=1)))
    return qs


def feedback_for_partner(*, partner, date_from: date | None = None, date_to: date | None = None) -> QuerySet:
    """The partner's feedback, newest first, as dicts of PARTNER_FIELDS only."""
    qs = _in_period(Feedback.objects.filter(partner=partner), date_from, date_to)
    return qs.order_by("-given_at", "-pk").values(*PARTNER_FIELDS)


def feedback_for_partners(*, partners, date_from: date, date_to: date) -> QuerySet:
    """The feedback to these partners given from `date_from` up to and including
    `date_to` (local days), oldest first, as dicts of PARTNER_FIELDS and the partner's
    code only: what each partner's own feedback CSV shows (a platform's feedback file)."""
    qs = _in_period(Feedback.objects.filter(partner__in=partners), date_from, date_to)
    return qs.order_by("given_at", "pk").values(*PARTNER_FIELDS, "partner__code")


def partner_feedback_rows(rows, *, today: date) -> list[dict]:
    """Rows of feedback_for_partner as the partner's page shows them: the result's
    label, and whether the collection pause (if any) is over."""
    labels = dict(FeedbackResult.choices)
    shown = []
    for row in rows:
        ends_on = row["pause_ends_on"]
        row["result_label"] = labels.get(row["result"], row["result"])
        row["pause_over"] = ends_on is not None and pause_is_over(ends_on, today=today)
        shown.append(row)
    return shown


def monthly_figures(*, partner, today: date, months: int = 12) -> list[dict]:
    """Per month of receipt (newest first): signals received, picked up (a
    caseworker took them on) and in which help was accepted. Aggregates only."""
    start = (today - relativedelta(months=months - 1)).replace(day=1)
    rows = (
        Signal.objects.filter(partner=partner, received_on__gte=start)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(
            received=Count("pk"),
            picked_up=Count("pk", filter=Q(case__picked_up_on__isnull=False)),
            help_accepted=Count("pk", filter=Q(case__help_accepted_on__isnull=False)),
        )
        .order_by("-month")
    )
    return list(rows)


# A case closed from "help accepted" with a result of help (warm handover, follow-up
# help, advice) still has its partners' pauses running: the debt must stay calm during
# the handover (NVVK module), so they are followed until they ended and were followed up.
_CLOSED_BY_HELP = Q(case__closed_from=CaseState.HELP_ACCEPTED, case__outcome__in=HELP_OUTCOMES)


def followed_pauses(pauses: QuerySet[CollectionPause]) -> QuerySet[CollectionPause]:
    """The pauses the caseworker is still reminded of: of open cases and of cases
    closed by handover."""
    return pauses.filter(Q(case__closed_at__isnull=True) | _CLOSED_BY_HELP)


def _follows_pauses(case) -> bool:
    return case.is_open or (case.closed_from == CaseState.HELP_ACCEPTED and case.outcome in HELP_OUTCOMES)


def pauses_for_case(*, case, today: date, rows: list[CollectionPause] | None = None) -> list[dict]:
    """The case's collection pauses with where each stands. A pause runs up to and
    including `ends_on` (what the partner was told), so it has ended the day after.
    `rows`: the case's pauses read already (with partner and followed_up_by, by
    starts_on and pk; the case page's cases.timeline.case_reads)."""
    followed = _follows_pauses(case)
    result = []
    if rows is None:
        rows = (
            CollectionPause.objects.filter(case=case)
            .select_related("partner", "followed_up_by")
            .order_by("starts_on", "pk")
        )
    for pause in rows:
        ended = pause_is_over(pause.ends_on, today=today)
        result.append(
            {
                "pause": pause,
                "days_left": (pause.ends_on - today).days,
                "ended": ended,
                "needs_follow_up": followed and ended and pause.followed_up_at is None,
            }
        )
    return result


def consent_for_case(*, case, feedback: list[Feedback] | None = None) -> FeedbackConsent | None:
    """The resident's consent to feedback, if any, with `fed_back_to`: the names of the
    partners that heard the end result on the strength of it, and `fed_back_detail`:
    what they heard (the case page asks to tell the resident, AP guidance).
    `feedback`: the case's feedback read already, with partner (feedback_for_case)."""
    consent = FeedbackConsent.objects.filter(case=case).select_related("recorded_by").first()
    if consent is not None:
        if feedback is None:
            rows = list(
                Feedback.objects.filter(case=case, result=FeedbackResult.CLOSED_WITH_CONSENT)
                .values_list("partner__name", "detail")
                .distinct()
                .order_by("partner__name", "detail")
            )
        else:
            consented = FeedbackResult.CLOSED_WITH_CONSENT
            rows = sorted({(f.partner.name, f.detail) for f in feedback if f.result == consented})
        consent.fed_back_to = sorted({name for name, _ in rows})
        consent.fed_back_detail = rows[0][1] if rows else ""
    return consent


def feedback_for_case(*, case, today: date, rows: list[Feedback] | None = None) -> list[Feedback]:
    """What each partner heard about the case, oldest first; each with `pause_over`
    (pause_is_over: a pause that ended is never shown as one to keep). `rows`: the
    case's feedback read already (with partner and signal, by given_at and pk; the case
    page's cases.timeline.case_reads)."""
    if rows is None:
        rows = Feedback.objects.filter(case=case).select_related("partner", "signal").order_by("given_at", "pk")
    rows = list(rows)
    for row in rows:
        row.pause_over = row.pause_ends_on is not None and pause_is_over(row.pause_ends_on, today=today)
    return rows
