"""Retention: personal data is removed when its term has passed; facts stay.

Terms (settings.RETENTION_MONTHS, reasoning in docs/operators/retention.md):
closed cases by how they ended, counted from closing; signals that never joined a
case (repeats), from receipt; rejected lines of delivery reports, and the files kept
of failed deliveries (for an admin's retry) on the same term; notifications;
audit entries. Open cases are never touched.

For a case whose term has passed, everything that identifies a person is removed
or blanked, irreversibly: on its signals BSN, initials, prefix, surname, birth date,
address, phone, e-mail, person key and the partner's reference; its residents and
household likewise (unless another case of theirs is still within its term); its
notes, action plans and assessment findings are deleted; free text on contact
attempts, contact plan steps skipped or moved, crisis judgements, state changes,
collection pauses, referrals and the objections of its people is blanked (an
objection itself stays in force, with the keys
it refuses signals by); an LAA address investigation that became the case loses its
address, reference and text; notifications about it are deleted; the apps above
cases remove theirs through `cases.hooks.case_purging` (replies: what residents typed). In the audit trail,
entries about the case keep what happened and when, not the free text (a closing
reason, a follow-up note), and searches that named one of its people (BSN, surname,
postcode and house number, a partner's reference) keep the search but not the term
(`[verwijderd]`). What stays is what the reports and the DDAS figures count: dates,
kinds, amounts, statuses, end results, contact attempt kinds and outcomes — anonymous
facts. The case is marked `purged_at`.

`retention_plan` says what would go (the dry run); `retention_purge` does it, in
batches, each in its own transaction, and writes one audit entry per run. Audit
entries past their term are deleted, and entries about a purged case blanked, through
the two doors the database trigger leaves open for this (migrations audit/0003, 0005).
"""

import re
from datetime import datetime
from importlib import import_module

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django_fsm_log.models import StateLog

from cases.hooks import case_purging
from cases.models import (
    AddressInvestigation,
    Case,
    CrisisTerm,
    Finding,
    Household,
    Objection,
    Resident,
    ResidentKey,
)
from cases.queue_keys import cases_queue_refresh_households
from feedback.models import CollectionPause
from outreach.models import ActionPlan, ContactAttempt, Note, PlanStepChange
from signals.models import DeliveryFile, DeliveryStatus, Referral, RejectedLine, Signal
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log
from vroeg.dutch import is_number
from vroeg.notifications.models import Notification

BATCH = 500
REMOVED = "[verwijderd]"  # what replaces a blanked audit value or search term
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


def _due_failed_files(now: datetime) -> QuerySet[DeliveryFile]:
    """Files kept of deliveries that failed (for an admin's retry): as long as reports."""
    return DeliveryFile.objects.filter(
        delivery__status=DeliveryStatus.FAILED, delivery__received_at__lt=_cutoff("delivery_reports", now)
    )


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
    plan["failed_delivery_files"] = _due_failed_files(now).count()
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
        done["failed_delivery_files"], _ = _due_failed_files(now).delete()
        done["notifications"], _ = _due_notifications(now).delete()
    done["audit"] = _purge_audit(now)
    # Sessions hold a user's last searches (vroeg/searches.py: surnames, BSNs): an
    # ended session goes the night after, whatever its term.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
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
    # Collected before the signals and residents are blanked: what searches in the
    # audit trail may have named these people by.
    named = _Identifiers.of(signals, resident_ids, household_ids)
    investigation_ids = list(AddressInvestigation.objects.filter(case_id__in=ids).values_list("pk", flat=True))

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
    # A blanked birth date no longer counts for the young-adult rule of an open case of
    # the same household (cases/priority.py): its stored queue key follows.
    cases_queue_refresh_households(
        household_ids=Resident.objects.filter(pk__in=resident_ids).values_list("household_id", flat=True)
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
    PlanStepChange.objects.filter(case_id__in=ids).update(reason="")
    CrisisTerm.objects.filter(case_id__in=ids).update(reason="", withdraw_reason="")
    CollectionPause.objects.filter(case_id__in=ids).update(follow_up_note="")
    Referral.objects.filter(delivery__signals__case_id__in=ids).update(origin="", contact="")
    # An objection stays in force (it refuses the person's future signals by BSN or
    # name key); only its note goes, once the person's data goes.
    their_objections = Q(resident_id__in=resident_ids) | Q(resident__isnull=True, bsn__in=named.bsns)
    Objection.objects.filter(their_objections).update(note="")
    # The investigation keeps its state and dates (reported); the address, its text
    # and the LAA reference (which names the address in the LAA register) go.
    AddressInvestigation.objects.filter(pk__in=investigation_ids).update(
        laa_reference=Concat(Value("verwijderd-"), Cast("pk", CharField())),
        street="",
        city="",
        postcode="",
        house_number=0,
        house_number_suffix="",
        explanation="",
        outcome_note="",
    )
    StateLog.objects.filter(content_type__app_label="cases", content_type__model="case", object_id__in=ids).update(
        description=None
    )
    about_them = Q()
    for pk in ids:
        about_them |= Q(url__startswith=f"/zaken/{pk}/")
    if ids:
        Notification.objects.filter(about_them).delete()
    case_purging(case_ids=ids)  # the apps above cases remove theirs (replies: what residents typed)
    _blank_audit(case_ids=ids, resident_ids=resident_ids, investigation_ids=investigation_ids, named=named)
    cases.update(purged_at=now)


def _purge_audit(now: datetime) -> int:
    """Audit entries past their term, through the trigger's purge door (PostgreSQL)."""
    cutoff = _cutoff("audit", now)
    with transaction.atomic():
        _open_audit_door("vroeg.audit_purge_before", cutoff.isoformat())
        deleted, _ = _due_audit(now).delete()
    return deleted


def _open_audit_door(setting: str, value: str) -> None:
    """Open one of the doors the append-only trigger (PostgreSQL) leaves for the purge,
    for the current transaction only (set_config(..., true)). SQLite has no trigger."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [setting, value])


_POSTCODE_NUMBER = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2}) ?(\d{1,5})(?!\d)")


class _Identifiers:
    """What a search term could have named the people of purged cases by: their BSNs,
    surnames (with and without the prefix), addresses (postcode, house number) and
    the partners' references of their signals. Compared case- and space-insensitively."""

    def __init__(self):
        self.bsns: set[str] = set()
        self.surnames: set[str] = set()
        self.addresses: set[tuple[str, int]] = set()
        self.references: set[str] = set()

    @classmethod
    def of(cls, signals: QuerySet[Signal], resident_ids: set[int], household_ids: set[int]) -> "_Identifiers":
        named = cls()
        for ref in signals.values_list("partner_referentie", flat=True):
            named.references.add(_plain(ref))
        # People (and their addresses) kept for another case within its term are not forgotten.
        forgotten = signals.filter(Q(resident_id__in=resident_ids) | Q(resident_id__isnull=True))
        people = [
            *forgotten.values_list("bsn", "prefix", "surname"),
            *Resident.objects.filter(pk__in=resident_ids).values_list("bsn", "prefix", "surname"),
        ]
        for bsn, prefix, surname in people:
            named.bsns.add(bsn)
            named.surnames |= {_plain(surname), _plain(f"{prefix} {surname}")}
        addresses = [
            *forgotten.filter(case__household_id__in=household_ids).values_list("postcode", "house_number"),
            *Household.objects.filter(pk__in=household_ids).values_list("postcode", "house_number"),
        ]
        named.addresses = {(postcode.replace(" ", "").upper(), number) for postcode, number in addresses if postcode}
        named.bsns.discard("")
        named.surnames.discard("")
        named.references.discard("")
        return named

    def names(self, term: str) -> bool:
        """Whether a search term is one of these people's identifiers."""
        plain = _plain(term)
        compact = plain.replace(" ", "")
        if is_number(compact) and len(compact) in (8, 9) and compact.zfill(9) in self.bsns:
            return True
        if match := _POSTCODE_NUMBER.match(plain):
            digits, letters, number = match.groups()
            if (f"{digits}{letters.upper()}", int(number)) in self.addresses:
                return True
        return plain in self.references or plain in self.surnames

    def names_address(self, postcode, house_number) -> bool:
        """A postcode and a house number given apart (the audit trail search)."""
        if not isinstance(postcode, str) or not is_number(str(house_number).strip()):
            return False
        return (postcode.replace(" ", "").upper(), int(str(house_number).strip())) in self.addresses


def _plain(text: str) -> str:
    return " ".join(str(text).split()).lower()


# Values in the detail of an entry about a purged case that say what happened, not
# who it was about: transitions and states, kinds, choices, usernames of staff.
AUDIT_FACT_KEYS = frozenset(
    {"transition", "from", "to", "kind", "how", "copy_how", "message", "state", "assigned_to", "partner_types"}
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+([+-][0-9:]+|Z)?)?$")


def _blank_detail(value, key: str = ""):
    """The detail with every free text blanked; numbers, booleans, dates and the
    facts of AUDIT_FACT_KEYS stay, and so does every key (the trigger checks it)."""
    if isinstance(value, dict):
        return {k: _blank_detail(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_blank_detail(v, key) for v in value]
    if isinstance(value, str) and value and key not in AUDIT_FACT_KEYS and not _ISO_DATE.match(value):
        return REMOVED
    return value


def _without_terms(detail, named: _Identifiers):
    """A search's (or export's) criteria with every term that names a purged person
    replaced by REMOVED."""
    if not isinstance(detail, dict):
        return detail
    kept = {k: REMOVED if isinstance(v, str) and named.names(v) else v for k, v in detail.items()}
    if named.names_address(detail.get("postcode"), detail.get("house_number")):
        kept["postcode"] = kept["house_number"] = REMOVED
    return kept


def _blank_audit(
    *, case_ids: list[int], resident_ids: set[int], investigation_ids: list[int], named: _Identifiers
) -> None:
    """Entries about the purged cases (and their residents and investigations) keep
    who did what when, but no free text: the reason is emptied and the detail's free
    text blanked. Searches and exports whose criteria named one of the people keep
    everything but that term. Through the trigger's blanking door (migration audit/0005)."""
    if not case_ids:
        return
    about = (
        Q(object_type="cases.case", object_id__in=[str(pk) for pk in case_ids])
        | Q(detail__case__in=case_ids)
        | Q(object_type="cases.resident", object_id__in=[str(pk) for pk in resident_ids])
        | Q(object_type="cases.addressinvestigation", object_id__in=[str(pk) for pk in investigation_ids])
    )
    changes: dict[int, tuple[str, object]] = {}
    for pk, reason, detail in AuditEntry.objects.filter(about).values_list("pk", "reason", "detail").iterator():
        blanked = ("", _blank_detail(detail))
        if blanked != (reason, detail):
            changes[pk] = blanked
    searches = (
        AuditEntry.objects.filter(action__in=[AuditAction.SEARCH, AuditAction.EXPORT])
        .exclude(pk__in=list(changes))
        .exclude(detail={})
    )
    for pk, reason, detail in searches.values_list("pk", "reason", "detail").iterator(chunk_size=2000):
        blanked = _without_terms(detail, named)
        if blanked != detail:
            changes[pk] = (reason, blanked)
    if not changes:
        return
    _open_audit_door("vroeg.audit_purge_blank", "on")
    for pk, (reason, detail) in changes.items():
        AuditEntry.objects.filter(pk=pk).update(reason=reason, detail=detail)
