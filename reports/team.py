"""The team lead's dashboard (reads only): per municipality of the lead its open cases
and how their deadlines stand, the workload of each caseworker, and the cases nobody
has been assigned yet. "Te laat" and "binnen 7 dagen" are the queue's own definitions
(cases/selectors.py: late_q, due_soon_q), so the numbers here are what the queue shows.
A fixed number of queries, however many caseworkers and cases."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

from cases.models import Case
from cases.selectors import deadline_shown, due_soon_q, late_q, with_open_due
from vroeg.accounts.models import User
from vroeg.accounts.selectors import users_holding
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import municipalities_for_user

OLDEST_UNASSIGNED_SHOWN = 5


@dataclass
class Workload:
    """Open cases, and of them: late, due within 7 days, with a crisis signal."""

    name: str = ""
    # False for someone who still has open cases here but no longer works cases in the
    # municipality (left it, lost the role, account disabled): reassign them.
    works_here: bool = True
    open: int = 0
    late: int = 0
    due_soon: int = 0
    crisis: int = 0

    def add(self, other: "Workload") -> None:
        self.open += other.open
        self.late += other.late
        self.due_soon += other.due_soon
        self.crisis += other.crisis


@dataclass
class MunicipalityTeam:
    municipality: Municipality
    total: Workload = field(default_factory=Workload)
    unassigned: Workload = field(default_factory=Workload)
    # Everyone who works cases in the municipality (also with none open), and anyone
    # else who still has open cases there, by name.
    caseworkers: list[Workload] = field(default_factory=list)


@dataclass
class TeamOverview:
    municipalities: list[MunicipalityTeam]
    unassigned: int
    # The unassigned open cases that have waited longest (received first), each with
    # its deadline as the queue shows it: [{"case": ..., "deadline": ...}].
    oldest_unassigned: list[dict]


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def team_overview(*, user, today: date) -> TeamOverview:
    municipalities = list(municipalities_for_user(user=user))
    ids = [m.pk for m in municipalities]
    teams = {m.pk: MunicipalityTeam(m) for m in municipalities}
    workers: dict[int, dict[int, Workload]] = {m.pk: {} for m in municipalities}

    # Who works cases in each municipality: listed with no open cases too.
    for m_id, u_id, first, last, username in User.municipalities.through.objects.filter(
        municipality_id__in=ids, user__in=users_holding("work_cases")
    ).values_list("municipality_id", "user_id", "user__first_name", "user__last_name", "user__username"):
        workers[m_id][u_id] = Workload(_name(first, last, username))

    open_cases = Case.objects.filter(closed_at__isnull=True, municipality_id__in=ids)
    per_assignee = (
        open_cases.values(
            "municipality_id",
            "assigned_to_id",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
        .annotate(
            open=Count("pk"),
            late=Count("pk", filter=late_q(today=today)),
            due_soon=Count("pk", filter=due_soon_q(today=today)),
            crisis=Count("pk", filter=Q(has_crisis=True)),
        )
        .order_by()
    )
    for row in per_assignee:
        counts = Workload(open=row["open"], late=row["late"], due_soon=row["due_soon"], crisis=row["crisis"])
        team = teams[row["municipality_id"]]
        team.total.add(counts)
        if row["assigned_to_id"] is None:
            team.unassigned.add(counts)
            continue
        names = (row["assigned_to__first_name"], row["assigned_to__last_name"], row["assigned_to__username"])
        workload = workers[row["municipality_id"]].setdefault(
            row["assigned_to_id"], Workload(_name(*names), works_here=False)
        )
        workload.add(counts)

    for m_id, team in teams.items():
        team.caseworkers = sorted(workers[m_id].values(), key=lambda w: w.name.casefold())

    oldest = with_open_due(
        open_cases.filter(assigned_to__isnull=True)
        .select_related("household", "municipality")
        .order_by(F("first_received_on").asc(nulls_last=True), "pk")
    )[:OLDEST_UNASSIGNED_SHOWN]
    return TeamOverview(
        municipalities=list(teams.values()),
        unassigned=sum(t.unassigned.open for t in teams.values()),
        oldest_unassigned=[{"case": c, "deadline": deadline_shown(c, today=today)} for c in oldest],
    )
