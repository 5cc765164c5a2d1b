"""Planning a home-visit round, recording it (the contact attempts, through outreach)
and deleting a round that was not walked."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import CaseState
from cases.services import CaseActionRefused
from outreach.models import ContactKind, PartOfDay, part_of_day
from outreach.services import contact_attempt_record, note_add
from vroeg.accounts.models import User
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.models import Municipality
from vroeg.municipalities.selectors import municipalities_for_user

from .models import OUTCOMES, VISITED, HomeVisitRound, RoundScope, RoundVisit, VisitStatus
from .route import Area, route_order
from .selectors import due_home_visits, household_address, round_walkers, rounds_for_user

MAX_VISITS = 40
# A round can be planned afterwards, to record visits made without one, this far back.
PLAN_DAYS_BACK = 14
# The time an attempt of a part of day is recorded at (outreach.models.part_of_day
# gives the part back); a visit earlier today in the current part: the time it is now.
PART_OF_DAY_HOURS = {PartOfDay.MORNING: 10, PartOfDay.AFTERNOON: 14, PartOfDay.EVENING: 19}


class RoundRefused(Exception):
    """What was asked of a round cannot be done; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RoundAlreadyRecorded(RoundRefused):
    """The round was recorded already (e.g. the form sent twice): nothing was written."""


def _address(case) -> str:
    household = case.household
    suffix = f"-{household.house_number_suffix}" if household.house_number_suffix else ""
    return f"{household.street} {household.house_number}{suffix}"


def _check_planner(user, municipality: Municipality, caseworker: User, scope: str) -> None:
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    if not municipalities_for_user(user=user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    if not user.has_perm("accounts.lead_team") and (caseworker.pk != user.pk or scope == RoundScope.TEAM):
        raise PermissionDenied  # a caseworker plans their own rounds from their own cases
    if not round_walkers(municipality=municipality).filter(pk=caseworker.pk).exists():
        raise RoundRefused(f"{caseworker.get_full_name() or caseworker} werkt niet aan zaken van deze gemeente.")


@transaction.atomic
def round_plan(
    *,
    user,
    municipality: Municipality,
    day: date,
    part: str,
    caseworker: User,
    scope: str,
    area: Area,
    cap: int,
    case_ids: list[int],
) -> HomeVisitRound:
    """Save a round of the chosen home visits (those of the proposal the user kept),
    in the order of the route. Every chosen case must still be a due home visit of
    the round's scope and area that no other open round holds."""
    _check_planner(user, municipality, caseworker, scope)
    if day < timezone.localdate() - timedelta(days=PLAN_DAYS_BACK):
        raise RoundRefused(f"Een ronde kan niet langer dan {PLAN_DAYS_BACK} dagen terug worden gepland.")
    if not 1 <= cap <= MAX_VISITS:
        raise RoundRefused(f"Een ronde heeft 1 tot {MAX_VISITS} huisbezoeken.")
    chosen = set(case_ids)
    if not chosen:
        raise RoundRefused("Kies minstens één huisbezoek voor de ronde.")
    if len(chosen) > cap:
        raise RoundRefused(f"Kies niet meer dan {cap} huisbezoeken: dat is het maximum dat u opgaf.")
    due = due_home_visits(user=user, municipality=municipality, day=day, caseworker=caseworker, scope=scope, area=area)
    cases = list(due.filter(pk__in=chosen))
    if len(cases) != len(chosen):
        raise RoundRefused(
            "Een of meer huisbezoeken zijn intussen gewijzigd: al in een andere ronde, "
            "niet meer aan de beurt of niet meer van deze medewerker. Bekijk het voorstel opnieuw."
        )
    round = HomeVisitRound.objects.create(
        municipality=municipality,
        day=day,
        part_of_day=part,
        caseworker=caseworker,
        scope=scope,
        area=str(area),
        cap=cap,
        planned_by=user,
    )
    ordered = route_order(cases, household_address)
    try:
        with transaction.atomic():
            RoundVisit.objects.bulk_create(
                RoundVisit(round=round, position=i, case=case) for i, case in enumerate(ordered, start=1)
            )
    except IntegrityError:  # another round took one of them at the same moment
        raise RoundRefused(
            "Een of meer huisbezoeken zijn net in een andere ronde gezet. Bekijk het voorstel opnieuw."
        ) from None
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=round,
        detail={
            "date": day.isoformat(),
            "part_of_day": part,
            "caseworker": caseworker.get_username(),
            "area": str(area),
            "cases": [c.pk for c in ordered],
        },
    )
    return round


@dataclass(frozen=True)
class VisitResult:
    """What came of one visit: `status` one of VisitStatus but `planned`; the part of
    day and note count only for a visit made (reached or not)."""

    status: str
    part_of_day: str = ""
    note: str = ""


def visit_time(day: date, part: str, *, now: datetime | None = None) -> datetime:
    """When a visit on `day` in `part` of the day is recorded as made: the part's hour
    (PART_OF_DAY_HOURS); during that part of today, now. Later than now: refused."""
    now = now or timezone.now()
    at = timezone.make_aware(datetime.combine(day, time(PART_OF_DAY_HOURS[part])))
    if at <= now:
        return at
    local = timezone.localtime(now)
    if local.date() == day and part_of_day(local.hour) == part:
        return now
    raise RoundRefused(
        f"Een huisbezoek in de {part.lower()} van {day:%d-%m-%Y} kan nog niet zijn afgelegd. "
        "Leg de ronde vast als de bezoeken zijn gedaan."
    )


def _visit_record(visit: RoundVisit, result: VisitResult, *, day: date, user) -> None:
    """One visit of `round_record` (the caller saves it)."""
    if result.status not in OUTCOMES:
        raise RoundRefused("kies bereikt, niet bereikt of niet bezocht.")
    note = result.note.strip()
    if result.status in VISITED:
        if visit.case.state == CaseState.CLOSED:
            raise RoundRefused("de zaak is intussen gesloten. Kies “niet bezocht” bij dit bezoek.")
        if result.part_of_day not in PART_OF_DAY_HOURS:
            raise RoundRefused("kies het dagdeel van het bezoek.")
        visit.attempt = contact_attempt_record(
            case_id=visit.case_id,
            user=user,
            kind=ContactKind.HOME_VISIT,
            reached=result.status == VisitStatus.REACHED,
            attempted_at=visit_time(day, result.part_of_day),
            note=note,
        )
        visit.part_of_day = result.part_of_day
    elif note:
        note_add(case_id=visit.case_id, user=user, text=f"Huisbezoekronde van {day:%d-%m-%Y}: niet bezocht. {note}")
    visit.status = result.status


@transaction.atomic
def round_record(*, user, round_id: int, results: dict[int, VisitResult]) -> HomeVisitRound:
    """Record every visit of a round at once (by visit id), in one transaction: a visit
    made (reached or not) is a contact attempt of kind home visit on the round's day in
    its part of day, with its note (outreach.services.contact_attempt_record: the case's
    contact plan moves on); a visit not made writes none (a note on it goes on the case).
    The round is then recorded; recording it again writes nothing (RoundAlreadyRecorded).
    Any visit refused refuses the whole round, naming the address."""
    round = rounds_for_user(user=user).select_for_update().filter(pk=round_id).first()
    if round is None:
        raise PermissionDenied
    if round.is_recorded:
        raise RoundAlreadyRecorded("Deze ronde is al vastgelegd. Er is niets opnieuw vastgelegd.")
    if round.day > timezone.localdate():
        raise RoundRefused(f"Deze ronde is op {round.day:%d-%m-%Y}. Leg haar vast als de bezoeken zijn gedaan.")
    visits = list(round.visits.select_related("case__household").order_by("position"))
    if set(results) != {v.pk for v in visits}:
        raise RoundRefused("Geef bij elk huisbezoek van de ronde aan wat ervan kwam.")
    counts = dict.fromkeys(OUTCOMES, 0)
    for visit in visits:
        result = results[visit.pk]
        try:
            _visit_record(visit, result, day=round.day, user=user)
        except (CaseActionRefused, RoundRefused) as refused:
            raise RoundRefused(f"{_address(visit.case)}: {refused.message}") from None
        counts[result.status] += 1
    RoundVisit.objects.bulk_update(visits, ["status", "part_of_day", "attempt"])
    round.recorded_at = timezone.now()
    round.recorded_by = user
    round.save(update_fields=["recorded_at", "recorded_by"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=round,
        detail={"round_recorded": True, **{str(status): n for status, n in counts.items()}},
    )
    return round


@transaction.atomic
def round_delete(*, user, round_id: int) -> None:
    """Delete a round that was not recorded: its visits can be planned again."""
    round = rounds_for_user(user=user).select_for_update().filter(pk=round_id).first()
    if round is None:
        raise PermissionDenied
    if round.is_recorded:
        raise RoundRefused("Een vastgelegde ronde blijft bewaard; verwijderen kan niet.")
    audit_log(action=AuditAction.CHANGE, actor=user, obj=round, detail={"deleted": round.day.isoformat()})
    round.delete()
