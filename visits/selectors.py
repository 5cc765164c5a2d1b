"""Reads for home-visit rounds: which rounds a user may see, the home visits a round
can be planned with, and what the route sheet shows of each visit."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet

from cases.models import Case, Resident
from cases.selectors import cases_for_user
from outreach.messages import message_signer
from outreach.selectors import home_visits_due, message_addressees
from vroeg.accounts.models import User
from vroeg.accounts.selectors import users_holding
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import scope_to_user_municipalities

from .models import HomeVisitRound, RoundScope, RoundVisit, VisitStatus
from .route import Area, route_order


def rounds_for_user(*, user) -> QuerySet[HomeVisitRound]:
    """The rounds a user may open: a caseworker their own, a team lead every round of
    their municipalities; nobody a round of another municipality."""
    if not user.has_perm("accounts.work_cases"):
        return HomeVisitRound.objects.none()
    rounds = scope_to_user_municipalities(HomeVisitRound.objects.all(), user=user)
    if user.has_perm("accounts.lead_team"):
        return rounds
    return rounds.filter(caseworker=user)


def round_walkers(*, municipality: Municipality | int) -> QuerySet[User]:
    """Who can walk a round in this municipality: its active caseworkers (team leads too)."""
    return users_holding("work_cases", municipalities=municipality).order_by("first_name", "last_name", "pk")


def area_q(area: Area, *, field: str = "household__postcode") -> Q:
    """Cases (or anything with `field`) whose postcode lies in the area; everything when
    the area is empty."""
    q = Q()
    for lo, hi in area.ranges:
        # "ZZ": the highest letters, so the last PC4 of the range is in it whole.
        q |= Q(**{f"{field}__gte": f"{lo:04d}", f"{field}__lte": f"{hi:04d}ZZ"})
    return q


def due_home_visits(
    *, user, municipality: Municipality, day: date, caseworker: User, scope: str, area: Area
) -> QuerySet[Case]:
    """The home visits a round on `day` can hold: the cases whose contact plan's next
    step is a home visit due on that day or before (outreach.selectors.home_visits_due),
    among the cases the user may see, of the scope (assigned to the caseworker who
    walks; or to them or nobody; or the whole team), in the area, and not in another
    round that was not recorded yet. The most urgent first: the earliest due step, then
    the nearest deadline, then the oldest case."""
    cases = home_visits_due(municipality=municipality, on=day) & cases_for_user(user=user)
    if scope == RoundScope.MINE:
        cases = cases.filter(assigned_to=caseworker)
    elif scope == RoundScope.MINE_AND_UNASSIGNED:
        cases = cases.filter(Q(assigned_to=caseworker) | Q(assigned_to__isnull=True))
    in_open_round = RoundVisit.objects.filter(status=VisitStatus.PLANNED).values("case_id")
    return (
        cases.filter(area_q(area))
        .exclude(pk__in=in_open_round)
        .select_related("household", "assigned_to")
        .order_by("next_step_on", F("next_due").asc(nulls_last=True), "pk")
    )


def household_address(case: Case) -> tuple[str, int, str]:
    household = case.household
    return household.postcode, household.house_number, household.house_number_suffix


@dataclass(frozen=True)
class Proposal:
    """The visits Vroeg proposes, in the order of the route, and how many more due
    visits did not fit under the cap."""

    cases: list[Case]
    left_out: int


def round_proposal(
    *, user, municipality: Municipality, day: date, caseworker: User, scope: str, area: Area, cap: int
) -> Proposal:
    """The `cap` most urgent of `due_home_visits`, in the order of the route."""
    due = due_home_visits(user=user, municipality=municipality, day=day, caseworker=caseworker, scope=scope, area=area)
    chosen = list(due[:cap])
    left_out = due.count() - len(chosen) if len(chosen) == cap else 0
    return Proposal(route_order(chosen, household_address), left_out)


@dataclass(frozen=True)
class SheetRow:
    """One line of the route sheet (and of the recording screen)."""

    visit: RoundVisit
    case: Case
    residents: list[Resident]
    signer: User  # whose name and number the card to leave behind carries


def route_sheet(*, round: HomeVisitRound) -> list[SheetRow]:
    """The visits of a round in the order of the route, each with the residents to
    ask for (those of the household with a signal in the case: the ones the card can be
    addressed to) and who signs the card left behind (outreach.messages.message_signer:
    the case's caseworker, else the one who walks)."""
    visits = round.visits.select_related("case__household", "case__municipality", "case__assigned_to", "attempt")
    rows = []
    for visit in visits.order_by("position"):
        case = visit.case
        rows.append(
            SheetRow(
                visit=visit,
                case=case,
                residents=list(message_addressees(case=case)),
                signer=message_signer(case=case, user=round.caseworker),
            )
        )
    return rows
