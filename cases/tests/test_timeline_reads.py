"""The case timeline reads the case's steps, contact attempts, notes and contact-plan
changes in one query, and shows each as before: who did it, in order, ties kept in
the order they were recorded."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseState
from cases.services import case_pick_up
from cases.timeline import case_timeline
from outreach.models import ContactKind
from outreach.services import contact_attempt_record, note_add
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_steps_attempts_and_notes_in_one_query_newest_first(caseworker, teamlead, partner, municipality):
    case = CaseFactory(household__municipality=municipality, signals=[partner])
    case_pick_up(case_id=case.pk, user=caseworker)
    at = timezone.now() - timedelta(hours=1)
    contact_attempt_record(
        case_id=case.pk, user=caseworker, kind=ContactKind.PHONE, reached=False, attempted_at=at, note="Voicemail"
    )
    contact_attempt_record(case_id=case.pk, user=teamlead, kind=ContactKind.HOME_VISIT, reached=False, attempted_at=at)
    note_add(case_id=case.pk, user=teamlead, text="Morgen opnieuw\nbellen")
    case.refresh_from_db()

    with CaptureQueriesContext(connection) as queries:
        events = case_timeline(
            case, signals=[], findings=[], crisis_terms=[], reads={"feedback": [], "collection_pauses": []}
        )
    assert len(queries) == 1

    def name(user):
        return user.get_full_name() or user.get_username()

    assert [(e.kind, e.title.split(",")[0], e.detail, e.who) for e in events] == [
        ("note", "Notitie", "Morgen opnieuw\nbellen", name(teamlead)),
        ("step", f"{CaseState.NEW.label} → {CaseState.OUTREACH.label}", "", name(caseworker)),
        ("attempt", "Contactpoging: Telefoon", "Voicemail", name(caseworker)),  # recorded first
        ("attempt", "Contactpoging: Huisbezoek", "", name(teamlead)),
    ]
    assert all(", niet bereikt" in e.title for e in events[2:])
    assert events[0].at > events[1].at > events[2].at == events[3].at
