"""The case workflow: every allowed and forbidden transition, every DDAS end result,
permissions, signal statuses and the log of who did what and why."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

from cases.models import OUTCOMES_BY_STATE, CaseState, Outcome
from cases.services import (
    CaseActionRefused,
    case_accept_help,
    case_close,
    case_make_contact,
    case_mark_threatening,
    case_pick_up,
    case_reopen,
)
from signals.models import SignalStatus
from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

STEPS = {
    "pick_up": (case_pick_up, CaseState.NEW, CaseState.OUTREACH),
    "make_contact": (case_make_contact, CaseState.OUTREACH, CaseState.CONTACT),
    "accept_help": (case_accept_help, CaseState.CONTACT, CaseState.HELP_ACCEPTED),
}
TRAIT = {
    CaseState.NEW: {},
    CaseState.OUTREACH: {"outreach": True},
    CaseState.CONTACT: {"contact": True},
    CaseState.HELP_ACCEPTED: {"help_accepted": True},
    CaseState.CLOSED: {"closed": True},
}


def case_in(state, municipality):
    return CaseFactory(household__municipality=municipality, **TRAIT[state])


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("state", list(TRAIT))
def test_every_forward_step_from_every_state(step, state, caseworker, municipality):
    service, source, target = STEPS[step]
    case = case_in(state, municipality)
    if state == source:
        service(case_id=case.pk, user=caseworker, expected_state=None, on=date(2026, 11, 10))
        case.refresh_from_db()
        assert case.state == target
        log = StateLog.objects.for_(case).get()
        assert (log.source_state, log.state, log.by) == (source, target, caseworker)
        assert AuditEntry.objects.filter(action=AuditAction.TRANSITION, object_id=str(case.pk)).exists()
    else:
        with pytest.raises(CaseActionRefused, match="kan niet bij een zaak met status"):
            service(case_id=case.pk, user=caseworker, expected_state=None)
        case.refresh_from_db()
        assert case.state == state


@pytest.mark.parametrize("state", [s for s in TRAIT if s != CaseState.CLOSED])
@pytest.mark.parametrize("outcome", Outcome.values)
def test_every_end_result_from_every_open_state(state, outcome, caseworker, municipality, monkeypatch):
    # The state machine alone: what higher layers require first (cases.hooks close
    # checks, e.g. outreach's Plan van Aanpak) is tested with those layers.
    from cases import hooks

    monkeypatch.setattr(hooks.close_check, "_listeners", [])
    case = case_in(state, municipality)
    if outcome in OUTCOMES_BY_STATE[state]:
        case_close(case_id=case.pk, user=caseworker, outcome=outcome, reason="test")
        case.refresh_from_db()
        assert (case.state, case.outcome, case.closed_from) == (CaseState.CLOSED, outcome, state)
        assert case.closed_at is not None
    else:
        with pytest.raises(CaseActionRefused, match="past niet bij een zaak"):
            case_close(case_id=case.pk, user=caseworker, outcome=outcome)
        case.refresh_from_db()
        assert case.state == state and case.outcome == ""


def test_all_sixteen_end_results_are_reachable():
    reachable = {o for outcomes in OUTCOMES_BY_STATE.values() for o in outcomes}
    assert reachable == set(Outcome.values)
    assert len(reachable) == 16


def test_a_closed_case_cannot_be_closed_again(caseworker, municipality):
    case = case_in(CaseState.CLOSED, municipality)
    with pytest.raises(CaseActionRefused, match="kan niet bij een zaak met status 'gesloten'|closed"):
        case_close(case_id=case.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)


@pytest.fixture
def case_with_signals(partner, municipality):
    """A new case with two signals of one file about one resident, one without a BSN."""
    case = CaseFactory(household__municipality=municipality)
    delivery = DeliveryFactory(partner=partner, received_on=case.first_received_on)
    SignalFactory(case=case, partner=partner, delivery=delivery, partner_referentie="A")
    SignalFactory(case=case, partner=partner, delivery=delivery, partner_referentie="B", bsn="")
    return case


def test_signal_statuses_follow_the_case(case_with_signals, caseworker, teamlead):
    signals = case_with_signals.signals.all()
    assert {s.status for s in signals} == {SignalStatus.NOT_PICKED_UP_YET}
    case_pick_up(case_id=case_with_signals.pk, user=caseworker)
    assert {s.status for s in signals.all()} == {SignalStatus.PICKED_UP}
    case_close(case_id=case_with_signals.pk, user=caseworker, outcome=Outcome.NOT_A_RESIDENT)
    assert {s.status for s in signals.all()} == {SignalStatus.NOT_A_RESIDENT}
    case_reopen(case_id=case_with_signals.pk, user=teamlead, reason="Verhuisd binnen de gemeente")
    assert {s.status for s in signals.all()} == {SignalStatus.PICKED_UP}


@pytest.mark.parametrize(
    "outcome, status",
    [
        (Outcome.NOT_PICKED_UP_REPEAT, SignalStatus.REPEATED),
        (Outcome.NOT_PICKED_UP_UNJUSTIFIED, SignalStatus.UNJUSTIFIED),
        (Outcome.NOT_PICKED_UP_OTHER, SignalStatus.OTHER_REASON),
        (Outcome.DECEASED, SignalStatus.DECEASED),
        (Outcome.KNOWN_TO_DEBT_HELP, SignalStatus.KNOWN_TO_DEBT_HELP),
        (Outcome.REFERRAL_WITHOUT_RESIDENT, SignalStatus.PICKED_UP),
    ],
)
def test_closing_from_new_gives_the_matching_signal_status(case_with_signals, caseworker, outcome, status):
    case_close(case_id=case_with_signals.pk, user=caseworker, outcome=outcome)
    assert set(case_with_signals.signals.values_list("status", flat=True)) == {status}


def test_reopen_goes_back_to_the_stage_it_was_closed_from(caseworker, teamlead, municipality):
    case = case_in(CaseState.CONTACT, municipality)
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.DECLINED)
    case = case_reopen(case_id=case.pk, user=teamlead, reason="Verkeerd resultaat gekozen")
    assert (case.state, case.outcome, case.closed_at) == (CaseState.CONTACT, "", None)
    log = StateLog.objects.for_(case).latest("timestamp")
    assert (log.source_state, log.state, log.description) == (
        CaseState.CLOSED,
        CaseState.CONTACT,
        "Verkeerd resultaat gekozen",
    )


def test_reopen_is_for_team_leads_with_a_reason(caseworker, teamlead, municipality):
    case = case_in(CaseState.CLOSED, municipality)
    with pytest.raises(CaseActionRefused, match="mag deze stap"):
        case_reopen(case_id=case.pk, user=caseworker, reason="graag")
    with pytest.raises(CaseActionRefused, match="reden"):
        case_reopen(case_id=case.pk, user=teamlead, reason="  ")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_reopen_refused_when_the_household_has_a_new_open_case(teamlead, municipality):
    old = case_in(CaseState.CLOSED, municipality)
    CaseFactory(household=old.household)  # a new signal started a new case meanwhile
    with pytest.raises(CaseActionRefused, match="nieuwe open zaak"):
        case_reopen(case_id=old.pk, user=teamlead, reason="fout")


@pytest.mark.parametrize("role", ["partner_user", "functional_admin"])
def test_partner_users_and_admins_change_no_case(role, make_user, partner, municipality):
    user = make_user(role, **({"partner": partner} if role == "partner_user" else {}))
    case = case_in(CaseState.NEW, municipality)
    with pytest.raises(CaseActionRefused, match="mag deze stap"):
        case_pick_up(case_id=case.pk, user=user)
    with pytest.raises(CaseActionRefused):
        case_close(case_id=case.pk, user=user, outcome=Outcome.NOT_PICKED_UP_OTHER)


def test_caseworker_of_another_municipality_cannot_touch_the_case(make_user, other_municipality, municipality):
    case = case_in(CaseState.NEW, municipality)
    outsider = make_user("caseworker", municipalities=[other_municipality])
    with pytest.raises(PermissionDenied):
        case_pick_up(case_id=case.pk, user=outsider)


def test_stale_screen_gets_the_changed_message(caseworker, municipality):
    case = case_in(CaseState.NEW, municipality)
    case_pick_up(case_id=case.pk, user=caseworker)
    with pytest.raises(CaseActionRefused, match="intussen gewijzigd"):
        case_close(case_id=case.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER, expected_state=CaseState.NEW)


def test_state_cannot_be_set_directly(municipality):
    case = case_in(CaseState.NEW, municipality)
    with pytest.raises(AttributeError):
        case.state = CaseState.CLOSED


def test_mark_threatening_starts_the_three_working_day_term(caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, outreach=True, first_received_on=date(2026, 3, 30))
    # Thursday 2 April 2026, before Easter: Goede Vrijdag (3 Apr), the weekend and tweede
    # Paasdag (6 Apr) don't count: Tue 7, Wed 8, Thu 9 April.
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 4, 2))
    assert (case.crisis_judged_on, case.crisis_due, case.next_due) == (
        date(2026, 4, 2),
        date(2026, 4, 9),
        date(2026, 4, 9),
    )
    # Found after help was accepted (6 Nov): a term too (NVVK module). Friday 20 Nov
    # 2026 + 3 working days: Mon 23, Tue 24, Wed 25 Nov.
    helped = case_in(CaseState.HELP_ACCEPTED, municipality)
    helped = case_mark_threatening(case_id=helped.pk, user=caseworker, on=date(2026, 11, 20))
    assert helped.crisis_due == date(2026, 11, 25)
    # Reached on 5 Nov and offered help, not accepted yet: no term, and the user is told why.
    offered = case_in(CaseState.CONTACT, municipality)
    with pytest.raises(CaseActionRefused, match="al hulp aangeboden"):
        case_mark_threatening(case_id=offered.pk, user=caseworker, on=date(2026, 11, 20))


def test_deadlines_met_are_kept_when_the_case_closes(caseworker, municipality):
    case = case_in(CaseState.CONTACT, municipality)  # contact on 5 Nov, received 2 Nov
    case = case_close(case_id=case.pk, user=caseworker, outcome=Outcome.PAID_ALREADY)
    assert (case.contact_due_met, case.lcv_target_met, case.crisis_due_met) == (True, True, None)
    late = CaseFactory(household__municipality=municipality, outreach=True)
    late = case_close(case_id=late.pk, user=caseworker, outcome=Outcome.NO_CONTACT)
    assert (late.contact_due_met, late.lcv_target_met) == (False, False)
    # Closed before its terms end as an unjustified signal: nobody to approach, no term.
    unpicked = CaseFactory(
        household__municipality=municipality, contact_due=date(2099, 1, 5), lcv_target=date(2098, 12, 22)
    )
    unpicked = case_close(case_id=unpicked.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_UNJUSTIFIED)
    assert (unpicked.contact_due_met, unpicked.lcv_target_met) == (None, None)
    # Never picked up for another reason (e.g. no staff) after its terms ended: missed.
    dropped = CaseFactory(
        household__municipality=municipality, contact_due=date(2026, 1, 5), lcv_target=date(2025, 12, 22)
    )
    dropped = case_close(case_id=dropped.pk, user=caseworker, outcome=Outcome.NOT_PICKED_UP_OTHER)
    assert (dropped.contact_due_met, dropped.lcv_target_met) == (False, False)
