"""Two people act on one case at once: exactly one wins (PostgreSQL, real transactions)."""

import threading

import pytest
from django.db import connection

from cases.models import CaseState, Outcome
from cases.services import CaseActionRefused, case_close, case_pick_up
from testkit.factories import CaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_pick_up_and_close_at_the_same_moment(make_user, municipality):
    case = CaseFactory(household__municipality=municipality)
    first, second = make_user("caseworker"), make_user("caseworker")
    barrier = threading.Barrier(2)
    outcomes = []

    def act(service, user, **kwargs):
        try:
            barrier.wait()
            service(case_id=case.pk, user=user, expected_state=CaseState.NEW, **kwargs)
            outcomes.append("won")
        except CaseActionRefused as refused:
            outcomes.append(refused.message)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(case_pick_up, first)),
        threading.Thread(target=act, args=(case_close, second), kwargs={"outcome": Outcome.NOT_PICKED_UP_OTHER}),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == sorted(
        ["won", "De zaak is intussen gewijzigd door iemand anders. Bekijk de zaak opnieuw."]
    )
    case.refresh_from_db()
    assert case.state in (CaseState.OUTREACH, CaseState.CLOSED)
