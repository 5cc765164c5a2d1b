"""Reads for outreach."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import F, QuerySet
from django.utils import timezone

from cases.models import Case, CaseState, Resident
from cases.selectors import apply_tray
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import scope_to_user_municipalities
from vroeg.workdays import WorkCalendar

from .models import CasePlanState, ContactAttempt, ContactKind, ContactPlan, ContactPlanStep, PlanStepChange, TrayPlan
from .plans import AttemptEvent, PlanStep, Schedule, StepChangeEvent, approach_term, plan_schedule


def message_addressees(*, case: Case) -> QuerySet[Resident]:
    """The residents a letter, card or text of this case can be addressed to: those of
    the household with a signal in this case."""
    return (
        Resident.objects.filter(household_id=case.household_id, signals__case=case)
        .distinct()
        .order_by("surname", "initials", "pk")
    )


def home_visits_due(*, municipality: Municipality | int, on: date) -> QuerySet[Case]:
    """The open cases of a municipality (an instance or its id) whose contact plan's next
    step is a home visit due on `on` or before (overdue ones too): the stored next step
    (Case.next_step_*, kept by services.cases_plan_refresh; only cases seeking contact
    have one). Not scoped to a user: the caller scopes (e.g. cases_for_user)."""
    return Case.objects.filter(
        municipality=municipality,
        closed_at__isnull=True,
        state=CaseState.OUTREACH,
        next_step_kind=ContactKind.HOME_VISIT,
        next_step_on__lte=on,
    )


# --- contact plans ------------------------------------------------------------------


def plans_for_user(*, user) -> QuerySet[ContactPlan]:
    """The contact plans of the user's municipalities, default first, with their steps."""
    return scope_to_user_municipalities(ContactPlan.objects.all(), user=user).prefetch_related("steps")


def tray_plans(*, municipality_ids: Iterable[int]) -> list[TrayPlan]:
    """The work trays with a plan of their own municipality, in the order in which the
    first that selects a case gives it its plan: by tray name, then id (the order of
    the queue's tray list)."""
    return list(
        TrayPlan.objects.filter(
            tray__municipality_id__in=list(municipality_ids), plan__municipality=F("tray__municipality")
        )
        .select_related("tray", "plan")
        .order_by("tray__name", "tray__pk")
    )


def plans_for_cases(cases: Sequence[Case], *, today: date, defaults: dict[int, ContactPlan]) -> dict[int, ContactPlan]:
    """Which plan each case follows: the first work tray (`tray_plans` order) that
    selects it (cases.selectors.apply_tray, as the queue shows the tray) and has a plan;
    else its municipality's default plan (`defaults`, by municipality id). One query per
    tray with a plan, however many cases."""
    ids = [c.pk for c in cases]
    chosen: dict[int, ContactPlan] = {}
    for link in tray_plans(municipality_ids={c.municipality_id for c in cases}):
        left = [pk for pk in ids if pk not in chosen]
        if not left:
            break
        selected = apply_tray(Case.objects.filter(pk__in=left, closed_at__isnull=True), link.tray, today=today)
        for pk in selected.values_list("pk", flat=True):
            chosen[pk] = link.plan
    return {c.pk: chosen.get(c.pk) or defaults[c.municipality_id] for c in cases}


def plan_steps(*, plan_ids: Iterable[int]) -> dict[int, list[PlanStep]]:
    """The steps of these plans, in order, as outreach/plans.py computes with them."""
    steps: dict[int, list[PlanStep]] = {pk: [] for pk in plan_ids}
    for s in ContactPlanStep.objects.filter(plan_id__in=list(steps)).order_by("plan_id", "position"):
        steps[s.plan_id].append(PlanStep(s.position, s.kind, s.offset_days, s.offset_from, s.part_of_day))
    return steps


def plan_events(*, plan_of: dict[int, int]) -> dict[int, list[AttemptEvent | StepChangeEvent]]:
    """Per case (`plan_of`: case id → the id of the plan it follows) its attempts and
    the skips and moves of steps of that plan, in the order they were recorded."""
    timed: dict[int, list[tuple]] = {pk: [] for pk in plan_of}
    for a in ContactAttempt.objects.filter(case_id__in=list(plan_of)).values(
        "pk", "case_id", "kind", "attempted_at", "recorded_at"
    ):
        event = AttemptEvent(timezone.localdate(a["attempted_at"]), a["kind"], a["pk"])
        timed[a["case_id"]].append((a["recorded_at"], 0, a["pk"], event))
    for c in PlanStepChange.objects.filter(case_id__in=list(plan_of)).values(
        "pk", "case_id", "plan_id", "position", "kind", "action", "on", "at"
    ):
        if c["plan_id"] == plan_of[c["case_id"]]:
            event = StepChangeEvent(c["action"], c["position"], c["kind"], c["on"])
            timed[c["case_id"]].append((c["at"], 1, c["pk"], event))
    return {pk: [e for *_, e in sorted(events, key=lambda t: t[:3])] for pk, events in timed.items()}


def case_plan_view(*, case: Case, calendar: WorkCalendar | None = None) -> tuple[ContactPlan, Schedule] | None:
    """The plan a case in outreach follows now and its schedule (the case page), by the
    plan state the plan service stored; None for a case that seeks no contact or whose
    plan was not computed yet."""
    if case.state != CaseState.OUTREACH or case.picked_up_on is None:
        return None
    state = CasePlanState.objects.filter(case=case).select_related("plan").first()
    if state is None:
        return None
    steps = plan_steps(plan_ids=[state.plan_id])[state.plan_id]
    events = plan_events(plan_of={case.pk: state.plan_id})[case.pk]
    schedule = plan_schedule(
        steps, picked_up_on=case.picked_up_on, events=events, term=approach_term(case), calendar=calendar
    )
    return state.plan, schedule
