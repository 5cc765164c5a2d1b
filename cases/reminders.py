"""Daily reminders about deadlines (run by beat through cases.tasks.send_reminders).

Each reminder is a notification with a unique key, so a job that runs twice (beat
double-fire, worker restart, retry) reminds once. Reminders go out on working days
only: nobody reads them at the weekend, and Monday's run catches up.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from vroeg.accounts.selectors import team_leads_of
from vroeg.notifications.services import notification_create
from vroeg.workdays import WorkCalendar

from .deadlines import crisis_awaits_conversation_q
from .models import Case

DIGEST_CASES_LISTED = 20


def _waiting():
    """Open cases whose clock still runs: no conversation yet."""
    return Case.objects.filter(closed_at__isnull=True, first_contact_on__isnull=True, next_due__isnull=False)


def reminders_deadlines(*, today: date, calendar: WorkCalendar | None = None) -> int:
    """The assigned caseworker hears once when a case's next deadline is near, and
    every working day while a judged crisis term waits for a conversation (also a term
    judged after help was accepted; a mere proposal is no term)."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    horizon = today + timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    sent = 0
    near = (
        _waiting()
        .filter(assigned_to__isnull=False, next_due__gte=today, next_due__lte=horizon)
        .select_related("assigned_to", "household")
        .order_by("pk")
    )
    for case in near.iterator(chunk_size=500):
        days = (case.next_due - today).days
        when = "vandaag" if days == 0 else ("morgen" if days == 1 else f"over {days} dagen")
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"deadline:{case.pk}:{case.next_due.isoformat()}",
                subject=f"Termijn verloopt {when}: {case.household}",
                body=f"De termijn van zaak {case.pk} ({case.household}) verloopt op {case.next_due:%d-%m-%Y}.",
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    crisis = (
        Case.objects.filter(crisis_awaits_conversation_q(), closed_at__isnull=True, assigned_to__isnull=False)
        .select_related("assigned_to", "household")
        .order_by("pk")
    )
    for case in crisis.iterator(chunk_size=500):
        state = "is verstreken" if case.crisis_due < today else f"loopt t/m {case.crisis_due:%d-%m-%Y}"
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"crisis:{case.pk}:{today.isoformat()}",
                subject=f"Bedreigende situatie, nog geen contact: {case.household}",
                body=f"De crisistermijn van 3 werkdagen van zaak {case.pk} {state}.",
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    return sent


def reminders_overdue_digest(*, today: date, calendar: WorkCalendar | None = None) -> int:
    """Each team lead gets one digest a working day: cases past their deadline
    without contact, and unassigned cases due soon, in their municipalities."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    horizon = today + timedelta(days=settings.DEADLINE_REMINDER_DAYS)
    attention = _waiting().filter(Q(next_due__lt=today) | Q(assigned_to__isnull=True, next_due__lte=horizon))
    municipality_ids = list(attention.values_list("municipality_id", flat=True).distinct())
    sent = 0
    for lead in team_leads_of(municipality_ids=municipality_ids).prefetch_related("municipalities"):
        theirs = attention.filter(municipality__in=lead.municipalities.all())
        overdue = theirs.filter(next_due__lt=today).count()
        unassigned = theirs.filter(next_due__gte=today, assigned_to__isnull=True).count()
        if not overdue and not unassigned:
            continue
        listed = theirs.select_related("household").order_by("next_due", "pk")[:DIGEST_CASES_LISTED]
        lines = [f"- {c.household}: termijn {c.next_due:%d-%m-%Y} (zaak {c.pk})" for c in listed]
        sent += (
            notification_create(
                user=lead,
                key=f"overdue-digest:{lead.pk}:{today.isoformat()}",
                subject=f"{overdue} zaken over de termijn, {unassigned} niet toegewezen en bijna verlopen",
                body="\n".join(["Zaken zonder contact die aandacht vragen:", *lines]),
                url=reverse("caseworker-dashboard") + "?deadline=overdue",
            )
            is not None
        )
    return sent
