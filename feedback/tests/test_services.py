"""Feedback follows the AP/DDAS rules: what each end result tells each partner."""

from datetime import date, timedelta

import pytest

from cases.models import HELP_OUTCOMES, OUTCOMES_BY_STATE, CaseState, Outcome
from cases.services import case_close
from feedback.models import CollectionPause, Feedback, FeedbackResult
from feedback.services import feedback_consent_record
from testkit.action_plans import plan_with_copy
from testkit.case_steps import case_walk_to
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)


def _told(case) -> set[tuple[str, str, str]]:
    return set(Feedback.objects.filter(case=case).values_list("partner__code", "signal__partner_referentie", "result"))


def test_help_accepted_tells_every_partner_at_once_with_the_pause_end(household_case, caseworker):
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    assert _told(household_case) == {
        ("test-huur", "HUUR-7", FeedbackResult.HELP_ACCEPTED),
        ("test-water", "WATER-3", FeedbackResult.HELP_ACCEPTED),
    }
    assert set(Feedback.objects.values_list("pause_ends_on", flat=True)) == {ON + timedelta(days=30)}
    pauses = CollectionPause.objects.filter(case=household_case)
    assert sorted(p.partner.code for p in pauses) == ["test-huur", "test-water"]
    assert {(p.starts_on, p.ends_on) for p in pauses} == {(ON, date(2026, 12, 20))}


EXPECTED = {
    Outcome.NOT_PICKED_UP_REPEAT: FeedbackResult.REPEATED,
    Outcome.NOT_PICKED_UP_UNJUSTIFIED: FeedbackResult.UNJUSTIFIED,
    Outcome.NOT_A_RESIDENT: FeedbackResult.NOT_A_RESIDENT,
    Outcome.DECEASED: FeedbackResult.DECEASED,
    Outcome.NOT_PICKED_UP_OTHER: FeedbackResult.NOT_PICKED_UP,
    Outcome.KNOWN_TO_DEBT_HELP: FeedbackResult.NOT_PICKED_UP,  # never the reason
}
CLOSINGS = [(state, outcome) for state, outcomes in OUTCOMES_BY_STATE.items() for outcome in outcomes]


@pytest.mark.parametrize("state, outcome", CLOSINGS)
def test_every_end_result_from_every_stage(household_case, caseworker, state, outcome):
    case_walk_to(state, household_case, caseworker, on=ON)
    if outcome in HELP_OUTCOMES:
        plan_with_copy(household_case, caseworker)
    case_close(case_id=household_case.pk, user=caseworker, outcome=outcome, reason="geheime reden")
    results = set(Feedback.objects.filter(case=household_case).values_list("result", flat=True))
    if state == CaseState.HELP_ACCEPTED:
        expected = {FeedbackResult.HELP_ACCEPTED}  # told at acceptance; how help ends is not theirs
    elif outcome in EXPECTED:
        expected = {EXPECTED[outcome]}
    else:
        expected = set()  # declined, not reached, referred: nothing at person level
    assert results == expected
    assert not Feedback.objects.filter(detail__gt="").exists()


@pytest.mark.parametrize("outcome", [Outcome.DECLINED, Outcome.PAID_ALREADY, Outcome.NO_REACTION])
def test_with_the_residents_consent_the_partner_hears_the_end_result(household_case, caseworker, outcome):
    case_walk_to(CaseState.CONTACT, household_case, caseworker, on=ON)
    feedback_consent_record(case_id=household_case.pk, user=caseworker, given_on=ON, how="schriftelijk")
    case_close(case_id=household_case.pk, user=caseworker, outcome=outcome)
    told = Feedback.objects.filter(case=household_case)
    assert told.count() == 2
    assert {(f.result, f.detail) for f in told} == {(FeedbackResult.CLOSED_WITH_CONSENT, outcome)}


def test_consent_does_not_reveal_why_a_signal_was_not_picked_up(household_case, caseworker):
    feedback_consent_record(case_id=household_case.pk, user=caseworker, given_on=ON, how="mondeling")
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.KNOWN_TO_DEBT_HELP)
    assert set(Feedback.objects.values_list("result", "detail")) == {(FeedbackResult.NOT_PICKED_UP, "")}


def test_repeats_at_intake_are_fed_back_as_repeats(partner):
    deliver(
        partner, csv_bytes([row(partner_referentie="R-1", bedrag_achterstand="500,00")]), received_on=date(2026, 11, 2)
    )
    deliver(
        partner, csv_bytes([row(partner_referentie="R-1", bedrag_achterstand="400,00")]), received_on=date(2026, 11, 20)
    )
    [repeat] = Feedback.objects.all()
    assert repeat.result == FeedbackResult.REPEATED and repeat.case is None
    assert repeat.signal.received_on == date(2026, 11, 20)


def test_a_signal_that_joins_a_case_in_help_tells_its_partner_at_once(partner, water, caseworker):
    deliver(partner, csv_bytes([row(partner_referentie="HUUR-1")]))
    from cases.models import Case

    case = Case.objects.get()
    case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=ON)
    deliver(
        water, csv_bytes([row(partner_referentie="WATER-9", signaal_type="drinkwater")]), received_on=date(2026, 11, 25)
    )
    late = Feedback.objects.get(partner=water)
    assert (late.result, late.pause_ends_on) == (FeedbackResult.HELP_ACCEPTED, date(2026, 12, 25))
    assert CollectionPause.objects.get(partner=water).starts_on == date(2026, 11, 25)


def test_feedback_is_given_once_however_often_the_service_runs(household_case, caseworker):
    from feedback.services import feedback_case_closed

    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.DECEASED)
    feedback_case_closed(case=household_case, outcome=Outcome.DECEASED)
    assert Feedback.objects.count() == 2  # one per signal


def test_help_accepted_pauses_collection_only_at_partners_that_joined_the_lcv(household_case, water, caseworker):
    """LCV: partners that joined pause collection 30 days; the water company did not
    join, so it hears "hulp geaccepteerd" without a pause (the pause is an LCV
    agreement, not law: NVVK module, note 4)."""
    water.lcv_member = False
    water.save()
    case_walk_to(CaseState.HELP_ACCEPTED, household_case, caseworker, on=ON)
    assert set(Feedback.objects.values_list("partner__code", "result", "pause_ends_on")) == {
        ("test-huur", FeedbackResult.HELP_ACCEPTED, date(2026, 12, 20)),  # 20 November + 30 days
        ("test-water", FeedbackResult.HELP_ACCEPTED, None),
    }
    assert list(CollectionPause.objects.values_list("partner__code", "starts_on", "ends_on")) == [
        ("test-huur", ON, date(2026, 12, 20)),
    ]


def test_a_late_signal_of_a_partner_outside_the_lcv_gets_no_pause(partner, water, caseworker):
    water.lcv_member = False
    water.save()
    deliver(partner, csv_bytes([row(partner_referentie="HUUR-1")]))
    from cases.models import Case

    case = Case.objects.get()
    case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=ON)
    deliver(
        water, csv_bytes([row(partner_referentie="WATER-9", signaal_type="drinkwater")]), received_on=date(2026, 11, 25)
    )
    late = Feedback.objects.get(partner=water)
    assert (late.result, late.pause_ends_on) == (FeedbackResult.HELP_ACCEPTED, None)
    assert not CollectionPause.objects.filter(partner=water).exists()


@pytest.mark.parametrize("state", [CaseState.NEW, CaseState.OUTREACH])
def test_a_referral_without_the_resident_is_never_fed_back_not_even_with_consent(household_case, caseworker, state):
    """DDAS "Verwijzing zonder contact": registered with another agency without the
    resident knowing or agreeing, so no consent covers telling a partner."""
    case_walk_to(state, household_case, caseworker, on=ON)
    feedback_consent_record(case_id=household_case.pk, user=caseworker, given_on=ON, how="schriftelijk")
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.REFERRAL_WITHOUT_RESIDENT)
    assert not Feedback.objects.filter(case=household_case).exists()


def test_the_resident_told_of_consent_feedback_is_recorded_after_it_went_out(household_case, caseworker):
    from cases.services import CaseActionRefused
    from feedback.models import FeedbackConsent
    from feedback.services import feedback_consent_resident_told

    case_walk_to(CaseState.CONTACT, household_case, caseworker, on=ON)
    feedback_consent_record(case_id=household_case.pk, user=caseworker, given_on=ON, how="mondeling")
    with pytest.raises(CaseActionRefused, match="nog niets op grond van de toestemming"):
        feedback_consent_resident_told(case_id=household_case.pk, user=caseworker, told_on=ON)
    case_close(case_id=household_case.pk, user=caseworker, outcome=Outcome.DECLINED)
    with pytest.raises(CaseActionRefused, match="vóór de toestemming"):
        feedback_consent_resident_told(case_id=household_case.pk, user=caseworker, told_on=ON - timedelta(days=1))
    feedback_consent_resident_told(case_id=household_case.pk, user=caseworker, told_on=ON + timedelta(days=1))
    assert FeedbackConsent.objects.get(case=household_case).resident_told_on == date(2026, 11, 21)
