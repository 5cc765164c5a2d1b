"""A Plan van Aanpak through the real service, for tests that close a case with a
result of help (outreach.services.action_plan_close_check)."""

from datetime import date

from django.utils import timezone

from outreach.models import ActionPlan, CopyHow
from outreach.services import action_plan_save


def plan_with_copy(case, user, *, copy_given_on: date | None = None, copy_how: str = CopyHow.IN_PERSON) -> ActionPlan:
    """A new plan version with one agreed action, of which the resident got a copy
    (today unless said otherwise)."""
    return action_plan_save(
        case_id=case.pk,
        user=user,
        data={
            "arrears": "Huurachterstand",
            "actions": [{"who": "Inwoner", "what": "Betalingsregeling maken", "when": ""}],
            "copy_given_on": copy_given_on or timezone.localdate(),
            "copy_how": copy_how,
        },
    )
