"""Who a person is (domain.md "Match"): one resident however a signal names them.

A person is recognised by BSN *or* by normalised surname (with prefix) plus birth
date. Each resident is known in its household by one or more keys (ResidentKey):

- `bsn:<bsn>` when a signal carried a BSN;
- `name:<normalised surname with prefix>|<birth date>` (the birth date may be empty).

A signal's own key is its BSN key when it has a BSN, else its name key. A signal with
a BSN *and* a birth date links the two keys: they belong to one person, so when they
lead to two residents of the household, those two are merged (`resident_merge`).
Without a birth date a name is too weak to link to a BSN (two Jansens at one address),
two different BSNs are always two people whatever their names, and a name that one
file gives two BSNs at one address (twins) links to neither. cases/intake.py
applies these rules set-based during intake (`_match_residents`, `rows_objected_to`).

Objections are kept by the same keys (`Objection.bsn`, `Objection.name_key`), so an
objection holds for the person whichever key a later signal carries.
"""

from django.db import transaction

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.dutch import name_key, normalise_name

from .models import Objection, Resident, ResidentKey
from .queue_keys import cases_queue_refresh_households


@transaction.atomic
def resident_merge(*, keep_id: int, merge_id: int, reason: str, actor=None) -> Resident:
    """Make two residents of one household one: everything that points to `merge_id`
    (signals, keys, objections, ...) points to `keep_id` afterwards; what `keep`
    lacks (BSN, birth date, initials, prefix) it takes from `merge`. Audited with
    both ids and the keys, never with the personal data itself."""
    keep, merge = (
        Resident.objects.select_for_update().get(pk=keep_id),
        Resident.objects.select_for_update().get(pk=merge_id),
    )
    if keep.household_id != merge.household_id:
        raise ValueError("residents of different households are never merged")
    if keep.bsn and merge.bsn and keep.bsn != merge.bsn:
        raise ValueError("two different BSNs are two people")
    keys = sorted(ResidentKey.objects.filter(resident_id__in=[keep_id, merge_id]).values_list("key", flat=True))
    for relation in Resident._meta.related_objects:
        if relation.one_to_many or relation.one_to_one:  # every foreign key to a resident
            relation.related_model._base_manager.filter(**{relation.field.name: merge}).update(
                **{relation.field.name: keep}
            )
    changed = []
    for field in ("bsn", "birth_date", "initials", "prefix"):
        if not getattr(keep, field) and getattr(merge, field):
            setattr(keep, field, getattr(merge, field))
            changed.append(field)
    merge.delete()
    if changed:
        keep.save(update_fields=changed)
    objections_refresh_keys(resident=keep)
    cases_queue_refresh_households(household_ids=[keep.household_id])  # a birth date may have joined
    audit_log(
        action=AuditAction.MERGE,
        actor=actor,
        obj=keep,
        municipality=keep.household.municipality_id,
        reason=reason,
        detail={"samengevoegd": merge_id, "in": keep_id, "sleutels": len(keys)},
    )
    return keep


def resident_name_key(resident: Resident) -> str:
    """The resident's name key ('' once the retention purge removed the name)."""
    if not resident.surname:
        return ""
    return name_key(normalise_name(resident.prefix, resident.surname), resident.birth_date)


def objections_refresh_keys(*, resident: Resident) -> None:
    """An objection of this resident matches by every key the resident now has."""
    nkey = resident_name_key(resident)
    for objection in Objection.objects.filter(resident=resident):
        fields = []
        if resident.bsn and objection.bsn != resident.bsn:
            objection.bsn = resident.bsn
            fields.append("bsn")
        if nkey and objection.name_key != nkey and (resident.birth_date or not objection.name_key):
            objection.name_key = nkey
            fields.append("name_key")
        if fields:
            objection.save(update_fields=fields)
