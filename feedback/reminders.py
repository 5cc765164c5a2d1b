"""Collection pause reminders (run by beat through feedback.tasks.send_reminders):
on the pause's reminder day (default day 25) the caseworker hears that it ends;
once it has ended, that it did and what to do. One notification per case, end date
and kind, naming all partners whose pause that is (unique keys), to the assigned
caseworker or else the team leads."""

from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from vroeg.accounts.selectors import partner_users, team_leads_of
from vroeg.notifications.services import notification_create

from .models import CollectionPause, Feedback, FeedbackResult
from .rules import pause_is_over
from .selectors import followed_pauses


def _recipients(case, leads: dict[int, list]) -> list:
    """The assigned caseworker, else the municipality's team leads (looked up once
    per municipality per run)."""
    if case.assigned_to_id is not None:
        return [case.assigned_to]
    if case.municipality_id not in leads:
        leads[case.municipality_id] = list(team_leads_of(municipality_ids=[case.municipality_id]))
    return leads[case.municipality_id]


def _names(pauses: list[CollectionPause]) -> str:
    """'Woonstichting X', 'Woonstichting X en Energie Y', 'A, B en C'."""
    names = sorted({pause.partner.name for pause in pauses})
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"


def _pause_message(pauses: list[CollectionPause], *, today: date) -> tuple[str, str, str]:
    """(kind, subject, body) of one notification about the pauses of one case that
    end on the same day: one sentence naming every partner."""
    case, ends_on = pauses[0].case, pauses[0].ends_on
    several = len(pauses) > 1
    who = f"{'De incassopauzes' if several else 'De incassopauze'} van {_names(pauses)} voor zaak {case.pk}"
    what = "Incassopauzes" if several else "Incassopauze"
    # The partners were told to pause "tot en met" ends_on: that day is still paused.
    until = f"t/m {ends_on:%d-%m-%Y}"
    if pause_is_over(ends_on, today=today):
        subject = f"{what} van {_names(pauses)} {'zijn' if several else 'is'} voorbij: {case.household}"
        body = (
            f"{who} {'liepen' if several else 'liep'} {until} en {'zijn' if several else 'is'} voorbij. "
            "Maak een betalingsregeling of neem contact op met "
            f"{'de partners' if several else 'de partner'}, zodat de schuld rustig blijft."
        )
        return "pause-ended", subject, body
    days = (ends_on - today).days
    left = "vandaag is de laatste dag" if days == 0 else f"nog {days} dag{'' if days == 1 else 'en'}"
    subject = f"{what} van {_names(pauses)} {'lopen' if several else 'loopt'} {until}: {case.household}"
    body = (
        f"{who} {'lopen' if several else 'loopt'} {until} ({left}). "
        f"Regel op tijd een betalingsregeling of overleg met {'de partners' if several else 'de partner'}."
    )
    return "pause-ending", subject, body


def reminders_collection_pauses(*, today: date) -> int:
    """One notification per case and end date, naming every partner whose pause ends
    (or ended) that day: pauses that start together (help accepted) end together and
    come as one message, not one per partner. Keyed by case, end date and recipient,
    so a second run, or the next day's, adds nothing."""
    remind_before = settings.COLLECTION_PAUSE_DAYS - settings.COLLECTION_PAUSE_REMIND_DAY
    pauses = (
        # Open cases, and cases closed by handover (feedback.selectors.followed_pauses).
        followed_pauses(
            CollectionPause.objects.filter(
                followed_up_at__isnull=True, ends_on__lte=today + timedelta(days=remind_before)
            )
        )
        .select_related("case__assigned_to", "case__household", "partner")
        .order_by("case_id", "ends_on", "pk")
    )
    sent = 0
    leads: dict[int, list] = {}
    together = groupby(pauses.iterator(chunk_size=500), key=lambda pause: (pause.case_id, pause.ends_on))
    for (case_id, ends_on), group in together:
        group = list(group)
        kind, subject, body = _pause_message(group, today=today)
        for user in _recipients(group[0].case, leads):
            sent += (
                notification_create(
                    user=user,
                    key=f"{kind}:{case_id}:{ends_on.isoformat()}:{user.pk}",
                    subject=subject,
                    body=body,
                    url=reverse("case-detail", args=[case_id]),
                )
                is not None
            )
    return sent


def reminders_partner_digest(*, today: date) -> int:
    """Each partner user gets one message a day about the feedback given on their
    signals the day before (counts per result; the details are on the page)."""
    yesterday = today - timedelta(days=1)
    counts = (
        Feedback.objects.filter(given_at__date=yesterday)
        .values("partner_id", "result")
        .annotate(n=Count("pk"))
        .order_by("partner_id", "result")
    )
    per_partner: dict[int, list[tuple[str, int]]] = {}
    for row in counts:
        per_partner.setdefault(row["partner_id"], []).append((FeedbackResult(row["result"]).label, row["n"]))
    sent = 0
    for partner_id, results in per_partner.items():
        total = sum(n for _, n in results)
        lines = [f"- {label}: {n}" for label, n in results]
        for user in partner_users(partner_id=partner_id):
            sent += (
                notification_create(
                    user=user,
                    key=f"partner-digest:{user.pk}:{yesterday.isoformat()}",
                    subject=f"Terugkoppeling van {yesterday:%d-%m-%Y}: {total} signa{'al' if total == 1 else 'len'}",
                    body="\n".join(lines),
                    url=reverse("partner-feedback") + f"?date_from={yesterday}&date_to={yesterday}",
                )
                is not None
            )
    return sent
