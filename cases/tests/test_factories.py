"""The factories build what intake and the case services would: a test that uses them
instead of delivering a file sees the same rows (testkit/factories.py)."""

from datetime import date

import pytest

from cases.models import Case, CaseState, Outcome, ResidentKey
from cases.services import case_close, case_reopen
from signals.models import Signal, SignalStatus
from testkit.case_steps import case_walk_to
from testkit.factories import CaseFactory, ResidentFactory, SignalFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 11, 27)
CASE_FIELDS = [
    "state",
    "signal_count",
    "total_amount",
    "partner_type_mask",
    "has_crisis",
    "crisis_proposed_on",
    "first_received_on",
    "contact_due",
    "lcv_target",
    "effort_due",
    "next_due",
]
SIGNAL_FIELDS = [
    "partner_referentie",
    "signal_type",
    "crisis",
    "amount",
    "bsn",
    "initials",
    "prefix",
    "surname",
    "birth_date",
    "street",
    "house_number",
    "house_number_suffix",
    "postcode",
    "city",
    "phone",
    "email",
    "status",
    "is_repeat",
    "received_on",
    "person_key",
]


def _rows(case: Case) -> dict:
    signals = case.signals.order_by("partner_referentie")
    return {
        "case": {f: getattr(case, f) for f in CASE_FIELDS},
        "signals": [{f: getattr(s, f) for f in SIGNAL_FIELDS} for s in signals],
        "residents": sorted(
            (r.person_key, r.bsn, r.surname, sorted(r.keys.values_list("key", flat=True)))
            for r in case.household.residents.all()
        ),
        "links": {(s.partner_referentie, s.resident.person_key, s.delivery.partner_id) for s in signals},
    }


def test_a_case_with_signals_is_the_case_intake_makes(partner, municipality, other_municipality):
    deliver(
        partner,
        csv_bytes(
            [
                row(gemeentecode="9999", partner_referentie="A"),
                row(gemeentecode="9999", partner_referentie="B", bsn="", crisissignaal="ja"),
            ]
        ),
        received_on=RECEIVED,
    )
    delivered = Case.objects.get()

    made = CaseFactory(
        household__municipality=other_municipality,
        household__postcode="1234AB",
        household__house_number=12,
        first_received_on=RECEIVED,
    )
    SignalFactory(case=made, partner=partner, partner_referentie="A")
    SignalFactory(case=made, partner=partner, partner_referentie="B", bsn="", crisis=True)
    made = Case.objects.get(pk=made.pk)

    assert _rows(made) == _rows(delivered)
    assert other_municipality in partner.municipalities.all()


def test_signals_given_as_partners_share_one_resident_and_the_totals(partner, municipality):
    from signals.models import PARTNER_TYPE_BITS, PartnerType
    from testkit.factories import PartnerFactory

    water = PartnerFactory(partner_type=PartnerType.WATER)
    case = CaseFactory(household__municipality=municipality, signals=[partner, water], signals__amount=100)
    assert (case.signal_count, case.total_amount) == (2, 200)
    assert case.partner_type_mask == PARTNER_TYPE_BITS[PartnerType.HUUR] | PARTNER_TYPE_BITS[PartnerType.WATER]
    [resident] = case.household.residents.all()
    assert set(case.signals.values_list("resident", flat=True)) == {resident.pk}
    assert {s.signal_type for s in case.signals.all()} == {"huur", "drinkwater"}
    assert Case.objects.get(pk=case.pk).total_amount == 200
    assert CaseFactory(signals=3).signals.count() == 3


def test_a_resident_is_found_by_any_of_its_keys(municipality):
    resident = ResidentFactory(household__municipality=municipality)
    assert set(ResidentKey.objects.filter(resident=resident).values_list("key", flat=True)) == {
        "bsn:999999990",
        "name:devries|1980-05-17",
    }
    assert ResidentFactory(household=resident.household, bsn="") == resident
    assert ResidentFactory(household=resident.household, surname="Jansen") == resident  # same BSN
    other = ResidentFactory(household=resident.household, bsn="", surname="Jansen")
    assert other != resident and other.person_key == "name:dejansen|1980-05-17"


@pytest.mark.parametrize(
    "state, outcome",
    [
        (CaseState.NEW, None),
        (CaseState.OUTREACH, None),
        (CaseState.HELP_ACCEPTED, None),
        (CaseState.NEW, Outcome.NOT_PICKED_UP_REPEAT),
        (CaseState.NEW, Outcome.REFERRAL_WITHOUT_RESIDENT),
        (CaseState.OUTREACH, Outcome.NOT_A_RESIDENT),
        (CaseState.OUTREACH, Outcome.NO_CONTACT),
    ],
)
def test_signal_statuses_are_those_the_case_services_give(caseworker, teamlead, municipality, state, outcome):
    walked = CaseFactory(household__municipality=municipality, signals=1)
    case_walk_to(state, walked, caseworker, on=date(2026, 11, 3))
    trait = {CaseState.OUTREACH: "outreach", CaseState.HELP_ACCEPTED: "help_accepted"}.get(state)
    made = {"household__municipality": municipality, "signals": 1, **({trait: True} if trait else {})}
    if outcome:
        case_close(case_id=walked.pk, user=caseworker, outcome=outcome)
        made.update(closed=True, closed_from=state, outcome=outcome)
        if outcome not in (Outcome.NOT_PICKED_UP_REPEAT, Outcome.NOT_A_RESIDENT):
            made["picked_up_on"] = date(2026, 11, 3)
    expected = set(walked.signals.values_list("status", flat=True))
    assert set(CaseFactory(**made).signals.values_list("status", flat=True)) == expected
    if outcome:
        case_reopen(case_id=walked.pk, user=teamlead, reason="test")
        # Back in 'new' a case is not picked up (Case.reopen).
        dropped = ("closed", "closed_from", "outcome", *(["picked_up_on"] if state == CaseState.NEW else []))
        reopened = {k: v for k, v in made.items() if k not in dropped}
        expected = set(walked.signals.values_list("status", flat=True))
        assert set(CaseFactory(**reopened).signals.values_list("status", flat=True)) == expected
    assert Signal.objects.exclude(status__in=SignalStatus.values).count() == 0
