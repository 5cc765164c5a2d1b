"""State changes of a case. Each locks the row, checks who may do it and whether the
case is still as the user saw it, runs the django-fsm transition (logged by
django-fsm-log with who and why) and writes the audit log, in one transaction."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from signals.models import Signal, SignalStatus
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.municipalities.selectors import municipalities_for_user

from . import deadlines
from .assessment import BRP_SUGGESTIONS
from .brp import BrpResult
from .crisis import NoCrisisTerm, crisis_term_start
from .hooks import case_closed, close_refusals, help_accepted, state_changed, tray_changed
from .models import (
    OUTCOMES_BY_STATE,
    OUTCOMES_THAT_ARE_SIGNAL_STATUSES,
    Case,
    CaseState,
    CrisisTerm,
    Finding,
    FindingKind,
    OutcomeNotAllowed,
    WorkTray,
)
from .queue_keys import case_queue_refresh


class CaseActionRefused(Exception):
    """A state change that cannot be done; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


CHANGED = "De zaak is intussen gewijzigd door iemand anders. Bekijk de zaak opnieuw."


def case_lock(case_id: int, user, expected_state: str | None = None) -> Case:
    """The case, locked for this transaction, if the user's municipalities include it
    (else PermissionDenied) and it is still in the state the user saw."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if not municipalities_for_user(user=user).filter(pk=case.municipality_id).exists():
        raise PermissionDenied
    if expected_state is not None and case.state != expected_state:
        raise CaseActionRefused(CHANGED)
    return case


def _run(case: Case, name: str, user, reason: str, **kwargs):
    method = getattr(case, name)
    if not can_proceed(method):
        raise CaseActionRefused(f"Deze stap kan niet bij een zaak met status '{case.get_state_display()}'.")
    if not has_transition_perm(method, user):
        raise CaseActionRefused("U mag deze stap in deze zaak niet zetten.")
    before = case.state
    result = method(by=user, description=reason or None, **kwargs)
    case.save()
    audit_log(
        action=AuditAction.TRANSITION,
        actor=user,
        obj=case,
        reason=reason,
        detail={"transition": name, "from": before, "to": case.state},
    )
    state_changed(case=case, before=before)
    case_queue_refresh(case=case)
    return result


@transaction.atomic
def case_pick_up(*, case_id: int, user, expected_state: str | None = CaseState.NEW, on: date | None = None) -> Case:
    case = case_lock(case_id, user, expected_state)
    _run(case, "pick_up", user, "", on=on or timezone.localdate())
    Signal.objects.filter(case=case).update(status=SignalStatus.PICKED_UP)
    return case


@transaction.atomic
def case_make_contact(
    *, case_id: int, user, expected_state: str | None = CaseState.OUTREACH, on: date | None = None
) -> Case:
    case = case_lock(case_id, user, expected_state)
    _run(case, "make_contact", user, "", on=on or timezone.localdate())
    return case


@transaction.atomic
def case_accept_help(
    *, case_id: int, user, expected_state: str | None = CaseState.CONTACT, on: date | None = None
) -> Case:
    case = case_lock(case_id, user, expected_state)
    _run(case, "accept_help", user, "", on=on or timezone.localdate())
    help_accepted(case=case, accepted_on=case.help_accepted_on)
    return case


@transaction.atomic
def case_close(*, case_id: int, user, outcome: str, reason: str = "", expected_state: str | None = None) -> Case:
    """Close with one DDAS end result; every signal gets the matching DDAS status.
    What the apps above cases require first (cases.hooks close checks, e.g. a Plan
    van Aanpak with the resident's copy) is refused with their reason."""
    case = case_lock(case_id, user, expected_state)
    allowed = has_transition_perm(case.close, user) and outcome in OUTCOMES_BY_STATE.get(case.state, [])
    if allowed and (refusals := close_refusals(case=case, outcome=outcome)):
        raise CaseActionRefused(" ".join(refusals))
    try:
        _run(case, "close", user, reason, outcome=outcome, at=timezone.now())
    except OutcomeNotAllowed:
        raise CaseActionRefused(
            f"Het eindresultaat '{outcome}' past niet bij een zaak met status '{case.get_state_display()}'."
        ) from None
    # Whether each term was met, by the one definition the reports use (deadlines.py).
    case.contact_due_met = deadlines.LEGAL_TERM.met(case)
    case.lcv_target_met = deadlines.LCV_TARGET.met(case)
    case.crisis_due_met = deadlines.current_crisis_met(case)
    case.save(update_fields=["contact_due_met", "lcv_target_met", "crisis_due_met"])
    if outcome not in OUTCOMES_THAT_ARE_SIGNAL_STATUSES and case.picked_up_on is None:
        # Every other end result means the signals were picked up (DDAS datum_opgepakt),
        # also "Verwijzing zonder tussenkomst inwoner" straight from 'new': on the closing day.
        case.picked_up_on = timezone.localdate(case.closed_at)
        case.save(update_fields=["picked_up_on"])
    status = outcome if outcome in OUTCOMES_THAT_ARE_SIGNAL_STATUSES else SignalStatus.PICKED_UP
    Signal.objects.filter(case=case).update(status=status)
    case_closed(case=case, outcome=outcome)
    return case


@transaction.atomic
def case_reopen(*, case_id: int, user, reason: str) -> Case:
    """A team lead reopens a wrongly closed case, with a reason."""
    if not reason.strip():
        raise CaseActionRefused("Geef een reden op om de zaak te heropenen.")
    case = case_lock(case_id, user, CaseState.CLOSED)
    try:
        with transaction.atomic():
            _run(case, "reopen", user, reason)
    except IntegrityError:
        raise CaseActionRefused(
            "Dit huishouden heeft intussen een nieuwe open zaak; heropenen kan niet. Werk verder in die zaak."
        ) from None
    status = SignalStatus.PICKED_UP if case.picked_up_on else SignalStatus.NOT_PICKED_UP_YET
    Signal.objects.filter(case=case).update(status=status)
    return case


@transaction.atomic
def case_mark_threatening(*, case_id: int, user, on: date | None = None, reason: str = "") -> Case:
    """The caseworker judges the situation threatening (Wgs art. 4 lid 2), confirming a
    partner's crisis signal or on their own finding: a term of 3 working days for help
    and a first conversation starts on the judgement date (`on`, default today; not in
    the future, not before the signal was received), unless help was offered before or
    a term runs (refused with the reason: cases/crisis.py)."""
    case = case_lock(case_id, user, None)
    if not user.has_perm("accounts.work_cases") or not case.is_open:
        raise CaseActionRefused("U mag deze stap in deze zaak niet zetten.")
    today = timezone.localdate()
    try:
        crisis_term_start(case, judged_on=on or today, judged_by=user, reason=reason, today=today)
    except NoCrisisTerm as no_term:
        raise CaseActionRefused(no_term.message) from None
    return case


@transaction.atomic
def crisis_proposal_dismiss(*, case_id: int, user, reason: str) -> Case:
    """The caseworker judges a partner's crisis signal NOT threatening: the proposal is
    settled without a term, with a reason."""
    if not reason.strip():
        raise CaseActionRefused("Geef een reden op waarom de situatie niet bedreigend is.")
    case = case_lock(case_id, user, None)
    if not user.has_perm("accounts.work_cases") or not case.is_open:
        raise CaseActionRefused("U mag deze stap in deze zaak niet zetten.")
    if case.crisis_proposed_on is None:
        raise CaseActionRefused("Er is geen crisissignaal (meer) om te beoordelen.")
    proposed_on = case.crisis_proposed_on
    case.crisis_proposed_on = None
    case.save(update_fields=["crisis_proposed_on"])
    case_queue_refresh(case=case)
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=case,
        reason=reason.strip(),
        detail={"crisis_proposal_dismissed": proposed_on.isoformat()},
    )
    return case


@transaction.atomic
def crisis_term_withdraw(*, case_id: int, term_id: int, user, reason: str) -> CrisisTerm:
    """Withdraw a wrong judgement 'threatening', with a reason. The CrisisTerm row stays
    (withdrawn, not counted in reports); when it is the case's current term the case's
    crisis fields are cleared and its next deadline recomputed."""
    if not reason.strip():
        raise CaseActionRefused("Geef een reden op om het oordeel 'bedreigende situatie' in te trekken.")
    case = case_lock(case_id, user, None)
    if not user.has_perm("accounts.work_cases") or not case.is_open:
        raise CaseActionRefused("U mag deze stap in deze zaak niet zetten.")
    term = CrisisTerm.objects.select_for_update().filter(case=case, pk=term_id).first()
    if term is None:
        raise CaseActionRefused("Deze crisistermijn hoort niet bij deze zaak.")
    if term.withdrawn_at is not None:
        raise CaseActionRefused("Dit oordeel is al ingetrokken.")
    term.withdrawn_at = timezone.now()
    term.withdrawn_by = user
    term.withdraw_reason = reason.strip()[:300]
    term.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    current = (case.crisis_judged_on, case.crisis_due) == (term.judged_on, term.due)
    if current:
        case.crisis_judged_on = case.crisis_due = None
        case.refresh_next_due()
        case.save(update_fields=["crisis_judged_on", "crisis_due", "next_due"])
    case_queue_refresh(case=case)
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=term,
        reason=term.withdraw_reason,
        detail={"case": case.pk, "withdrawn": True, "was_current": current},
    )
    return term


@transaction.atomic
def finding_confirm(*, finding_id: int, user) -> Case:
    """Apply what a finding suggests, with one click: close the case with that result."""
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    if not finding.suggested_outcome or finding.confirmed_at:
        raise CaseActionRefused("Deze bevinding stelt geen (nieuw) eindresultaat voor.")
    case = case_close(
        case_id=finding.case_id,
        user=user,
        outcome=finding.suggested_outcome,
        reason=f"Eerste toets bevestigd: {finding.summary}",
    )
    finding.confirmed_at = timezone.now()
    finding.confirmed_by = user
    finding.save(update_fields=["confirmed_at", "confirmed_by"])
    return case


@transaction.atomic
def finding_record_brp_check(*, case_id: int, user, result: str, note: str = "") -> Finding:
    """The caseworker checked the BRP by hand (backend `none`, or the BRP was down)."""
    case = case_lock(case_id, user, None)
    if not user.has_perm("accounts.work_cases"):
        raise CaseActionRefused("U mag deze stap in deze zaak niet zetten.")
    label = BrpResult(result).label
    finding = Finding.objects.create(
        case=case,
        kind=FindingKind.BRP,
        result=result,
        summary=f"{label}{'. ' + note if note else ''}"[:300],
        suggested_outcome=BRP_SUGGESTIONS.get(result, ""),
        source=f"handmatig gecontroleerd door {user.get_full_name() or user.get_username()}",
        checked_at=timezone.now(),
        checked_by=user,
    )
    audit_log(action=AuditAction.CREATE, actor=user, obj=finding, detail={"case": case.pk})
    return finding


def _require_lead(user) -> None:
    if not user.has_perm("accounts.lead_team"):
        raise PermissionDenied


@transaction.atomic
def work_tray_save(*, user, data: dict, tray_id: int | None = None) -> WorkTray:
    """Create or change a work tray (team leads, in their own municipalities)."""
    _require_lead(user)
    if not municipalities_for_user(user=user).filter(pk=data["municipality"].pk).exists():
        raise PermissionDenied
    if tray_id is None:
        tray = WorkTray(created_by=user)
    else:
        tray = WorkTray.objects.select_for_update().get(pk=tray_id, municipality__in=municipalities_for_user(user=user))
    for field, value in data.items():
        setattr(tray, field, value)
    tray.save()
    audit_log(action=AuditAction.CHANGE if tray_id else AuditAction.CREATE, actor=user, obj=tray)
    tray_changed(tray_id=tray.pk, municipality_id=tray.municipality_id)
    return tray


@transaction.atomic
def work_tray_delete(*, user, tray_id: int) -> None:
    _require_lead(user)
    tray = WorkTray.objects.get(pk=tray_id, municipality__in=municipalities_for_user(user=user))
    audit_log(action=AuditAction.CHANGE, actor=user, obj=tray, detail={"deleted": tray.name})
    municipality_id = tray.municipality_id
    tray.delete()
    tray_changed(tray_id=tray_id, municipality_id=municipality_id)


@transaction.atomic
def cases_assign(*, user, case_ids: list[int], assignee) -> int:
    """Assign open cases to a caseworker, or to nobody. Team leads assign anyone in the
    case's municipality and unassign any case; a caseworker may only take a case
    themselves, or give back one of their own."""
    if assignee is not None and assignee != user:
        _require_lead(user)
    if assignee is None and not user.has_perm("accounts.lead_team"):
        others = Case.objects.filter(pk__in=case_ids).exclude(assigned_to=user).exclude(assigned_to__isnull=True)
        if others.exists():
            raise CaseActionRefused("Alleen een teamleider haalt de toewijzing van andermans zaak weg.")
    if assignee is not None and not assignee.has_perm("accounts.work_cases"):
        raise CaseActionRefused("Zaken kunnen alleen aan een schuldhulpverlener worden toegewezen.")
    mine = municipalities_for_user(user=user)
    cases = Case.objects.select_for_update().filter(pk__in=case_ids, municipality__in=mine, closed_at__isnull=True)
    if assignee is not None:
        cases = cases.filter(municipality__in=assignee.municipalities.all())
    found = list(cases.values_list("pk", "municipality_id"))
    ids = [pk for pk, _ in found]
    Case.objects.filter(pk__in=ids).update(assigned_to=assignee)
    for case_id, municipality_id in found:
        audit_log(
            action=AuditAction.CHANGE,
            actor=user,
            object_type="cases.case",
            object_id=case_id,
            municipality=municipality_id,
            detail={"assigned_to": assignee.get_username() if assignee else None},
        )
    return len(ids)
