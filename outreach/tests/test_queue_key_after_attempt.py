"""A contact attempt moves its case in the queue at once (the stored sort key:
cases/queue_keys.py): approached, the 4-week term no longer waits, so the case leaves
the top of the queue for the cases whose terms still wait."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from cases.queue_keys import queue_keys_current
from cases.selectors import queue_for_user
from outreach.models import ContactKind
from outreach.services import contact_attempt_record
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_an_attempt_sends_a_late_case_behind_the_cases_still_waiting(municipality, caseworker):
    today = timezone.localdate()
    late = CaseFactory(household__municipality=municipality, outreach=True, contact_due=today - timedelta(days=2))
    waiting = CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=10))
    assert queue_keys_current(today=today)
    assert [c.pk for c in queue_for_user(user=caseworker, today=today)] == [late.pk, waiting.pk]

    contact_attempt_record(
        case_id=late.pk, user=caseworker, kind=ContactKind.PHONE, reached=False, attempted_at=timezone.now()
    )
    assert Case.objects.get(pk=late.pk).queue_due is None  # no deadline waits for a step now
    assert [c.pk for c in queue_for_user(user=caseworker, today=today)] == [waiting.pk, late.pk]
