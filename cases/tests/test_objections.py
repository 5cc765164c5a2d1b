"""Objections: landlords, energy and water companies' new signals about the person
are refused at intake (and the partner is told); health insurers' still arrive and the
case shows the objection; a request not to be approached shows on the case."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case
from cases.objections import objection_record, objection_withdraw, objections_for_case
from cases.services import CaseActionRefused
from signals.models import PartnerType, Signal
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(municipality):
    made = {}
    for code, ptype, types in [("e", PartnerType.ENERGIE, ["elektra"]), ("z", PartnerType.ZORG, ["zorgverzekering"])]:
        made[code] = PartnerFactory(code=code, name=f"Partner {code}", partner_type=ptype, signal_types=types)
        made[code].municipalities.add(municipality)
    return made


@pytest.fixture
def objected(partner, caseworker):
    deliver(partner, csv_bytes([row(partner_referentie="H-1")]))
    case = Case.objects.get()
    resident = case.household.residents.get()
    objection_record(
        case_id=case.pk,
        user=caseworker,
        resident_id=resident.pk,
        partner_types=["Huur", "Energie"],
        no_contact=True,
        objected_on=date(2026, 11, 20),
        source="brief",
    )
    return case


def test_landlord_and_energy_signals_are_refused_and_the_partner_is_told(objected, partner, partners):
    rent = deliver(
        partner,
        csv_bytes([row(partner_referentie="H-2"), row(partner_referentie="H-3", huisnummer="99", bsn="111222333")]),
    )
    [line] = rent.rejected_lines.all()
    assert line.partner_referentie == "H-2"
    # Why, in Dutch, but nothing of the objection itself (not its date, source or note).
    assert line.reasons == [
        "De inwoner heeft bezwaar gemaakt tegen signalen van verhuurders. Het signaal is niet verwerkt; "
        "stuur over deze persoon geen signalen meer."
    ]
    assert (rent.accepted_count, rent.rejected_count) == (1, 1)  # someone else's signal is fine
    energy = deliver(partners["e"], csv_bytes([row(partner_referentie="E-1", signaal_type="elektra")]))
    assert energy.rejected_count == 1 and not Signal.objects.filter(partner=partners["e"]).exists()


def test_health_insurer_signals_still_arrive_and_the_case_shows_the_objection(client, objected, partners, caseworker):
    zorg = deliver(partners["z"], csv_bytes([row(partner_referentie="Z-1", signaal_type="zorgverzekering")]))
    assert zorg.accepted_count == 1 and Signal.objects.filter(partner=partners["z"], case=objected).exists()
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[objected.pk])).content.decode()
    assert 'data-testid="objection"' in page and "Wil niet benaderd worden" in page


def test_a_withdrawn_objection_no_longer_refuses(objected, partner, caseworker):
    [objection] = objections_for_case(case=objected)
    objection_withdraw(objection_id=objection.pk, case_id=objected.pk, user=caseworker)
    assert deliver(partner, csv_bytes([row(partner_referentie="H-4")])).accepted_count == 1
    assert not objections_for_case(case=objected).exists()


def test_health_insurers_cannot_be_objected_to_and_a_date_cannot_be_in_the_future(objected, caseworker):
    resident = objected.household.residents.get()
    with pytest.raises(CaseActionRefused, match="verhuurders, energie- en waterbedrijven"):
        objection_record(
            case_id=objected.pk,
            user=caseworker,
            resident_id=resident.pk,
            partner_types=["Zorg"],
            no_contact=False,
            objected_on=date(2026, 11, 20),
            source="brief",
        )
    with pytest.raises(CaseActionRefused, match="toekomst"):
        objection_record(
            case_id=objected.pk,
            user=caseworker,
            resident_id=resident.pk,
            partner_types=["Water"],
            no_contact=False,
            objected_on=date(2099, 1, 1),
            source="brief",
        )


def test_caseworker_records_and_withdraws_an_objection_on_the_case_page(client, partner, caseworker):
    deliver(partner, csv_bytes([row(partner_referentie="H-9")]))
    case = Case.objects.get()
    resident = case.household.residents.get()
    client.force_login(caseworker)
    client.post(
        reverse("objection-create", args=[case.pk]),
        {
            "resident": resident.pk,
            "partner_types": ["Water"],
            "objected_on": "2026-11-21",
            "source": "telefoon",
        },
    )
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Bezwaar tegen signalen van Water" in page and "sinds 21-11-2026 (telefonisch)" in page
    [objection] = objections_for_case(case=case)
    client.post(reverse("objection-withdraw", args=[case.pk, objection.pk]))
    assert 'data-testid="objection"' not in client.get(reverse("case-detail", args=[case.pk])).content.decode()


def test_an_objection_without_a_choice_is_explained(client, partner, caseworker):
    deliver(partner, csv_bytes([row(partner_referentie="H-8")]))
    case = Case.objects.get()
    client.force_login(caseworker)
    response = client.post(
        reverse("objection-create", args=[case.pk]),
        {
            "resident": case.household.residents.get().pk,
            "objected_on": "2026-11-21",
            "source": "brief",
        },
        follow=True,
    )
    assert "Kies de soorten partners of" in response.content.decode()
