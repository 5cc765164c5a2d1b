"""Objections and requests not to be approached (writes and reads).

A resident can object to signals from landlords, energy and water companies; intake
then refuses new signals from those partners about this person and tells the partner
in the delivery report (signals/ingest.py). Health-insurer signals still arrive, and
the case shows the objection. A request not to be approached is shown on the case
and in the queue.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from signals.models import OBJECTABLE_PARTNER_TYPES, PARTNER_TYPE_BITS
from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log

from . import persons
from .models import Case, Objection, Resident, ResidentKey
from .services import CaseActionRefused, case_lock


@transaction.atomic
def objection_record(
    *,
    case_id: int,
    user,
    resident_id: int,
    partner_types: list[str],
    no_contact: bool,
    objected_on: date,
    source: str,
    note: str = "",
) -> Objection:
    case = case_lock(case_id, user)
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    resident = Resident.objects.filter(pk=resident_id, household_id=case.household_id).first()
    if resident is None:
        raise CaseActionRefused("Kies een bewoner van dit huishouden.")
    unknown = set(partner_types) - set(OBJECTABLE_PARTNER_TYPES)
    if unknown:
        raise CaseActionRefused("Bezwaar kan alleen tegen signalen van verhuurders, energie- en waterbedrijven.")
    if not partner_types and not no_contact:
        raise CaseActionRefused("Kies de soorten partners of 'wil niet benaderd worden'.")
    if objected_on > timezone.localdate():
        raise CaseActionRefused("De datum van het bezwaar kan niet in de toekomst liggen.")
    mask = 0
    for ptype in partner_types:
        mask |= PARTNER_TYPE_BITS[ptype]
    objection = Objection.objects.create(
        municipality_id=case.municipality_id,
        person_key=resident.person_key,
        resident=resident,
        bsn=resident.bsn,
        name_key=persons.resident_name_key(resident),
        partner_type_mask=mask,
        no_contact=no_contact,
        objected_on=objected_on,
        source=source,
        note=note[:300],
        recorded_by=user,
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=objection,
        detail={"case": case.pk, "partner_types": partner_types, "no_contact": no_contact},
    )
    return objection


@transaction.atomic
def objection_withdraw(*, objection_id: int, case_id: int, user, on: date | None = None) -> Objection:
    case = case_lock(case_id, user)
    if not user.has_perm("accounts.work_cases"):
        raise PermissionDenied
    objection = Objection.objects.select_for_update().get(pk=objection_id, municipality_id=case.municipality_id)
    if objection.withdrawn_on is None:
        objection.withdrawn_on = on or timezone.localdate()
        objection.save(update_fields=["withdrawn_on"])
        audit_log(action=AuditAction.CHANGE, actor=user, obj=objection, detail={"withdrawn": True, "case": case.pk})
    return objection


def objections_for_case(*, case: Case) -> QuerySet[Objection]:
    """Active objections of the people of the case's household: recorded for one of
    its residents, or for a person with one of their keys (cases/persons.py)."""
    keys = list(ResidentKey.objects.filter(household_id=case.household_id).values_list("key", flat=True))
    bsns = [key.removeprefix("bsn:") for key in keys if key.startswith("bsn:")]
    names = [key for key in keys if key.startswith("name:") and not key.endswith("|")]  # with a birth date
    person = Q(resident__household_id=case.household_id) | Q(bsn__in=bsns) | Q(name_key__in=names)
    return (
        Objection.objects.filter(person, municipality_id=case.municipality_id, withdrawn_on__isnull=True)
        .select_related("resident", "recorded_by")
        .order_by("objected_on", "pk")
    )
