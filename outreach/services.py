"""Recording contact attempts (also a letter, card or text that went out), notes and
the Plan van Aanpak on a case."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cases.models import HELP_OUTCOMES, Case, CaseState, Resident
from cases.services import CaseActionRefused, case_lock, case_make_contact
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from .messages import MESSAGES, tidy_text
from .models import ActionPlan, ContactAttempt, Note, part_of_day
from .selectors import message_addressees

APPROACHABLE = [CaseState.OUTREACH, CaseState.CONTACT, CaseState.HELP_ACCEPTED]


def _case_for_change(case_id: int, user) -> Case:
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    return case_lock(case_id, user)


@transaction.atomic
def contact_attempt_record(
    *, case_id: int, user, kind: str, reached: bool, attempted_at: datetime, note: str = ""
) -> ContactAttempt:
    """Record an attempt (the part of day follows from the time). The first attempt
    marks when the resident was approached; reaching them in the outreach stage is
    the step "Contact gelegd"."""
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
    )
    if case.first_attempt_on is None or local.date() < case.first_attempt_on:
        Case.objects.filter(pk=case.pk).update(first_attempt_on=local.date())
    audit_log(action=AuditAction.CREATE, actor=user, obj=attempt, detail={"case": case.pk})
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
