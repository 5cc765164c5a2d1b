"""The data migration that gave existing residents their keys (cases 0017): a person
the old intake split in two (one record by BSN, one by name + birth date, same
household) becomes one, in either order of creation, audited; twins stay two."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from cases.models import Household, Objection, Resident, ResidentKey
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cases.migrations.0017_backfill_person_keys")
BORN = date(1980, 5, 17)


@pytest.fixture
def household(municipality):
    return Household.objects.create(
        municipality=municipality, postcode="1234AB", house_number=12, street="Dorpsstraat", city="Voorbeeldstad"
    )


def _by_bsn(household, bsn="999999990"):
    return Resident.objects.create(
        household=household, person_key=f"bsn:{bsn}", bsn=bsn, prefix="de", surname="Vries", birth_date=BORN
    )


def _by_name(household):
    return Resident.objects.create(
        household=household, person_key="name:devries|1980-05-17", prefix="de", surname="Vries", birth_date=BORN
    )


@pytest.mark.parametrize("bsn_first", [True, False])
def test_a_person_split_by_the_old_intake_becomes_one(household, caseworker, bsn_first):
    first, second = (
        (_by_bsn(household), _by_name(household)) if bsn_first else (_by_name(household), _by_bsn(household))
    )
    by_name = second if bsn_first else first
    Objection.objects.create(
        municipality=household.municipality,
        person_key=by_name.person_key,
        resident=by_name,
        partner_type_mask=1,
        objected_on=date(2026, 11, 1),
        source="brief",
        recorded_by=caseworker,
    )
    migration.forwards(apps, None)
    [resident] = Resident.objects.all()
    assert resident.pk == first.pk and resident.bsn == "999999990"
    assert set(ResidentKey.objects.filter(resident=resident).values_list("key", flat=True)) == {
        "bsn:999999990",
        "name:devries|1980-05-17",
    }
    objection = Objection.objects.get()
    assert (objection.resident_id, objection.bsn, objection.name_key) == (
        resident.pk,
        "999999990",
        "name:devries|1980-05-17",
    )
    entry = AuditEntry.objects.get(action=AuditAction.MERGE)
    assert entry.detail == {"samengevoegd": second.pk, "in": first.pk}


def test_twins_stay_two(household):
    _by_bsn(household, "999999990")
    _by_bsn(household, "111222333")
    migration.forwards(apps, None)
    assert Resident.objects.count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.MERGE).exists()
