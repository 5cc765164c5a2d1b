"""Writes of feedback to partners and of collection pauses.

Called by the services that change a case (cases.services) and by intake, inside
their transactions, so a case never changes without its feedback (or the other way
round). What may be fed back is decided in feedback/rules.py.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services import CaseActionRefused, case_lock
from signals.models import Delivery, Signal, SignalStatus
from signals.selectors import creditor_signals
from vroeg.accounts.selectors import partner_users
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.notifications.services import notification_create

from .models import CollectionPause, Feedback, FeedbackConsent, FeedbackResult
from .rules import feedback_on_close, pause_is_over


def pause_end(accepted_on: date) -> date:
    """The last day of the collection pause (LCV: 30 days after help was accepted).
    Counted like a legal term: day 1 is the day after acceptance, so the pause runs up
    to and including accepted_on + 30 days; partners and caseworkers are told "tot en
    met" / "t/m" this very date."""
    return accepted_on + timedelta(days=settings.COLLECTION_PAUSE_DAYS)


def _give(signals, *, result: str, detail: str = "", pause_ends_on: date | None = None) -> int:
    now = timezone.now()
    made = Feedback.objects.bulk_create(
        [
            Feedback(
                signal_id=signal_id,
                partner_id=partner_id,
                case_id=case_id,
                result=result,
                detail=detail,
                pause_ends_on=pause_ends_on,
                given_at=now,
            )
            for signal_id, partner_id, case_id in signals
        ],
        ignore_conflicts=True,  # told once per signal and result, however often called
    )
    return len(made)


def _split_by_lcv(rows: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(signals of partners that joined the LCV, of those that did not) from rows of
    (pk, partner_id, case_id, partner__lcv_member)."""
    lcv = [(pk, partner_id, case_id) for pk, partner_id, case_id, member in rows if member]
    other = [(pk, partner_id, case_id) for pk, partner_id, case_id, member in rows if not member]
    return lcv, other


def feedback_help_accepted(*, case: Case, accepted_on: date) -> list[CollectionPause]:
    """Help accepted: every partner with a signal in the case hears it at once, per
    signal. Partners that joined the LCV also hear the last day of their collection
    pause (one pause per partner); the others pause nothing (the pause is an LCV
    agreement, not law: NVVK module, note 4)."""
    rows = creditor_signals(Signal.objects.filter(case=case))
    lcv, other = _split_by_lcv(list(rows.values_list("pk", "partner_id", "case_id", "partner__lcv_member")))
    ends_on = pause_end(accepted_on)
    pauses = []
    for partner_id in sorted({partner_id for _, partner_id, _ in lcv}):
        pause, _ = CollectionPause.objects.get_or_create(
            case=case, partner_id=partner_id, starts_on=accepted_on, defaults={"ends_on": ends_on}
        )
        pauses.append(pause)
        _tell_partner_to_pause(pause)
    _give(lcv, result=FeedbackResult.HELP_ACCEPTED, pause_ends_on=ends_on)
    _give(other, result=FeedbackResult.HELP_ACCEPTED)
    return pauses


def _tell_partner_to_pause(pause: CollectionPause) -> None:
    """The partner's users hear at once (bell and e-mail) that collection must pause,
    or, when help was recorded so late that the pause is over already, that it was
    due and until when: never to pause "until" a day that has passed. No reference
    or name in the message: those are on the feedback page."""
    until = f"{pause.ends_on:%d-%m-%Y}"
    if pause_is_over(pause.ends_on, today=timezone.localdate()):
        subject = f"Hulp geaccepteerd: de incassopauze liep tot en met {until}"
        ask = f"De incassopauze die daarbij hoort, liep tot en met {until} en is voorbij."
    else:
        subject = f"Hulp geaccepteerd: pauzeer de incasso tot en met {until}"
        ask = f"Pauzeer de incasso tot en met {until}. "
    for user in partner_users(partner_id=pause.partner_id):
        notification_create(
            user=user,
            key=f"help-accepted:{pause.pk}:{user.pk}",
            subject=subject,
            body=(
                "Een inwoner over wie u een signaal stuurde, heeft hulp van de gemeente geaccepteerd. "
                f"{ask.strip()} "
                "Op de pagina Terugkoppeling ziet u om welke referentie het gaat."
            ),
            url=reverse("partner-feedback"),
        )


def feedback_case_closed(*, case: Case, outcome: str) -> int:
    """The case closed: feed back what the rules allow, for each of its signals."""
    consent = FeedbackConsent.objects.filter(case=case).exists()
    decided = feedback_on_close(outcome, help_was_accepted=case.help_accepted_on is not None, consent=consent)
    if decided is None:
        return 0
    result, detail = decided
    signals = creditor_signals(Signal.objects.filter(case=case)).values_list("pk", "partner_id", "case_id")
    return _give(signals, result=result, detail=detail)


def feedback_for_delivery(*, delivery: Delivery) -> None:
    """After intake: repeats are fed back as such; a signal that joins a case in
    which help was accepted already gets "hulp geaccepteerd", and when its partner
    joined the LCV a pause of its own from the day it was received."""
    if not creditor_signals(Signal.objects.filter(delivery=delivery)).exists():
        return  # the CAK list or a referral: no creditor to feed back to
    repeats = Signal.objects.filter(delivery=delivery, status=SignalStatus.REPEATED)
    _give(repeats.values_list("pk", "partner_id", "case_id"), result=FeedbackResult.REPEATED)
    helped = Signal.objects.filter(
        delivery=delivery, case__help_accepted_on__isnull=False, case__closed_at__isnull=True
    ).values_list("pk", "partner_id", "case_id")
    signals = list(helped)
    if not signals:
        return
    if not delivery.partner.lcv_member:
        _give(signals, result=FeedbackResult.HELP_ACCEPTED)
        return
    starts_on = delivery.received_on
    ends_on = pause_end(starts_on)
    for case_id in sorted({case_id for _, _, case_id in signals}):
        pause, _ = CollectionPause.objects.get_or_create(
            case_id=case_id, partner_id=delivery.partner_id, starts_on=starts_on, defaults={"ends_on": ends_on}
        )
        _tell_partner_to_pause(pause)
    _give(signals, result=FeedbackResult.HELP_ACCEPTED, pause_ends_on=ends_on)


@transaction.atomic
def feedback_consent_record(*, case_id: int, user, given_on: date, how: str) -> FeedbackConsent:
    """The resident agreed that partners may hear how the case ends."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    case = case_lock(case_id, user)
    consent, _ = FeedbackConsent.objects.update_or_create(
        case=case, defaults={"given_on": given_on, "how": how, "recorded_by": user}
    )
    audit_log(
        action=AuditAction.CHANGE, actor=user, obj=case, detail={"feedback_consent": given_on.isoformat(), "how": how}
    )
    return consent


@transaction.atomic
def feedback_consent_resident_told(*, case_id: int, user, told_on: date) -> FeedbackConsent:
    """The resident was told which partners heard the end result on the strength of
    their consent (AP guidance: person-level feedback is recorded and the resident is
    informed of it). Recorded after that feedback went out, when the case closed."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    case = case_lock(case_id, user)
    consent = FeedbackConsent.objects.select_for_update().filter(case=case).first()
    if consent is None or not Feedback.objects.filter(case=case, result=FeedbackResult.CLOSED_WITH_CONSENT).exists():
        raise CaseActionRefused("Er is nog niets op grond van de toestemming van de inwoner teruggekoppeld.")
    if told_on > timezone.localdate():
        raise CaseActionRefused("De datum kan niet in de toekomst liggen.")
    if told_on < consent.given_on:
        raise CaseActionRefused(
            f"De inwoner kan niet verteld zijn vóór de toestemming werd gegeven ({consent.given_on:%d-%m-%Y})."
        )
    consent.resident_told_on = told_on
    consent.save(update_fields=["resident_told_on"])
    audit_log(
        action=AuditAction.CHANGE,
        actor=user,
        obj=case,
        detail={"feedback_consent_resident_told_on": told_on.isoformat()},
    )
    return consent


@transaction.atomic
def collection_pause_follow_up(*, pause_id: int, user, note: str) -> CollectionPause:
    """After the pause ended: the caseworker made a payment arrangement or contacted
    the partner (the seed: keep the debt calm during the handover)."""
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    pause = CollectionPause.objects.get(pk=pause_id)
    case_lock(pause.case_id, user)
    pause = CollectionPause.objects.select_for_update().get(pk=pause_id)
    if pause.followed_up_at is None:
        pause.followed_up_at = timezone.now()
        pause.followed_up_by = user
        pause.follow_up_note = note[:300]
        pause.save(update_fields=["followed_up_at", "followed_up_by", "follow_up_note"])
        audit_log(
            action=AuditAction.CHANGE, actor=user, obj=pause, detail={"case": pause.case_id, "follow_up": note[:300]}
        )
    return pause
