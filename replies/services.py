"""Reply codes issued and revoked, a resident's reply received, and the purge of what
residents typed. A reply lands on the case at once: a notification (the caseworker,
or the team leads while nobody is assigned), a contact attempt of kind Mail, reached
(outreach's service: the case's timeline shows it), and an audit entry."""

from contextlib import suppress

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import OPEN_STATES, Case, Resident
from cases.services import CaseActionRefused, case_lock
from outreach.models import ContactKind
from outreach.services import callback_request_record, contact_attempt_record
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.notifications.services import notification_create

from .codes import code_digest, code_new
from .models import Reply, ReplyChoice, ReplyCode

# The answers in the words of the team (notes, notifications).
ANSWER = {
    ReplyChoice.CALL: "bel mij",
    ReplyChoice.VISIT: "kom langs",
    ReplyChoice.APPOINTMENT: "ik wil een afspraak op het gemeentehuis",
    ReplyChoice.SELF: "ik heb het al geregeld / ik wil geen hulp",
    ReplyChoice.LETTER: "stuur mij een brief",
}


class ReplyRefused(Exception):
    """The code is not (or no longer) valid: revoked, or its case closed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def reply_code_issue(*, case: Case, resident: Resident, user) -> str:
    """A new code for `resident` of `case`, printed on a letter, card or text by
    `user`; returns the code (normalized). Only its digest is kept."""
    code = code_new()
    issued = ReplyCode.objects.create(case=case, resident=resident, digest=code_digest(code), issued_by=user)
    audit_log(
        action=AuditAction.CREATE, actor=user, obj=issued, municipality=case.municipality_id, detail={"case": case.pk}
    )
    return code


@transaction.atomic
def reply_codes_revoke(*, case_id: int, user) -> int:
    """Revoke every valid code of the case (a letter went to the wrong address): they
    open nothing any more; the next letter, card or text prints a new one. How many."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    case = case_lock(case_id, user)
    revoked = ReplyCode.objects.filter(case=case, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    audit_log(action=AuditAction.CHANGE, actor=user, obj=case, detail={"reply_codes_revoked": revoked})
    return revoked


def code_is_valid(code: ReplyCode) -> bool:
    return code.revoked_at is None and code.case.state in OPEN_STATES


def _can_work(user, case: Case) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.has_perm("accounts.work_cases")
        and user.municipalities.filter(pk=case.municipality_id).exists()
    )


def _team_leads(case: Case) -> list:
    users = (
        get_user_model()
        .objects.with_perm("accounts.lead_team", backend="django.contrib.auth.backends.ModelBackend")
        .filter(municipalities=case.municipality_id)
    )
    return list(users.filter(is_active=True).order_by("pk"))


def _note(reply: Reply) -> str:
    lines = [f"Reactie van de inwoner via de antwoordpagina: {ANSWER[reply.choice]}."]
    if reply.phone:
        lines.append(f"Telefoonnummer: {reply.phone}")
    if reply.part_of_day:
        lines.append(f"Dagdeel: {reply.part_of_day.lower()}")
    if reply.note:
        lines.append(f"Toelichting: {reply.note}")
    return "\n".join(lines)


@transaction.atomic
def reply_submit(
    *, code_id: int, choice: str, phone: str = "", part_of_day: str = "", note: str = "", language: str = "nl"
) -> Reply:
    """Store a resident's reply as typed and let the municipality know: a notification
    to the caseworker (the team leads while nobody is assigned), a contact attempt of
    kind Mail, reached, recorded in the name of the caseworker (else of who printed the
    code) when the case seeks or has contact, marked as a reply (its own channel in
    Bereik), and an audit entry. "Bel mij" also records a call-back request: the
    case's next step, at the chosen part of the day, until someone phones. Refused (Dutch) when
    the code was revoked or its case closed meanwhile."""
    code = ReplyCode.objects.select_related("issued_by").get(pk=code_id)
    case = Case.objects.select_for_update(of=("self",)).select_related("assigned_to", "household").get(pk=code.case_id)
    code.case = case
    if not code_is_valid(code):
        raise ReplyRefused("Deze code is niet meer geldig.")
    reply = Reply.objects.create(
        case=case, code=code, choice=choice, phone=phone, part_of_day=part_of_day, note=note, language=language
    )
    audit_log(
        action=AuditAction.CREATE,
        obj=reply,
        municipality=case.municipality_id,
        detail={"case": case.pk, "choice": choice, "language": language},
    )
    worker = case.assigned_to if _can_work(case.assigned_to, case) else None
    recorder = worker or (code.issued_by if _can_work(code.issued_by, case) else None)
    if recorder is not None:
        # A case not (yet) picked up gets no attempt: the reply and the notification stand.
        with suppress(CaseActionRefused, PermissionDenied):
            contact_attempt_record(
                case_id=case.pk,
                user=recorder,
                kind=ContactKind.MAIL,
                reached=True,
                attempted_at=timezone.now(),
                note=_note(reply),
                via_reply=True,
            )
    if choice == ReplyChoice.CALL:
        # The call-back becomes the case's next step (outreach: before the contact plan).
        callback_request_record(case_id=case.pk, part_of_day=part_of_day, requested_at=reply.received_at)
    subject = f"Reactie via de antwoordpagina ({ANSWER[choice]}): {case.household}"
    body = f"De inwoner heeft gereageerd op zaak {case.pk}: {ANSWER[choice]}"
    body += f", {part_of_day.lower()}." if part_of_day else "."
    if choice == ReplyChoice.SELF:
        body += " Dit is een voorstel om de zaak te sluiten met “Inwoner regelt het zelf”; bevestig het op de zaak."
    for user in [worker] if worker else _team_leads(case):
        notification_create(
            user=user, key=f"reply:{reply.pk}", subject=subject, body=body, url=reverse("case-detail", args=[case.pk])
        )
    return reply


def replies_purge(*, case_ids: list[int]) -> None:
    """cases.hooks.case_purging: what residents typed goes with the case's other
    personal data; the answer itself (a fact the reports count) stays."""
    Reply.objects.filter(case_id__in=case_ids).update(phone="", note="")
