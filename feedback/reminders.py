"""Collection pause reminders (run by beat through feedback.tasks.send_reminders):
on the pause's reminder day (default day 25) the caseworker hears that it ends;
once it has ended, that it did and what to do. One notification per pause and
kind (unique keys), to the assigned caseworker or else the team leads."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from vroeg.accounts.selectors import partner_users, team_leads_of
from vroeg.notifications.services import notification_create

from .models import CollectionPause, Feedback, FeedbackResult
from .selectors import followed_pauses


def _recipients(pause: CollectionPause, leads: dict[int, list]) -> list:
    """The assigned caseworker, else the municipality's team leads (looked up once
    per municipality per run)."""
    if pause.case.assigned_to_id is not None:
        return [pause.case.assigned_to]
    municipality_id = pause.case.municipality_id
    if municipality_id not in leads:
        leads[municipality_id] = list(team_leads_of(municipality_ids=[municipality_id]))
    return leads[municipality_id]


def reminders_collection_pauses(*, today: date) -> int:
    remind_before = settings.COLLECTION_PAUSE_DAYS - settings.COLLECTION_PAUSE_REMIND_DAY
    pauses = (
        # Open cases, and cases closed by handover (feedback.selectors.followed_pauses).
        followed_pauses(
            CollectionPause.objects.filter(
                followed_up_at__isnull=True, ends_on__lte=today + timedelta(days=remind_before)
            )
        )
        .select_related("case__assigned_to", "case__household", "partner")
        .order_by("pk")
    )
    sent = 0
    leads: dict[int, list] = {}
    for pause in pauses.iterator(chunk_size=500):
        # The partner was told to pause "tot en met" ends_on: that day is still paused.
        ended = pause.ends_on < today
        kind = "pause-ended" if ended else "pause-ending"
        partner = pause.partner.name
        until = f"t/m {pause.ends_on:%d-%m-%Y}"
        if ended:
            subject = f"Incassopauze van {partner} is voorbij: {pause.case.household}"
            body = (
                f"De incassopauze van {partner} voor zaak {pause.case.pk} liep {until} en is voorbij. "
                "Maak een betalingsregeling of neem contact op met de partner, zodat de schuld rustig blijft."
            )
        else:
            days = (pause.ends_on - today).days
            left = "vandaag is de laatste dag" if days == 0 else f"nog {days} dag{'' if days == 1 else 'en'}"
            subject = f"Incassopauze van {partner} loopt {until}: {pause.case.household}"
            body = (
                f"De incassopauze van {partner} voor zaak {pause.case.pk} loopt {until} ({left}). "
                "Regel op tijd een betalingsregeling of overleg met de partner."
            )
        for user in _recipients(pause, leads):
            sent += (
                notification_create(
                    user=user,
                    key=f"{kind}:{pause.pk}:{user.pk}",
                    subject=subject,
                    body=body,
                    url=reverse("case-detail", args=[pause.case_id]),
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
