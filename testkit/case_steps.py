"""Walking a case through the real services to a state, as a caseworker would."""

from datetime import date

from cases.models import CaseState
from cases.services import case_accept_help, case_make_contact, case_pick_up


def case_walk_to(state: str, case, user, *, on: date) -> None:
    """Pick the case up, make contact and accept help, as far as `state` needs (all on `on`)."""
    if state in (CaseState.OUTREACH, CaseState.CONTACT, CaseState.HELP_ACCEPTED):
        case_pick_up(case_id=case.pk, user=user, on=on)
    if state in (CaseState.CONTACT, CaseState.HELP_ACCEPTED):
        case_make_contact(case_id=case.pk, user=user, on=on)
    if state == CaseState.HELP_ACCEPTED:
        case_accept_help(case_id=case.pk, user=user, on=on)
