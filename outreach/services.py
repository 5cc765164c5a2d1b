"""Recording contact attempts (also a letter, card or text that went out), notes and
the Plan van Aanpak on a case; contact plans: the team lead's plans, the next step of
each case (the one writer of Case.next_step_*), skipping and moving steps."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Least, NullIf
from django.utils import timezone

from cases.models import HELP_OUTCOMES, OPEN_STATES, Case, CaseState, Resident, WorkTray
from cases.queue_keys import cases_queue_refresh
from cases.services import CaseActionRefused, case_lock, case_make_contact
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.selectors import municipalities_for_user
from vroeg.outbox import outbox_enqueue
from vroeg.workdays import WorkCalendar

from . import plans
from .messages import MESSAGES, tidy_text
from .models import (
    ActionPlan,
    CallbackRequest,
    CasePlanState,
    ContactAttempt,
    ContactKind,
    ContactPlan,
    ContactPlanStep,
    Note,
    PlanStepChange,
    TrayPlan,
    part_of_day,
)
from .selectors import message_addressees, plan_events, plan_steps, plans_for_cases

APPROACHABLE = [CaseState.OUTREACH, CaseState.CONTACT, CaseState.HELP_ACCEPTED]


def _case_for_change(case_id: int, user) -> Case:
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    return case_lock(case_id, user)


@transaction.atomic
def contact_attempt_record(
    *, case_id: int, user, kind: str, reached: bool, attempted_at: datetime, note: str = "", via_reply: bool = False
) -> ContactAttempt:
    """Record an attempt (the part of day follows from the time). The first attempt
    marks when the resident was approached; reaching them in the outreach stage is
    the step "Contact gelegd". `via_reply`: the resident's answer on the reply page
    (replies), a channel of its own in the Bereik report. A phone attempt fulfils the
    open call-back requests made before it."""
    case = _case_for_change(case_id, user)
    if case.state not in APPROACHABLE:
        raise CaseActionRefused("Pak de zaak eerst op; daarna kunt u contactpogingen vastleggen.")
    if attempted_at > timezone.now():
        raise CaseActionRefused("Een contactpoging kan niet in de toekomst liggen.")
    local = timezone.localtime(attempted_at)
    if case.first_received_on and local.date() < case.first_received_on:
        raise CaseActionRefused(
            "Een contactpoging kan niet liggen vóór de ontvangst van het eerste signaal "
            f"({case.first_received_on:%d-%m-%Y})."
        )
    attempt = ContactAttempt.objects.create(
        case=case,
        kind=kind,
        reached=reached,
        attempted_at=attempted_at,
        part_of_day=part_of_day(local.hour),
        note=note,
        recorded_by=user,
        via_reply=via_reply,
    )
    fulfilled = 0
    if kind == ContactKind.PHONE:
        fulfilled = CallbackRequest.objects.filter(
            case=case, fulfilled_at__isnull=True, requested_at__lte=attempted_at
        ).update(fulfilled_at=timezone.now(), fulfilled_by=attempt)
    if case.first_attempt_on is None or local.date() < case.first_attempt_on:
        Case.objects.filter(pk=case.pk).update(first_attempt_on=local.date())
    # An approach meets the terms to approach, a reached attempt a crisis term's wait.
    cases_queue_refresh(case_ids=[case.pk])
    # The plan advances (outreach/plans.py): the attempt carries out the first step still
    # to do of its kind, if any, and the next step counts from it.
    detail = {"case": case.pk}
    if case.state == CaseState.OUTREACH or fulfilled:
        refreshed = case_plan_refresh(case_id=case.pk)
        if refreshed and (position := refreshed.schedule.carried_out.get(attempt.pk)):
            attempt.plan, attempt.plan_position = refreshed.plan, position
            attempt.save(update_fields=["plan", "plan_position"])
            detail.update(contact_plan=refreshed.plan.pk, plan_step=position)
    audit_log(action=AuditAction.CREATE, actor=user, obj=attempt, detail=detail)
    if reached and case.state == CaseState.OUTREACH:
        case_make_contact(case_id=case.pk, user=user, expected_state=CaseState.OUTREACH, on=local.date())
    return attempt


@transaction.atomic
def message_sent_record(
    *,
    case_id: int,
    user,
    kind: str,
    resident: Resident,
    text: str,
    visit_on: date | None = None,
    visit_part: str = "",
) -> ContactAttempt:
    """A letter, card or text went out: a contact attempt of its kind (not reached),
    whose note says to whom and keeps the text as it was sent, adjusted or not."""
    message = MESSAGES[kind]
    text = tidy_text(text)
    if not text:
        raise CaseActionRefused("Een bericht zonder tekst kan niet worden vastgelegd.")
    case = _case_for_change(case_id, user)
    if not message_addressees(case=case).filter(pk=resident.pk).exists():
        raise CaseActionRefused("Een bericht gaat alleen naar een bewoner met een signaal in deze zaak.")
    heading = f"{message.title} verstuurd aan {resident}"
    if visit_on:
        heading += f" (huisbezoek {visit_on:%d-%m-%Y}, {visit_part.lower()})"
    return contact_attempt_record(
        case_id=case_id,
        user=user,
        kind=message.contact_kind,
        reached=False,
        attempted_at=timezone.now(),
        note=f"{heading}:\n\n{text}",
    )


@transaction.atomic
def note_add(*, case_id: int, user, text: str) -> Note:
    """Append a note; notes are never changed or deleted (a correction is a new note)."""
    if not text.strip():
        raise CaseActionRefused("Een notitie mag niet leeg zijn.")
    case = _case_for_change(case_id, user)
    note = Note.objects.create(case=case, text=text.strip(), author=user)
    audit_log(action=AuditAction.CREATE, actor=user, obj=note, detail={"case": case.pk})
    return note


PLAN_STATES = [CaseState.HELP_ACCEPTED]


@transaction.atomic
def action_plan_save(*, case_id: int, user, data: dict) -> ActionPlan:
    """Write a new version of the Plan van Aanpak (help must have been accepted). A
    version may record when and how the resident got their copy (of that version)."""
    case = _case_for_change(case_id, user)
    if case.state not in PLAN_STATES:
        raise CaseActionRefused("Een Plan van Aanpak hoort bij een zaak waarin de hulp is geaccepteerd.")
    copy_on = data.get("copy_given_on")
    if bool(copy_on) != bool(data.get("copy_how")):
        raise CaseActionRefused("Vul bij het exemplaar voor de inwoner zowel de datum als de manier in.")
    if copy_on and copy_on > timezone.localdate():
        raise CaseActionRefused("De datum waarop de inwoner het exemplaar kreeg, kan niet in de toekomst liggen.")
    if copy_on and case.help_accepted_on and copy_on < case.help_accepted_on:
        raise CaseActionRefused(
            "De inwoner kan geen exemplaar hebben gekregen vóór de hulp werd geaccepteerd "
            f"({case.help_accepted_on:%d-%m-%Y})."
        )
    latest = case.action_plans.order_by("-version").values_list("version", flat=True).first() or 0
    plan = ActionPlan.objects.create(case=case, version=latest + 1, created_by=user, **data)
    detail = {"case": case.pk, "version": plan.version}
    if copy_on:
        detail.update(copy_given_on=copy_on.isoformat(), copy_how=plan.copy_how)
    audit_log(action=AuditAction.CREATE, actor=user, obj=plan, detail=detail)
    return plan


def action_plan_close_check(*, case: Case, outcome: str) -> str | None:
    """cases.hooks close check: a case in which help was accepted closes with a result
    of help only with a Plan van Aanpak whose latest version the resident got a copy of
    (NVVK module: "De inwoner en de hulpverlener krijgen beiden een exemplaar"). Other
    results (e.g. no reaction after earlier contact) need no plan."""
    if case.state != CaseState.HELP_ACCEPTED or outcome not in HELP_OUTCOMES:
        return None
    latest = case.action_plans.order_by("-version").only("version", "copy_given_on").first()
    if latest is None:
        return (
            f"Sluiten met “{outcome}” kan pas als er een Plan van Aanpak is en de inwoner "
            "een exemplaar heeft gekregen. Schrijf eerst het Plan van Aanpak."
        )
    if latest.copy_given_on is None:
        return (
            f"Sluiten met “{outcome}” kan pas als de inwoner een exemplaar van het Plan van Aanpak "
            f"(versie {latest.version}) heeft gekregen. Leg bij het plan vast wanneer en hoe."
        )
    return None


# --- contact plans ----------------------------------------------------------------
#
# Case.next_step_* (and CasePlanState) are written here and nowhere else: on pick-up and
# every other change of state (cases.hooks.state_changed), an attempt recorded, a step
# skipped or moved, a plan saved or deleted, a work tray saved or deleted
# (cases.hooks.tray_changed), and by the hourly sweep (`cases_plan_sweep`).

# Cases refreshed at once in the request that changed their plan or tray; more go to
# the worker in chunks of this many (outreach.refresh_case_plans).
REFRESH_CHUNK = 200
NEXT_STEP_FIELDS = ["next_step_on", "next_step_kind", "next_step_part_of_day", "next_step_pulled_forward"]


@dataclass(frozen=True)
class PlanRefresh:
    """What the refresh computed for a case that seeks contact."""

    plan: ContactPlan
    schedule: plans.Schedule


def default_plan_for(*, municipality_id: int) -> ContactPlan:
    """The municipality's default plan; created from plans.DEFAULT_PLAN_* when it has
    none yet (a municipality added after migration 0005)."""
    plan = ContactPlan.objects.filter(municipality_id=municipality_id, is_default=True).first()
    if plan is not None:
        return plan
    name = plans.DEFAULT_PLAN_NAME
    if ContactPlan.objects.filter(municipality_id=municipality_id, name=name).exists():
        name = f"{name} (standaard)"
    try:
        with transaction.atomic():
            plan = ContactPlan.objects.create(
                municipality_id=municipality_id, name=name, description=plans.DEFAULT_PLAN_DESCRIPTION, is_default=True
            )
            ContactPlanStep.objects.bulk_create(
                ContactPlanStep(
                    plan=plan, position=i, kind=kind, offset_days=days, offset_from=anchor, part_of_day=part
                )
                for i, (kind, days, anchor, part) in enumerate(plans.DEFAULT_PLAN_STEPS, start=1)
            )
    except IntegrityError:  # made at the same moment by another request
        plan = ContactPlan.objects.get(municipality_id=municipality_id, is_default=True)
    return plan


def _seeks_contact(case: Case) -> bool:
    return case.state == CaseState.OUTREACH and case.picked_up_on is not None


def _open_callbacks(case_ids: list[int]) -> dict[int, CallbackRequest]:
    """The open call-back request of each case that has one: the earliest."""
    first: dict[int, CallbackRequest] = {}
    for request in CallbackRequest.objects.filter(case_id__in=case_ids, fulfilled_at__isnull=True).order_by(
        "requested_at", "pk"
    ):
        first.setdefault(request.case_id, request)
    return first


@transaction.atomic
def cases_plan_refresh(*, case_ids: Iterable[int], today: date | None = None) -> dict[int, PlanRefresh]:
    """Compute again which plan each case follows and its next step, and store them
    (Case.next_step_*, CasePlanState); a case that does not seek contact (any state
    but outreach) is cleared. An open call-back request (`callback_request_record`) is
    the next step of a case in any open state, before the plan (plans.callback_due).
    Locks the cases; safe to run twice. Returns what it computed per case that seeks
    contact."""
    today = today or timezone.localdate()
    cases = list(Case.objects.select_for_update().filter(pk__in=list(case_ids)).order_by("pk"))
    seeking = [c for c in cases if _seeks_contact(c)]
    others = [c.pk for c in cases if not _seeks_contact(c)]
    if others:
        CasePlanState.objects.filter(case_id__in=others).delete()
    callbacks = _open_callbacks([c.pk for c in cases if c.state in OPEN_STATES])
    calendar = WorkCalendar()
    computed: dict[int, PlanRefresh] = {}
    if seeking:
        defaults = {m: default_plan_for(municipality_id=m) for m in sorted({c.municipality_id for c in seeking})}
        plan_of = plans_for_cases(seeking, today=today, defaults=defaults)
        steps = plan_steps(plan_ids={p.pk for p in plan_of.values()})
        events = plan_events(plan_of={pk: p.pk for pk, p in plan_of.items()})
        for case in seeking:
            plan = plan_of[case.pk]
            schedule = plans.plan_schedule(
                steps[plan.pk],
                picked_up_on=case.picked_up_on,
                events=events[case.pk],
                term=plans.approach_term(case),
                calendar=calendar,
            )
            computed[case.pk] = PlanRefresh(plan, schedule)
    changed = []
    for case in cases:
        values: tuple = (None, "", "", False)
        if (request := callbacks.get(case.pk)) is not None:
            due = plans.callback_due(
                timezone.localtime(request.requested_at), term=plans.approach_term(case), calendar=calendar
            )
            values = (due.on, ContactKind.PHONE.value, request.part_of_day, due.pulled_forward)
        elif case.pk in computed and (step := computed[case.pk].schedule.next):
            values = (step.on, step.step.kind, step.step.part_of_day, bool(step.pulled_forward))
        if values != tuple(getattr(case, f) for f in NEXT_STEP_FIELDS):
            for name, value in zip(NEXT_STEP_FIELDS, values, strict=True):
                setattr(case, name, value)
            changed.append(case)
    if changed:
        Case.objects.bulk_update(changed, NEXT_STEP_FIELDS)
    if not computed:
        return {}
    CasePlanState.objects.bulk_create(
        [
            CasePlanState(
                case_id=pk,
                plan=r.plan,
                next_position=r.schedule.next.step.position if r.schedule.next else None,
                term_on=r.schedule.term,
                refreshed_at=timezone.now(),
            )
            for pk, r in computed.items()
        ],
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["plan", "next_position", "term_on", "refreshed_at"],
    )
    return computed


def case_plan_refresh(*, case_id: int) -> PlanRefresh | None:
    """`cases_plan_refresh` of one case: its plan and schedule, None when it seeks no contact."""
    return cases_plan_refresh(case_ids=[case_id]).get(case_id)


def cases_plan_refresh_soon(*, case_ids: Iterable[int]) -> None:
    """Refresh these cases: a few at once, in this transaction; more by the worker, in
    chunks (outreach.refresh_case_plans, queued through the outbox when this transaction
    commits)."""
    ids = sorted(set(case_ids))
    if len(ids) <= REFRESH_CHUNK:
        cases_plan_refresh(case_ids=ids)
        return
    for start in range(0, len(ids), REFRESH_CHUNK):
        outbox_enqueue(task="outreach.refresh_case_plans", case_ids=ids[start : start + REFRESH_CHUNK])


def plan_on_state_changed(*, case: Case, before: str) -> None:
    """cases.hooks.state_changed: picked up, reached, closed or reopened: the next step
    follows (it is kept only while the case seeks contact). The caller's instance gets
    the stored values, so a later save of it keeps them."""
    cases_plan_refresh(case_ids=[case.pk])
    stored = Case.objects.filter(pk=case.pk).values(*NEXT_STEP_FIELDS).get()
    for name, value in stored.items():
        setattr(case, name, value)


def _cases_of_municipality_seeking_contact(municipality_id: int) -> list[int]:
    return list(
        Case.objects.filter(
            municipality_id=municipality_id, state=CaseState.OUTREACH, closed_at__isnull=True
        ).values_list("pk", flat=True)
    )


def plan_on_tray_changed(*, tray_id: int, municipality_id: int) -> None:
    """cases.hooks.tray_changed: a tray's filters decide which cases follow its plan;
    every case of its municipality that seeks contact (and any that followed its plan
    elsewhere) is refreshed."""
    ids = set(_cases_of_municipality_seeking_contact(municipality_id))
    link = TrayPlan.objects.filter(tray_id=tray_id).first()
    if link is not None:
        ids |= set(CasePlanState.objects.filter(plan_id=link.plan_id).values_list("case_id", flat=True))
    cases_plan_refresh_soon(case_ids=ids)


def cases_plan_sweep(*, limit: int = 2000) -> int:
    """Put right what no step refreshed (the hourly reminder job runs it first): cases
    that seek contact without a computed plan (picked up before contact plans existed),
    cases with a next step that seek contact no longer, and cases whose term to approach
    the resident moved since (an earlier signal, a closure day). Returns how many it
    refreshed."""
    far = Value(date(9999, 12, 31))
    term = NullIf(Least(*(Coalesce(t.due_field, far, output_field=DateField()) for t in plans.APPROACH_TERMS)), far)
    seeking = Case.objects.filter(state=CaseState.OUTREACH, picked_up_on__isnull=False)
    stored = "contact_plan_state__term_on"
    stale = [
        seeking.filter(contact_plan_state__isnull=True),
        Case.objects.filter(next_step_on__isnull=False)
        .exclude(state=CaseState.OUTREACH)
        .exclude(
            Exists(CallbackRequest.objects.filter(case=OuterRef("pk"), fulfilled_at__isnull=True)),
            state__in=OPEN_STATES,
        ),
        seeking.annotate(term=term).filter(
            Q(**{f"{stored}__isnull": True}, term__isnull=False)
            | Q(**{f"{stored}__isnull": False}, term__isnull=True)
            | ~Q(**{stored: F("term")})
        ),
    ]
    ids: list[int] = []
    for queryset in stale:
        ids += queryset.exclude(pk__in=ids).order_by("pk").values_list("pk", flat=True)[: max(0, limit - len(ids))]
    for start in range(0, len(ids), REFRESH_CHUNK):
        cases_plan_refresh(case_ids=ids[start : start + REFRESH_CHUNK])
    return len(ids)


@transaction.atomic
def callback_request_record(*, case_id: int, part_of_day: str, requested_at: datetime) -> CallbackRequest:
    """The resident asked to be called back (the reply page's "bel mij", at a part of
    the day or any): an open request, the case's next step until a phone attempt made
    after it fulfils it (cases_plan_refresh, plans.callback_due). Refused (Dutch) for
    a closed case."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case_id)
    if case.state not in OPEN_STATES:
        raise CaseActionRefused("Een terugbelverzoek hoort bij een open zaak.")
    request = CallbackRequest.objects.create(case=case, part_of_day=part_of_day, requested_at=requested_at)
    audit_log(
        action=AuditAction.CREATE,
        obj=request,
        municipality=case.municipality_id,
        detail={"case": case.pk, "part_of_day": part_of_day},
    )
    cases_plan_refresh(case_ids=[case.pk])
    return request


# --- skipping and moving a step ---------------------------------------------------


def _plan_step_change(*, case_id: int, user, position: int, action: str, reason: str) -> PlanStepChange:
    reason = " ".join(reason.split())
    if not reason:
        raise CaseActionRefused(
            "Geef een reden op om deze stap over te slaan."
            if action == plans.SKIP
            else "Geef een reden op om deze stap naar voren te halen."
        )
    case = _case_for_change(case_id, user)
    if not _seeks_contact(case):
        raise CaseActionRefused("Het contactplan loopt alleen zolang de zaak is opgepakt en er nog geen contact is.")
    current = case_plan_refresh(case_id=case.pk)
    scheduled = next(
        (s for s in current.schedule.steps if s.step.position == position and s.status in (plans.NEXT, plans.LATER)),
        None,
    )
    if scheduled is None:
        raise CaseActionRefused("Deze stap is al gezet of overgeslagen. Bekijk het contactplan opnieuw.")
    if action == plans.MOVE and scheduled.status == plans.NEXT:
        raise CaseActionRefused("Deze stap is al de volgende stap.")
    change = PlanStepChange.objects.create(
        case=case,
        plan=current.plan,
        position=position,
        kind=scheduled.step.kind,
        action=action,
        reason=reason[:300],
        on=timezone.localdate(),
        by=user,
    )
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=case,
        reason=change.reason,
        detail={
            "plan_step_skipped" if action == plans.SKIP else "plan_step_moved": True,
            "contact_plan": current.plan.pk,
            "plan_step": position,
            "kind": scheduled.step.kind,
        },
    )
    case_plan_refresh(case_id=case.pk)
    return change


@transaction.atomic
def plan_step_skip(*, case_id: int, user, position: int, reason: str) -> PlanStepChange:
    """The caseworker skips a step still to do of the case's plan (a reason is required;
    on the timeline and in the audit trail). It counts as taken on this day."""
    return _plan_step_change(case_id=case_id, user=user, position=position, action=plans.SKIP, reason=reason)


@transaction.atomic
def plan_step_move(*, case_id: int, user, position: int, reason: str) -> PlanStepChange:
    """The caseworker moves a later step of the case's plan forward: it becomes the next
    step (a reason is required; on the timeline and in the audit trail)."""
    return _plan_step_change(case_id=case_id, user=user, position=position, action=plans.MOVE, reason=reason)


# --- the team lead's plans ----------------------------------------------------------


def _require_lead(user) -> None:
    if not user.has_perm("accounts.lead_team"):
        raise PermissionDenied


@transaction.atomic
def contact_plan_save(
    *, user, data: dict, steps: list[dict], trays: Iterable[WorkTray], plan_id: int | None = None
) -> ContactPlan:
    """Create or change a contact plan (team leads, in their own municipalities): its
    name and description, its steps in order (each: kind, offset_days, offset_from,
    part_of_day) and the work trays it is the plan of (a tray has one plan: attaching
    it here takes it from another). The open cases it may change are refreshed."""
    _require_lead(user)
    mine = municipalities_for_user(user=user)
    if not steps:
        raise CaseActionRefused("Een contactplan heeft minstens één stap.")
    if plan_id is None:
        municipality = data["municipality"]
        if not mine.filter(pk=municipality.pk).exists():
            raise PermissionDenied
        plan = ContactPlan(municipality=municipality, created_by=user)
    else:
        plan = ContactPlan.objects.select_for_update().get(pk=plan_id, municipality__in=mine)
    trays = list(trays)
    if any(t.municipality_id != plan.municipality_id for t in trays):
        raise CaseActionRefused("Een contactplan geldt alleen voor werkbakjes van zijn eigen gemeente.")
    if ContactPlan.objects.filter(municipality_id=plan.municipality_id, name=data["name"]).exclude(pk=plan.pk).exists():
        raise CaseActionRefused("Er is al een contactplan met deze naam in deze gemeente.")
    plan.name = data["name"]
    plan.description = data.get("description", "")
    plan.save()
    before_trays = set(plan.tray_links.values_list("tray_id", flat=True)) if plan_id else set()
    plan.steps.all().delete()
    ContactPlanStep.objects.bulk_create(
        ContactPlanStep(
            plan=plan,
            position=i,
            kind=s["kind"],
            offset_days=s["offset_days"],
            offset_from=s["offset_from"],
            part_of_day=s.get("part_of_day", ""),
        )
        for i, s in enumerate(steps, start=1)
    )
    tray_ids = {t.pk for t in trays}
    # Trays attached here leave their former plan; their former plan's cases change too.
    taken_from = set(TrayPlan.objects.filter(tray_id__in=tray_ids).exclude(plan=plan).values_list("plan_id", flat=True))
    TrayPlan.objects.filter(plan=plan).exclude(tray_id__in=tray_ids).delete()
    for tray_id in tray_ids:
        TrayPlan.objects.update_or_create(tray_id=tray_id, defaults={"plan": plan})
    audit_log(
        action=AuditAction.CHANGE if plan_id else AuditAction.CREATE,
        actor=user,
        obj=plan,
        detail={"steps": len(steps), "trays": sorted(tray_ids)},
    )
    ids = set(CasePlanState.objects.filter(plan_id__in={plan.pk, *taken_from}).values_list("case_id", flat=True))
    if tray_ids != before_trays:
        ids |= set(_cases_of_municipality_seeking_contact(plan.municipality_id))
    cases_plan_refresh_soon(case_ids=ids)
    return plan


@transaction.atomic
def contact_plan_delete(*, user, plan_id: int) -> None:
    """Delete a plan nobody has worked by yet (attempts and skipped or moved steps keep
    theirs, for the figures); never the default plan. Its cases and trays fall back to
    the next plan that applies."""
    _require_lead(user)
    plan = ContactPlan.objects.select_for_update().get(pk=plan_id, municipality__in=municipalities_for_user(user=user))
    if plan.is_default:
        raise CaseActionRefused("Het standaardplan van de gemeente kan niet worden verwijderd; wel aangepast.")
    if plan.attempts.exists() or PlanStepChange.objects.filter(plan=plan).exists():
        raise CaseActionRefused(
            "Met dit contactplan is al gewerkt; het blijft bewaard voor de cijfers. "
            "Haal het plan van zijn werkbakjes af als het niet meer moet gelden."
        )
    ids = list(CasePlanState.objects.filter(plan=plan).values_list("case_id", flat=True))
    audit_log(action=AuditAction.CHANGE, actor=user, obj=plan, detail={"deleted": plan.name})
    plan.delete()
    cases_plan_refresh_soon(case_ids=ids)
