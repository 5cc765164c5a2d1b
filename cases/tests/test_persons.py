"""One resident however a signal names them, and objections that hold for the person.

The rule (issue 13; domain.md "Match"): a person is recognised by BSN *or* by
normalised surname (with prefix) + birth date. A later signal that carries both keys
links them: what was split becomes one resident, keeping every signal, and the merge
is audited. An objection against landlords/energy/water holds for the person, also
when the next signal carries no BSN; health insurers' signals still arrive.

Every expectation below is written from that rule, not from the code: the rows are
built by hand and sent through the real intake.
"""

from datetime import date

import pytest

from cases.models import Case, Resident
from cases.objections import objection_record, objections_for_case
from signals.models import PartnerType, Signal
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

BSN = "999999990"  # passes the elfproef
OTHER_BSN = "111222333"
BORN = "1980-05-17"


def send(partner, *rows, received_on=date(2026, 11, 27)):
    return deliver(partner, csv_bytes([row(**r) for r in rows]), received_on=received_on)


def residents():
    return list(Resident.objects.order_by("pk"))


@pytest.fixture
def insurer(municipality):
    p = PartnerFactory(code="zorg", name="Zorgverzekeraar", partner_type=PartnerType.ZORG)
    p.municipalities.add(municipality)
    return p


@pytest.fixture
def energy(municipality):
    p = PartnerFactory(code="energie", name="Energieleverancier", partner_type=PartnerType.ENERGIE)
    p.municipalities.add(municipality)
    return p


# --- one resident -----------------------------------------------------------------


def test_signal_with_bsn_then_without_is_one_resident(partner, insurer):
    send(partner, {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": BORN})
    send(insurer, {"partner_referentie": "Z-1", "signaal_type": "zorgverzekering", "bsn": "", "geboortedatum": BORN})
    [resident] = residents()
    assert resident.bsn == BSN
    assert set(Signal.objects.values_list("resident_id", flat=True)) == {resident.pk}


def test_signal_without_bsn_then_with_bsn_and_birth_date_is_one_resident(partner, insurer):
    send(insurer, {"partner_referentie": "Z-1", "signaal_type": "zorgverzekering", "bsn": "", "geboortedatum": BORN})
    send(partner, {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": BORN})
    [resident] = residents()
    assert resident.bsn == BSN  # the resident is now known by its BSN too
    assert Signal.objects.filter(resident=resident).count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.MERGE).exists()  # nothing was split


def test_both_keys_in_one_file_make_one_resident(partner):
    send(
        partner,
        {"partner_referentie": "H-1", "bsn": "", "geboortedatum": BORN},
        {"partner_referentie": "H-2", "bsn": BSN, "geboortedatum": BORN},
    )
    [resident] = residents()
    assert resident.bsn == BSN
    assert Signal.objects.filter(resident=resident).count() == 2


def test_a_later_linking_signal_merges_what_was_split(partner, insurer, energy, caseworker):
    # Signal 1: no BSN, name + birth date. Signal 2: BSN but no birth date; a name
    # without a birth date is too weak to say it is the same person: two residents.
    send(insurer, {"partner_referentie": "Z-1", "signaal_type": "zorgverzekering", "bsn": "", "geboortedatum": BORN})
    send(partner, {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": ""})
    first, second = residents()
    assert (first.bsn, second.bsn) == ("", BSN)
    case = Case.objects.get()
    objection_record(
        case_id=case.pk,
        user=caseworker,
        resident_id=second.pk,
        partner_types=["Energie"],
        no_contact=False,
        objected_on=date(2026, 11, 27),
        source="brief",
    )

    # Signal 3 carries BSN and name + birth date: the two are one person.
    send(
        insurer,
        {"partner_referentie": "Z-2", "signaal_type": "zorgverzekering", "bsn": BSN, "geboortedatum": BORN},
        received_on=date(2026, 11, 28),
    )
    [resident] = residents()
    assert resident.pk == first.pk  # the older one is kept
    assert (resident.bsn, resident.birth_date) == (BSN, date(1980, 5, 17))
    assert sorted(Signal.objects.filter(resident=resident).values_list("partner_referentie", flat=True)) == [
        "H-1",
        "Z-1",
        "Z-2",
    ]
    # The objection made for the second record holds for the one person.
    [objection] = objections_for_case(case=case)
    assert objection.resident_id == resident.pk
    # Audited, without personal data in the entry.
    [entry] = AuditEntry.objects.filter(action=AuditAction.MERGE)
    assert (entry.object_type, entry.object_id) == ("cases.resident", str(first.pk))
    assert entry.detail["samengevoegd"] == second.pk
    assert BSN not in str(entry.detail) and "Vries" not in str(entry.detail)
    # And an energy signal about the person without a BSN is refused now.
    refused = send(
        energy,
        {"partner_referentie": "E-1", "signaal_type": "gas", "bsn": "", "geboortedatum": BORN},
        received_on=date(2026, 11, 29),
    )
    assert refused.rejected_count == 1


def test_two_different_bsns_are_two_people_whatever_their_names(partner):
    # Twins with the same initials at one address: the BSN decides.
    send(
        partner,
        {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": BORN},
        {"partner_referentie": "H-2", "bsn": OTHER_BSN, "geboortedatum": BORN},
    )
    assert sorted(r.bsn for r in residents()) == sorted([BSN, OTHER_BSN])
    # A third signal without BSN names "de Vries, 17-05-1980": it could be either twin,
    # so it is given to neither (a letter must not mix the two); it stays a record of
    # its own until a signal with a BSN links it.
    send(partner, {"partner_referentie": "H-3", "bsn": "", "geboortedatum": BORN}, received_on=date(2026, 11, 28))
    assert sorted(r.bsn for r in residents()) == sorted(["", BSN, OTHER_BSN])
    assert Signal.objects.get(partner_referentie="H-3").resident.bsn == ""


def test_same_name_without_birth_date_does_not_link_to_a_bsn(partner):
    send(
        partner,
        {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": ""},
        {"partner_referentie": "H-2", "bsn": "", "geboortedatum": ""},
    )
    assert len(residents()) == 2


def test_prefix_and_accents_are_part_of_the_name_key(partner):
    # 'de Vries' and 'De  Vriës' are one surname; 'Vries' without prefix is another.
    send(
        partner,
        {"partner_referentie": "H-1", "bsn": "", "voorvoegsel": "de", "achternaam": "Vries", "geboortedatum": BORN},
        {"partner_referentie": "H-2", "bsn": "", "voorvoegsel": "De ", "achternaam": "Vriës", "geboortedatum": BORN},
        {"partner_referentie": "H-3", "bsn": "", "voorvoegsel": "", "achternaam": "Vries", "geboortedatum": BORN},
    )
    assert len(residents()) == 2


# --- objections hold for the person ----------------------------------------------


@pytest.fixture
def objected_by_bsn(partner, caseworker):
    """The resident (known by BSN and name + birth date) objected to landlords and energy."""
    send(partner, {"partner_referentie": "H-1", "bsn": BSN, "geboortedatum": BORN})
    case = Case.objects.get()
    [resident] = residents()
    objection_record(
        case_id=case.pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Huur", "Energie"],
        no_contact=False,
        objected_on=date(2026, 11, 27),
        source="telefoon",
        note="Wil via de zorgverzekeraar geholpen worden",
    )
    return case


REASON = (
    "De inwoner heeft bezwaar gemaakt tegen signalen van verhuurders. Het signaal is niet verwerkt; "
    "stuur over deze persoon geen signalen meer."
)


def test_objection_refuses_the_next_rent_signal_without_bsn(objected_by_bsn, partner):
    delivery = send(
        partner, {"partner_referentie": "H-2", "bsn": "", "geboortedatum": BORN}, received_on=date(2026, 11, 30)
    )
    [line] = delivery.rejected_lines.all()
    assert (line.partner_referentie, line.reasons) == ("H-2", [REASON])
    assert "telefoon" not in str(line.reasons) and "zorgverzekeraar" not in str(line.reasons)
    assert not Signal.objects.filter(partner_referentie="H-2").exists()


def test_objection_holds_after_the_person_moved_within_the_municipality(objected_by_bsn, partner):
    moved = {
        "partner_referentie": "H-2",
        "bsn": "",
        "geboortedatum": BORN,
        "straat": "Kerkstraat",
        "huisnummer": "3",
        "postcode": "1235 CD",
    }
    assert send(partner, moved, received_on=date(2026, 11, 30)).rejected_count == 1


def test_objection_recorded_without_bsn_refuses_a_signal_with_bsn(partner, caseworker):
    send(partner, {"partner_referentie": "H-1", "bsn": "", "geboortedatum": BORN})
    [resident] = residents()
    objection_record(
        case_id=Case.objects.get().pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Huur"],
        no_contact=False,
        objected_on=date(2026, 11, 27),
        source="brief",
    )
    delivery = send(
        partner, {"partner_referentie": "H-2", "bsn": BSN, "geboortedatum": BORN}, received_on=date(2026, 11, 30)
    )
    assert delivery.rejected_count == 1


def test_objection_does_not_refuse_someone_else(objected_by_bsn, partner):
    # Same surname and address, another birth date and no BSN: another person.
    other = send(
        partner, {"partner_referentie": "H-2", "bsn": "", "geboortedatum": "2004-01-02"}, received_on=date(2026, 11, 30)
    )
    assert (other.accepted_count, other.rejected_count) == (1, 0)
    # Another BSN with the same name and birth date: another person too.
    twin = send(
        partner, {"partner_referentie": "H-3", "bsn": OTHER_BSN, "geboortedatum": BORN}, received_on=date(2026, 11, 30)
    )
    assert (twin.accepted_count, twin.rejected_count) == (1, 0)


def test_health_insurer_signals_still_arrive_after_an_objection(objected_by_bsn, insurer):
    delivery = send(
        insurer,
        {"partner_referentie": "Z-1", "signaal_type": "zorgverzekering", "bsn": "", "geboortedatum": BORN},
        received_on=date(2026, 11, 30),
    )
    assert (delivery.accepted_count, delivery.rejected_count) == (1, 0)
    assert Signal.objects.get(partner_referentie="Z-1").case_id == objected_by_bsn.pk


def test_withdrawn_objection_refuses_nothing(objected_by_bsn, partner, caseworker):
    from cases.objections import objection_withdraw

    [objection] = objections_for_case(case=objected_by_bsn)
    objection_withdraw(objection_id=objection.pk, case_id=objected_by_bsn.pk, user=caseworker)
    delivery = send(
        partner, {"partner_referentie": "H-2", "bsn": "", "geboortedatum": BORN}, received_on=date(2026, 11, 30)
    )
    assert delivery.accepted_count == 1


def test_twins_in_one_file_do_not_take_over_a_name_only_record(partner):
    # First a signal without BSN: "de Vries, 17-05-1980". Then one file names two
    # BSNs with that very name and birth date at the address: which of the two the
    # first signal was about cannot be known, so neither takes it over.
    send(partner, {"partner_referentie": "H-1", "bsn": "", "geboortedatum": BORN})
    send(
        partner,
        {"partner_referentie": "H-2", "bsn": BSN, "geboortedatum": BORN},
        {"partner_referentie": "H-3", "bsn": OTHER_BSN, "geboortedatum": BORN},
        received_on=date(2026, 11, 28),
    )
    assert sorted(r.bsn for r in residents()) == sorted(["", BSN, OTHER_BSN])
    assert not AuditEntry.objects.filter(action=AuditAction.MERGE).exists()


def test_an_objection_by_name_without_birth_date_refuses_no_namesake_elsewhere(partner, caseworker):
    # The objecting resident is known only as "de Vries" (no BSN, no birth date). A
    # rent signal for another "de Vries" at another address, also without BSN and
    # birth date, is someone else as far as anyone can tell: accepted.
    send(partner, {"partner_referentie": "H-1", "bsn": "", "geboortedatum": ""})
    [resident] = residents()
    objection_record(
        case_id=Case.objects.get().pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Huur"],
        no_contact=False,
        objected_on=date(2026, 11, 27),
        source="brief",
    )
    elsewhere = {"partner_referentie": "H-2", "bsn": "", "geboortedatum": "", "huisnummer": "80"}
    assert send(partner, elsewhere, received_on=date(2026, 11, 30)).accepted_count == 1
    # At the objecting resident's own address the same name is that resident: refused.
    same = {"partner_referentie": "H-3", "bsn": "", "geboortedatum": ""}
    assert send(partner, same, received_on=date(2026, 11, 30)).rejected_count == 1


def test_a_bsn_learnt_later_carries_the_objection_to_a_new_address(partner, caseworker):
    # Objection recorded while the resident was known by name + birth date only; a later
    # signal gives the BSN; after a move, a signal with only the BSN is refused too.
    send(partner, {"partner_referentie": "H-1", "bsn": "", "geboortedatum": BORN})
    [resident] = residents()
    objection_record(
        case_id=Case.objects.get().pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Huur"],
        no_contact=False,
        objected_on=date(2026, 11, 27),
        source="brief",
    )
    from cases.models import Objection

    # The health insurer's signal carries BSN and birth date: the resident (and the objection) learn the BSN.
    insurer = PartnerFactory(code="zorg2", partner_type=PartnerType.ZORG)
    insurer.municipalities.add(resident.household.municipality)
    send(
        insurer,
        {"partner_referentie": "Z-1", "signaal_type": "zorgverzekering", "bsn": BSN, "geboortedatum": BORN},
        received_on=date(2026, 11, 28),
    )
    assert Objection.objects.get().bsn == BSN
    moved = {
        "partner_referentie": "H-2",
        "bsn": BSN,
        "geboortedatum": "",
        "achternaam": "Vries-Jansen",
        "straat": "Kerkstraat",
        "huisnummer": "3",
        "postcode": "1235 CD",
    }
    assert send(partner, moved, received_on=date(2026, 11, 30)).rejected_count == 1
