"""Contact plans (issue 19): when each step of a case's plan is due. Pure: no queries.
outreach/services.py reads the case, its plan, attempts and step changes, and stores
what `plan_schedule` returns (the Case.next_step_* columns, `CasePlanState`).

The rules (docs/law.md "Contact plans", docs/contact-plans.md for team leads):

1. Progress, replayed in the order things were recorded. An attempt carries out the
   first step still to do of its own kind (usually the next step; a letter sent while a
   phone call is next carries out the plan's letter step early). An attempt of a kind
   the plan has no step left for carries out none. Either way the plan goes on from
   that attempt: the next step counts its days from it. A skipped step is passed over
   and counts as taken on the day it was skipped; a later step moved forward becomes
   the next step. A skip or move whose step has since been edited away (another kind
   at that position) no longer applies.
2. Dates. A step still to do counts its days from the pick-up (`PlanAnchor.PICKUP`) or
   from the step before it (`PREVIOUS`): for the next step the last attempt or skip,
   else the pick-up; for a later step the day planned for the step before it. It is
   never planned before that day. A day that is no working day (weekend, Atw holiday,
   decreed closure day: vroeg/workdays.py) moves on to the next working day.
3. The term. No step is planned after the case's term to approach the resident
   (`approach_term`: the legal 4-week term, or the CAK list's own term). A step that
   would fall after it is pulled forward to the last working day on or before it. When
   that day lies before the day the step counts from, the term has passed already: the
   step keeps its own day and the schedule says the term has passed.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from cases.deadlines import CAK_EFFORT, LEGAL_TERM
from vroeg.workdays import WorkCalendar

PICKUP = "pickup"
PREVIOUS = "previous"
SKIP = "skip"
MOVE = "move"

# The terms by which the resident must have been approached (cases/deadlines.py: both
# are met by the first attempt). A plan never plans a step after the nearest of them.
APPROACH_TERMS = (LEGAL_TERM, CAK_EFFORT)


def approach_term(case) -> date | None:
    """The case's term to approach the resident: the nearest of its `APPROACH_TERMS`
    (the stored deadlines intake sets by cases/deadlines.py), None without one."""
    return min((d for t in APPROACH_TERMS if (d := getattr(case, t.due_field)) is not None), default=None)


@dataclass(frozen=True)
class PlanStep:
    position: int
    kind: str
    offset_days: int
    offset_from: str = PREVIOUS
    part_of_day: str = ""


@dataclass(frozen=True)
class AttemptEvent:
    """A contact attempt on the case: its (local) date and kind."""

    on: date
    kind: str
    attempt_id: int | None = None


@dataclass(frozen=True)
class StepChangeEvent:
    """A step skipped (`SKIP`) or moved forward to be the next one (`MOVE`)."""

    action: str
    position: int
    kind: str
    on: date


DONE, SKIPPED, NEXT, LATER = "done", "skipped", "next", "later"


@dataclass(frozen=True)
class ScheduledStep:
    step: PlanStep
    status: str  # DONE, SKIPPED, NEXT or LATER
    on: date  # done or skipped: that day; next or later: the day it is due
    pulled_forward: bool = False
    planned_on: date | None = None  # next or later and pulled forward: the day it would have had
    attempt_id: int | None = None
    moved: bool = False  # moved forward by the caseworker


@dataclass(frozen=True)
class Schedule:
    steps: tuple[ScheduledStep, ...] = ()  # taken steps as they were taken, then the rest in order
    term: date | None = None
    # The next step falls after the term, which had passed before the step could be taken.
    term_passed: bool = False
    # Which step each attempt carried out: attempt id → position.
    carried_out: dict[int, int] = field(default_factory=dict)

    @property
    def next(self) -> ScheduledStep | None:
        return next((s for s in self.steps if s.status == NEXT), None)


def last_working_day_on_or_before(day: date, calendar: WorkCalendar) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


# A call-back requested before this hour (local time) on a working day is due that day.
CALLBACK_SAME_DAY_BEFORE = 12


@dataclass(frozen=True)
class CallbackDue:
    """When an open call-back request is due: the day, pulled forward or not (then the
    day it would have had)."""

    on: date
    pulled_forward: bool = False
    planned_on: date | None = None


def callback_due(
    requested_at: datetime, *, term: date | None = None, calendar: WorkCalendar | None = None
) -> CallbackDue:
    """The day to call back a resident who asked on the reply page (`requested_at`, local
    time): the same day when asked before 12:00 on a working day, else the next working
    day after the request. Never after the term to approach the resident (rule 3: pulled
    forward to the last working day on or before it, but not before the request)."""
    calendar = calendar or WorkCalendar()
    day = requested_at.date()
    if requested_at.hour >= CALLBACK_SAME_DAY_BEFORE or not calendar.is_working_day(day):
        day += timedelta(days=1)
    planned = calendar.next_working_day_from(day)
    if term is not None and planned > term:
        latest = last_working_day_on_or_before(term, calendar)
        if latest >= requested_at.date():
            return CallbackDue(latest, True, planned)
    return CallbackDue(planned)


def plan_schedule(
    steps: Sequence[PlanStep],
    *,
    picked_up_on: date,
    events: Iterable[AttemptEvent | StepChangeEvent] = (),
    term: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Schedule:
    """Every step of the plan: taken (done or skipped, with the day) or still to do (next
    or later, with the day it is due), by the rules above. `events` in the order they
    were recorded."""
    calendar = calendar or WorkCalendar()
    by_position = {s.position: s for s in steps}
    order = [s.position for s in sorted(steps, key=lambda s: s.position)]
    taken: dict[int, ScheduledStep] = {}
    moved: set[int] = set()
    carried_out: dict[int, int] = {}
    last = picked_up_on  # what the next step counts from: the pick-up, the last attempt or skip

    for event in events:
        to_do = [p for p in order if p not in taken]
        if isinstance(event, AttemptEvent):
            match = next((p for p in to_do if by_position[p].kind == event.kind), None)
            if match is not None:
                taken[match] = ScheduledStep(
                    by_position[match], DONE, event.on, attempt_id=event.attempt_id, moved=match in moved
                )
                if event.attempt_id is not None:
                    carried_out[event.attempt_id] = match
            last = max(last, event.on)
            continue
        step = by_position.get(event.position)
        if step is None or step.kind != event.kind or event.position not in to_do:
            continue  # edited away, or taken already
        if event.action == SKIP:
            taken[event.position] = ScheduledStep(step, SKIPPED, event.on, moved=event.position in moved)
            last = max(last, event.on)
        elif event.action == MOVE and event.position != to_do[0]:
            order.remove(event.position)
            order.insert(order.index(to_do[0]), event.position)
            moved.add(event.position)

    done = sorted(taken.values(), key=lambda s: (s.on, order.index(s.step.position)))
    pending: list[ScheduledStep] = []
    term_passed = False
    previous = last
    for position in (p for p in order if p not in taken):
        step = by_position[position]
        counted_from = picked_up_on if step.offset_from == PICKUP else previous
        planned = calendar.next_working_day_from(max(counted_from + timedelta(days=step.offset_days), previous))
        due, pulled = planned, False
        if term is not None and planned > term:
            latest = last_working_day_on_or_before(term, calendar)
            if latest >= previous:
                due, pulled = latest, True
            elif not pending:
                term_passed = True
        pending.append(
            ScheduledStep(
                step,
                LATER if pending else NEXT,
                due,
                pulled_forward=pulled,
                planned_on=planned if pulled else None,
                moved=position in moved,
            )
        )
        previous = due
    return Schedule(tuple(done + pending), term, term_passed, carried_out)


def next_step(
    steps: Sequence[PlanStep],
    *,
    picked_up_on: date,
    events: Iterable[AttemptEvent | StepChangeEvent] = (),
    term: date | None = None,
    calendar: WorkCalendar | None = None,
) -> ScheduledStep | None:
    """The step to take next (kind, due day, part of day, pulled forward or not), None
    when every step was taken."""
    return plan_schedule(steps, picked_up_on=picked_up_on, events=events, term=term, calendar=calendar).next


# --- the default plan ------------------------------------------------------------
#
# Every municipality has one out of the box (migration 0005 and, for a municipality
# added later, on first use). Built from the national figures: Divosa, Landelijke
# monitor vroegsignalering 2023, §6. Written contact alone reaches about 6 % of
# residents, at least one phone attempt 59 %, at least one home visit 46 %; four or
# more attempts reach 37 % against 18 % for one or two. Hence: phone first, twice, at
# different parts of the day; a home visit; a letter; a last call: five attempts in
# the first week, each counted from the one before, so a late step moves the rest.

DEFAULT_PLAN_NAME = "Standaard: bellen, huisbezoek, brief"
DEFAULT_PLAN_DESCRIPTION = (
    "Vijf pogingen in de eerste week: dag 0 bellen ('s ochtends), dag 1 bellen ('s avonds), "
    "dag 2 huisbezoek ('s middags), dag 4 brief, dag 7 nog een keer bellen ('s middags). "
    "Elke stap telt vanaf de vorige: komt een stap later, dan schuiven de volgende mee.\n"
    "Waarom: volgens de Landelijke monitor vroegsignalering 2023 van Divosa (§6) bereikt "
    "alleen schriftelijk contact ongeveer 6 % van de inwoners, minstens één telefoonpoging "
    "59 % en minstens één huisbezoek 46 %; vier of meer pogingen bereiken 37 %, tegen 18 % "
    "bij één of twee pogingen."
)
# (kind, offset in days, counted from, part of day): ContactKind / PartOfDay values.
DEFAULT_PLAN_STEPS = (
    ("Telefoon", 0, PICKUP, "Ochtend"),
    ("Telefoon", 1, PREVIOUS, "Avond"),
    ("Huisbezoek", 1, PREVIOUS, "Middag"),
    ("Brief", 2, PREVIOUS, ""),
    ("Telefoon", 3, PREVIOUS, "Middag"),
)
