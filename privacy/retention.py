"""Retention: personal data is removed when its term has passed; facts stay.

Terms (settings.RETENTION_MONTHS, reasoning in docs/operators/retention.md):
closed cases by how they ended, counted from closing; signals that never joined a
case (repeats), from receipt; rejected lines of delivery reports; notifications;
audit entries. Open cases are never touched.

For a case whose term has passed, everything that identifies a person is removed
or blanked, irreversibly: on its signals BSN, initials, prefix, surname, birth date,
address, phone, e-mail, person key and the partner's reference; its residents and
household likewise (unless another case of theirs is still within its term); its
notes, action plans and assessment findings are deleted; free text on contact
attempts, crisis judgements and state changes is blanked; notifications about it are deleted. What
stays is what the reports and the DDAS figures count: dates, kinds, amounts,
statuses, end results, contact attempt kinds and outcomes — anonymous facts. The
case is marked `purged_at`.

`retention_plan` says what would go (the dry run); `retention_purge` does it, in
batches, each in its own transaction, and writes one audit entry per run. Audit
entries past their term are deleted through the one door the database trigger
leaves open for this (migration audit/0003).
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.models import Case, CrisisTerm, Finding, Household, Resident, ResidentKey
from outreach.models import ActionPlan, ContactAttempt, Note
from signals.models import RejectedLine, Signal
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.notifications.models import Notification

BATCH = 500
CASE_CATEGORIES = ("not_picked_up", "closed_without_help", "closed_after_help")


def _cutoff(category: str, now: datetime) -> datetime:
    return now - relativedelta(months=settings.RETENTION_MONTHS[category])


def due_cases(*, now: datetime) -> dict[str, QuerySet[Case]]:
    """Closed cases whose term has passed and whose personal data is still there."""
    closed = Case.objects.filter(closed_at__isnull=False, purged_at__isnull=True)
    return {
        "not_picked_up": closed.filter(picked_up_on__isnull=True, closed_at__lt=_cutoff("not_picked_up", now)),
        "closed_without_help": closed.filter(
            picked_up_on__isnull=False, help_accepted_on__isnull=True, closed_at__lt=_cutoff("closed_without_help", now)
        ),
        "closed_after_help": closed.filter(
            help_accepted_on__isnull=False, closed_at__lt=_cutoff("closed_after_help", now)
        ),
    }


def _due_loose_signals(now: datetime) -> QuerySet[Signal]:
    return Signal.objects.filter(
        case__isnull=True, received_on__lt=_cutoff("signals_without_case", now).date()
    ).exclude(person_key="")


def _due_rejected_lines(now: datetime) -> QuerySet[RejectedLine]:
    return RejectedLine.objects.filter(delivery__received_at__lt=_cutoff("delivery_reports", now))


def _due_notifications(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(created_at__lt=_cutoff("notifications", now))


def _due_audit(now: datetime) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(at__lt=_cutoff("audit", now))


def retention_plan(*, now: datetime | None = None) -> dict[str, int]:
    """What a purge at `now` would remove (the dry run)."""
    now = now or timezone.now()
    plan = {category: qs.count() for category, qs in due_cases(now=now).items()}
    plan["signals_without_case"] = _due_loose_signals(now).count()
    plan["delivery_reports"] = _due_rejected_lines(now).count()
    plan["notifications"] = _due_notifications(now).count()
    plan["audit"] = _due_audit(now).count()
    return plan


def retention_purge(*, now: datetime | None = None) -> dict[str, int]:
    """Remove all personal data past its term. Safe to run twice or to be stopped
    half-way: each batch commits on its own and a purged case is not taken again."""
    now = now or timezone.now()
    done = {}
    for category, cases in due_cases(now=now).items():
        done[category] = 0
        while ids := list(cases.order_by("pk").values_list("pk", flat=True)[:BATCH]):
            _purge_cases(ids, now)
            done[category] += len(ids)
    done["signals_without_case"] = 0
    while ids := list(_due_loose_signals(now).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            _blank_signals(Signal.objects.filter(pk__in=ids))
        done["signals_without_case"] += len(ids)
    with transaction.atomic():
        done["delivery_reports"], _ = _due_rejected_lines(now).delete()
        done["notifications"], _ = _due_notifications(now).delete()
    done["audit"] = _purge_audit(now)
    audit_log(action=AuditAction.PURGE, object_type="retention.purge", detail=done)
    return done


def _blank_signals(signals: QuerySet[Signal]) -> None:
    signals.update(
        bsn="",
        initials="",
        prefix="",
        surname="",
        birth_date=None,
        street="",
        house_number=0,
        house_number_suffix="",
        postcode="",
        city="",
        phone="",
        email="",
        person_key="",
        partner_referentie=Concat(Value("verwijderd-"), Cast("pk", CharField())),
    )


@transaction.atomic
def _purge_cases(case_ids: list[int], now: datetime) -> None:
    cases = Case.objects.select_for_update().filter(pk__in=case_ids, purged_at__isnull=True)
    ids = list(cases.values_list("pk", flat=True))
    signals = Signal.objects.filter(case_id__in=ids)
    resident_ids = set(signals.exclude(resident_id=None).values_list("resident_id", flat=True))
    household_ids = set(Case.objects.filter(pk__in=ids).values_list("household_id", flat=True))
    # People and addresses that another case still within its term needs are kept.
    kept = Case.objects.filter(household_id__in=household_ids, purged_at__isnull=True).exclude(pk__in=ids)
    household_ids -= set(kept.values_list("household_id", flat=True))
    resident_ids -= set(
        Signal.objects.filter(resident_id__in=resident_ids, case__in=kept).values_list("resident_id", flat=True)
    )

    _blank_signals(signals)
    ResidentKey.objects.filter(resident_id__in=resident_ids).delete()  # BSNs, names and birth dates
    Resident.objects.filter(pk__in=resident_ids).update(
        bsn="",
        initials="",
        prefix="",
        surname="",
        birth_date=None,
        person_key=Concat(Value("verwijderd-"), Cast("pk", CharField())),
    )
    # Households keep their row (cases point to it, consecutive signals were counted
    # with it) but not their address; the house number takes the id so that the
    # unique address constraint holds, and no new signal can ever match it.
    Household.objects.filter(pk__in=household_ids).update(
        street="", city="", postcode="", house_number_suffix="", house_number=F("pk")
    )
    Note.objects.filter(case_id__in=ids).delete()
    ActionPlan.objects.filter(case_id__in=ids).delete()
    Finding.objects.filter(case_id__in=ids).delete()
    ContactAttempt.objects.filter(case_id__in=ids).update(note="")
    CrisisTerm.objects.filter(case_id__in=ids).update(reason="", withdraw_reason="")
    StateLog.objects.filter(content_type__app_label="cases", content_type__model="case", object_id__in=ids).update(
        description=None
    )
    about_them = Q()
    for pk in ids:
        about_them |= Q(url__startswith=f"/zaken/{pk}/")
    if ids:
        Notification.objects.filter(about_them).delete()
    cases.update(purged_at=now)


def _purge_audit(now: datetime) -> int:
    """Audit entries past their term, through the trigger's purge door (PostgreSQL)."""
    cutoff = _cutoff("audit", now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('vroeg.audit_purge_before', %s, true)", [cutoff.isoformat()])
        deleted, _ = _due_audit(now).delete()
    return deleted
