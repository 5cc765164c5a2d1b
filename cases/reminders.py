"""Daily reminders about deadlines (run by beat through cases.tasks.send_reminders).

Each reminder is a notification with a unique key, so a job that runs twice (beat
double-fire, worker restart, retry) reminds once. Reminders go out on working days
only: nobody reads them at the weekend, and Monday's run catches up.
"""

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from vroeg.accounts.selectors import team_leads_of
from vroeg.notifications.services import notification_create
from vroeg.workdays import WorkCalendar

from .deadlines import crisis_awaits_conversation_q, due_soon_q, late_q, open_due_expression
from .models import Case

DIGEST_CASES_LISTED = 20


def _waiting_soon(*, today: date):
    """Open cases whose nearest deadline still waiting for its step (`open_due`, the
    queue's own definition: cases/deadlines.py) is today or within the reminder days."""
    return Case.objects.filter(
        due_soon_q(today=today, days=settings.DEADLINE_REMINDER_DAYS), closed_at__isnull=True
    ).annotate(open_due=open_due_expression())


def reminders_deadlines(*, today: date, calendar: WorkCalendar | None = None) -> int:
    """The assigned caseworker hears once when a case's next deadline is near, and
    every working day while a judged crisis term waits for a conversation (also a term
    judged after help was accepted; a mere proposal is no term). A case has one
    notification a run: a crisis reminder also names the case's near deadline, which
    then has no reminder of its own."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    sent = 0
    near = _waiting_soon(today=today).filter(assigned_to__isnull=False)
    near_in_crisis = set(near.filter(crisis_awaits_conversation_q()).values_list("pk", flat=True))
    alone = near.exclude(pk__in=near_in_crisis).select_related("assigned_to", "household").order_by("pk")
    for case in alone.iterator(chunk_size=500):
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"deadline:{case.pk}:{case.open_due.isoformat()}",
                subject=f"Termijn verloopt {_when(case.open_due, today)}: {case.household}",
                body=f"De termijn van zaak {case.pk} ({case.household}) verloopt op {case.open_due:%d-%m-%Y}.",
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    near_due = dict(near.filter(pk__in=near_in_crisis).values_list("pk", "open_due"))
    crisis = (
        Case.objects.filter(crisis_awaits_conversation_q(), closed_at__isnull=True, assigned_to__isnull=False)
        .select_related("assigned_to", "household")
        .order_by("pk")
    )
    for case in crisis.iterator(chunk_size=500):
        state = "is verstreken" if case.crisis_due < today else f"loopt t/m {case.crisis_due:%d-%m-%Y}"
        body = f"De crisistermijn van 3 werkdagen van zaak {case.pk} {state}."
        if (due := near_due.get(case.pk)) is not None and due != case.crisis_due:
            body += f"\nDe termijn van zaak {case.pk} verloopt {_when(due, today)} ({due:%d-%m-%Y})."
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"crisis:{case.pk}:{today.isoformat()}",
                subject=f"Bedreigende situatie, nog geen contact: {case.household}",
                body=body,
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    return sent


def _when(due: date, today: date) -> str:
    days = (due - today).days
    return "vandaag" if days == 0 else ("morgen" if days == 1 else f"over {days} dagen")


def reminders_overdue_digest(*, today: date, calendar: WorkCalendar | None = None) -> int:
    """Each team lead gets one digest a working day: cases past their deadline
    without contact, and unassigned cases due soon, in their municipalities."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    # Late and due soon by the queue's own definition (cases/deadlines.py), so the
    # count agrees with the list the digest links to.
    late = late_q(today=today)
    soon_unassigned = due_soon_q(today=today, days=settings.DEADLINE_REMINDER_DAYS) & Q(assigned_to__isnull=True)
    attention = Case.objects.filter(closed_at__isnull=True).filter(late | soon_unassigned)
    municipality_ids = list(attention.values_list("municipality_id", flat=True).distinct())
    sent = 0
    for lead in team_leads_of(municipality_ids=municipality_ids).prefetch_related("municipalities"):
        theirs = attention.filter(municipality__in=lead.municipalities.all())
        overdue = theirs.filter(late).count()
        unassigned = theirs.filter(soon_unassigned).count()
        if not overdue and not unassigned:
            continue
        listed = (
            theirs.annotate(open_due=open_due_expression())
            .select_related("household")
            .order_by("open_due", "pk")[:DIGEST_CASES_LISTED]
        )
        lines = [f"- {c.household}: termijn {c.open_due:%d-%m-%Y} (zaak {c.pk})" for c in listed]
        sent += (
            notification_create(
                user=lead,
                key=f"overdue-digest:{lead.pk}:{today.isoformat()}",
                subject=(
                    f"{overdue} {'zaak' if overdue == 1 else 'zaken'} te laat, "
                    f"{unassigned} niet toegewezen en bijna verlopen"
                ),
                body="\n".join(["Zaken die aandacht vragen:", *lines]),
                url=reverse("caseworker-dashboard") + "?deadline=overdue",
            )
            is not None
        )
    return sent
