"""The reminder of a contact plan step that comes due (run hourly by beat through
outreach.tasks.send_plan_reminders, like the deadline reminders).

The assigned caseworker hears once per step and day: the notification's key is the
case, the plan, the step's position and its due day, so a job that runs twice (beat
double-fire, a worker killed half-way, a retry) reminds once, and a step moved to
another day (skipped, moved, pulled forward, the plan edited) reminds again on its
new day. Working days only: Monday's run catches up the weekend."""

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse

from cases.models import OPEN_STATES, Case, CaseState
from vroeg.notifications.services import notification_create
from vroeg.workdays import WorkCalendar

from .models import CallbackRequest
from .plans import approach_term


def _when(due: date, today: date) -> str:
    return "vandaag" if due == today else f"sinds {due:%d-%m-%Y}"


def reminders_plan_steps(*, today: date, calendar: WorkCalendar | None = None) -> int:
    """Remind the assigned caseworker of each case whose next plan step is due today or
    was due before (Case.next_step_on, kept by outreach.services). Returns how many
    notifications were new."""
    calendar = calendar or WorkCalendar()
    if not calendar.is_working_day(today):
        return 0
    sent = _remind_callbacks(today=today)
    open_callback = Exists(CallbackRequest.objects.filter(case=OuterRef("pk"), fulfilled_at__isnull=True))
    due = (
        Case.objects.filter(
            state=CaseState.OUTREACH,
            closed_at__isnull=True,
            assigned_to__isnull=False,
            next_step_on__lte=today,
            contact_plan_state__next_position__isnull=False,
        )
        .exclude(open_callback)
        .select_related("assigned_to", "household", "contact_plan_state")
        .order_by("pk")
    )
    for case in due.iterator(chunk_size=500):
        state = case.contact_plan_state
        part = f", {case.next_step_part_of_day.lower()}" if case.next_step_part_of_day else ""
        body = (
            f"Volgende stap van het contactplan van zaak {case.pk} ({case.household}): "
            f"{case.next_step_kind}{part}, gepland op {case.next_step_on:%d-%m-%Y}."
        )
        if case.next_step_pulled_forward and (term := approach_term(case)) is not None:
            body += f"\nDe stap is vervroegd: de termijn om de inwoner te benaderen loopt af op {term:%d-%m-%Y}."
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"plan-step:{case.pk}:{state.plan_id}:{state.next_position}:{case.next_step_on.isoformat()}",
                subject=f"{case.next_step_kind} {_when(case.next_step_on, today)}: {case.household}",
                body=body,
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    return sent


def _remind_callbacks(*, today: date) -> int:
    """The call-backs due today or before, of assigned open cases: once per request and
    due day."""
    requests = (
        CallbackRequest.objects.filter(
            fulfilled_at__isnull=True,
            case__state__in=OPEN_STATES,
            case__assigned_to__isnull=False,
            case__next_step_on__lte=today,
        )
        .select_related("case__assigned_to", "case__household")
        .order_by("case_id", "requested_at", "pk")
    )
    sent, seen = 0, set()
    for request in requests.iterator(chunk_size=500):
        case = request.case
        if case.pk in seen:  # the earliest open request is the next step
            continue
        seen.add(case.pk)
        part = f", {request.part_of_day.lower()}" if request.part_of_day else ""
        body = (
            f"Terugbelverzoek van de inwoner van zaak {case.pk} ({case.household}): "
            f"bel {case.next_step_on:%d-%m-%Y}{part}."
        )
        sent += (
            notification_create(
                user=case.assigned_to,
                key=f"callback:{case.pk}:{request.pk}:{case.next_step_on.isoformat()}",
                subject=f"Terugbellen {_when(case.next_step_on, today)}: {case.household}",
                body=body,
                url=reverse("case-detail", args=[case.pk]),
            )
            is not None
        )
    return sent
