"""Crisis terms: the municipality judges a situation threatening (Wgs art. 4 lid 2).

NVVK module Vroegsignalering: "Zodra de gemeente oordeelt dat het ontvangen
(afsluit)signaal op een 'bedreigende situatie' duidt, en via vroegsignalering is niet
eerder hulp aangeboden, dan moet binnen 3 werkdagen hulp en een eerste gesprek
aangeboden worden", and "Als een inwoner de aangeboden hulp accepteert en er blijkt
sprake van een bedreigende situatie, dan geldt de wettelijke termijn voor een eerste
gesprek van 3 werkdagen".

- A partner's crisissignaal=ja is a proposal (`Case.crisis_proposed_on`, set by
  intake) until the municipality judges: a caseworker (`services.case_mark_threatening`)
  or, when the municipality has `crisis_auto_judgement` on, the first assessment on the
  day it runs (`crisis_proposal_auto_judge`, judged_by None).
- The term runs from the judgement date (3 working days, `deadlines.crisis_due`).
- Help is offered in the first contact, so on a day between the first contact and the
  acceptance of help (state `contact`) a judgement starts no term; before the first
  contact (`new`, `outreach`) and once help was accepted (`help_accepted`) it does.
- Each term is a CrisisTerm row; the case keeps the current one in
  `crisis_judged_on`/`crisis_due` (queue, priority, reminders, `next_due`). A new term
  starts only when none runs on the judgement date.

Functions here work on a case the caller has locked; the services with a user are in
cases/services.py.
"""

from datetime import date

from django.db import transaction

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.workdays import WorkCalendar

from . import deadlines
from .models import Case, CrisisTerm
from .queue_keys import case_queue_refresh

AUTOMATIC_REASON = "Automatisch beoordeeld bij de eerste toets (instelling van de gemeente)."


class NoCrisisTerm(Exception):
    """The judgement starts no term; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def crisis_term_refusal(case: Case, *, judged_on: date, today: date) -> str | None:
    """Why judging the situation threatening on `judged_on` starts no term (in Dutch),
    or None when it starts one."""
    if not case.is_open:
        return "De zaak is gesloten."
    if judged_on > today:
        return "De datum van het oordeel kan niet in de toekomst liggen."
    received = case.crisis_proposed_on or case.first_received_on
    if received is not None and judged_on < received:
        return f"De datum van het oordeel kan niet vóór de ontvangst van het signaal ({received:%d-%m-%Y}) liggen."
    offered = case.first_contact_on
    if (
        offered is not None
        and offered <= judged_on
        and (case.help_accepted_on is None or judged_on < case.help_accepted_on)
    ):
        return (
            f"Er start geen crisistermijn: de inwoner is in het eerste contact ({offered:%d-%m-%Y}) al hulp "
            "aangeboden. De termijn van 3 werkdagen geldt alleen als via vroegsignalering niet eerder hulp is "
            "aangeboden (Wgs art. 4 lid 2). Accepteert de inwoner de hulp en blijkt de situatie dan bedreigend, "
            "dan start het oordeel wel een termijn."
        )
    if case.crisis_due is not None and case.crisis_due >= judged_on:
        return f"Er loopt al een crisistermijn tot en met {case.crisis_due:%d-%m-%Y}."
    return None


def crisis_term_start(
    case: Case, *, judged_on: date, judged_by, reason: str, today: date, calendar: WorkCalendar | None = None
) -> CrisisTerm:
    """Start a 3-working-day term on the locked `case` (judged_by None: automatic).
    Settles the proposal, if any. Raises NoCrisisTerm when no term starts."""
    if why := crisis_term_refusal(case, judged_on=judged_on, today=today):
        raise NoCrisisTerm(why)
    due = deadlines.crisis_due(judged_on, calendar)
    term = CrisisTerm.objects.create(case=case, judged_on=judged_on, due=due, judged_by=judged_by, reason=reason[:300])
    proposed_on = case.crisis_proposed_on
    case.crisis_proposed_on = None
    case.crisis_judged_on, case.crisis_due = judged_on, due
    case.has_crisis = True
    case.refresh_next_due()
    case.save(update_fields=["crisis_proposed_on", "crisis_judged_on", "crisis_due", "has_crisis", "next_due"])
    case_queue_refresh(case=case)
    audit_log(
        action=AuditAction.CREATE,
        actor=judged_by,
        obj=term,
        reason=reason,
        detail={
            "case": case.pk,
            "judged_on": judged_on.isoformat(),
            "due": due.isoformat(),
            "proposed_on": proposed_on.isoformat() if proposed_on else None,
            "automatic": judged_by is None,
        },
    )
    return term


def crisis_proposal_auto_judge(*, case_id: int, today: date) -> CrisisTerm | None:
    """The first assessment of a municipality with `crisis_auto_judgement` on: a
    pending proposal is judged threatening today. When that would start no term (help
    was offered already, a term runs) the proposal stays for the caseworker, whose
    case page says why."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.crisis_proposed_on is None or not case.municipality.crisis_auto_judgement:
            return None
        if crisis_term_refusal(case, judged_on=today, today=today):
            return None
        return crisis_term_start(case, judged_on=today, judged_by=None, reason=AUTOMATIC_REASON, today=today)
