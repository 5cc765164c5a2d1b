"""Each deadline rule has one definition (cases/deadlines.py) that answers for a case in
Python and as an ORM condition for the reports; every branch of each rule, with the
expected answer written out by hand, and the two must agree.

Seed (NVVK module Vroegsignalering, "Termijn"): "Binnen 4 weken na het ontvangen van het
signaal, moet de gemeente de klant benaderd hebben en - bij acceptatie hulp - een eerste
gesprek gevoerd hebben." Wgs art. 4 lid 2 / NVVK: "binnen 3 werkdagen hulp en een eerste
gesprek". None = the term does not count (no term, withdrawn, or the case was closed by
its last day with nobody to approach).
"""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from cases import deadlines
from cases.models import Case, CaseState, CrisisTerm, Outcome
from cases.queue_keys import cases_queue_refresh
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db

DUE = date(2026, 11, 16)  # a Monday: the last day of every term below
BEFORE, ON, AFTER = date(2026, 11, 10), DUE, date(2026, 11, 20)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def closed(outcome: str, on: datetime, **fields) -> dict:
    return {"state": CaseState.CLOSED, "outcome": outcome, "closed_at": on, **fields}


# (description, case fields, expected met) for a term ending on DUE.
LEGAL = [
    ("no legal term (CAK list)", {"contact_due": None}, None),
    ("open, never approached", {}, False),
    ("letter on the last day, no help (yet)", {"first_attempt_on": ON}, True),
    ("reached without an earlier attempt, in time", {"first_contact_on": BEFORE}, True),
    ("first letter after the term", {"first_attempt_on": AFTER}, False),
    (
        "letter in time, conversation after the term, help accepted",
        {"first_attempt_on": BEFORE, "first_contact_on": AFTER, "help_accepted_on": AFTER},
        False,
    ),
    (
        "letter in time, conversation after the term, help declined",
        closed(Outcome.DECLINED, at(AFTER), first_attempt_on=BEFORE, first_contact_on=AFTER),
        True,
    ),
    (
        "letter and conversation in time, help accepted after the term",
        {"first_attempt_on": BEFORE, "first_contact_on": ON, "help_accepted_on": AFTER},
        True,
    ),
    ("'geen inwoner' before the term ended, never approached", closed(Outcome.NOT_A_RESIDENT, at(BEFORE)), None),
    ("'overleden' at 23:30 on the last day (local time)", closed(Outcome.DECEASED, at(ON, 23, 30)), None),
    ("'overleden' at 00:30 the day after (local time)", closed(Outcome.DECEASED, at(date(2026, 11, 17), 0, 30)), False),
    ("'herhaalde melding' after the term ended", closed(Outcome.NOT_PICKED_UP_REPEAT, at(AFTER)), False),
    (
        "'geen inwoner' before the end, but approached in time",
        closed(Outcome.NOT_A_RESIDENT, at(BEFORE), first_attempt_on=BEFORE),
        True,
    ),
    ("'niet opgepakt: andere reden' before the term ended", closed(Outcome.NOT_PICKED_UP_OTHER, at(BEFORE)), False),
]
LCV = [
    ("no LCV target (CAK list)", {"lcv_target": None}, None),
    ("only a letter in time: the target asks for a conversation", {"first_attempt_on": BEFORE}, False),
    ("conversation on the last day", {"first_contact_on": ON}, True),
    ("conversation after the target", {"first_contact_on": AFTER}, False),
    ("'onterecht signaal' before the target", closed(Outcome.NOT_PICKED_UP_UNJUSTIFIED, at(BEFORE)), None),
]
CAK = [
    ("no own term (not a CAK case)", {"effort_due": None}, None),
    ("approached on the last day", {"first_attempt_on": ON}, True),
    ("never approached", {}, False),
    ("'al bekend bij schuldhulpverlening' before the end", closed(Outcome.KNOWN_TO_DEBT_HELP, at(BEFORE)), None),
]


def _agree(term: deadlines.CaseTerm, branches: list, municipality, **base):
    cases = [
        (text, CaseFactory(household__municipality=municipality, **{**base, **fields}), expected)
        for text, fields, expected in branches
    ]
    in_sql = dict(Case.objects.annotate(m=term.met_expression()).values_list("pk", "m"))
    met = set(Case.objects.filter(term.met_q()).values_list("pk", flat=True))
    counted = set(Case.objects.filter(term.counted_q()).values_list("pk", flat=True))
    for text, case, expected in cases:
        case.refresh_from_db()
        assert term.met(case) is expected, text
        assert in_sql[case.pk] is expected, text
        assert (case.pk in met, case.pk in counted) == (expected is True, expected is not None), text


def test_legal_term_in_python_and_sql(municipality):
    _agree(deadlines.LEGAL_TERM, LEGAL, municipality, contact_due=DUE)


def test_lcv_target_in_python_and_sql(municipality):
    _agree(deadlines.LCV_TARGET, LCV, municipality, lcv_target=DUE)


def test_cak_term_in_python_and_sql(municipality):
    _agree(deadlines.CAK_EFFORT, CAK, municipality, effort_due=DUE, contact_due=None, lcv_target=None)


def test_crisis_term_in_python_and_sql(municipality, caseworker):
    """Judged Wed 11 Nov 2026: Thu 12, Fri 13, Mon 16 Nov (DUE). Met by a conversation on a
    day from the judgement to the last day: the first contact, or a later contact
    attempt that reached the resident (e.g. after help was accepted)."""
    judged = date(2026, 11, 11)
    assert deadlines.crisis_due(judged) == DUE

    def term(case_fields=None, attempts=(), **term_fields):
        case = CaseFactory(household__municipality=municipality, **(case_fields or {}))
        for day, reached in attempts:
            case.contact_attempts.create(
                kind="Telefoon", reached=reached, attempted_at=at(day), part_of_day="Ochtend", recorded_by=caseworker
            )
        cases_queue_refresh(case_ids=[case.pk])  # as outreach's service does
        return CrisisTerm.objects.create(case=case, judged_on=judged, due=DUE, **term_fields)

    branches = [
        ("no conversation yet", term(), False),
        ("first contact on the day of the judgement", term({"first_contact_on": judged}), True),
        ("first contact on the last day", term({"first_contact_on": DUE}), True),
        ("first contact after the term", term({"first_contact_on": AFTER}), False),
        (
            "reached by phone on the last day, first contact long before",
            term({"first_contact_on": date(2026, 11, 3)}, attempts=[(DUE, True)]),
            True,
        ),
        (
            "called in time but not reached",
            term({"first_contact_on": date(2026, 11, 3)}, attempts=[(DUE, False)]),
            False,
        ),
        ("reached the day before the judgement only", term(attempts=[(date(2026, 11, 10), True)]), False),
        ("withdrawn, though met", term({"first_contact_on": DUE}, withdrawn_at=at(AFTER)), None),
        ("'overleden' before the end, no conversation", term(closed(Outcome.DECEASED, at(BEFORE))), None),
        ("'overleden' after the end, no conversation", term(closed(Outcome.DECEASED, at(AFTER))), False),
    ]
    met = set(CrisisTerm.objects.filter(deadlines.crisis_term_met_q()).values_list("pk", flat=True))
    counted = set(CrisisTerm.objects.filter(deadlines.crisis_term_counted_q()).values_list("pk", flat=True))
    for text, crisis_term, expected in branches:
        crisis_term = CrisisTerm.objects.select_related("case").get(pk=crisis_term.pk)
        assert deadlines.crisis_term_met(crisis_term) is expected, text
        assert (crisis_term.pk in met, crisis_term.pk in counted) == (expected is True, expected is not None), text


def test_crisis_awaiting_a_conversation_in_python_and_sql(municipality, caseworker):
    """Priority and the daily crisis reminders: a judged term and nobody spoken to since."""
    judged = date(2026, 11, 11)
    branches = [
        ("no crisis term", {}, False),
        ("judged, no contact yet", {"crisis_judged_on": judged, "crisis_due": DUE}, True),
        ("judged, contact made since", {"crisis_judged_on": judged, "crisis_due": DUE, "first_contact_on": DUE}, False),
        (
            "judged after help was accepted, nobody spoken to since",
            {
                "crisis_judged_on": judged,
                "crisis_due": DUE,
                "first_contact_on": date(2026, 11, 3),
                "help_accepted_on": date(2026, 11, 4),
            },
            True,
        ),
    ]
    cases = [
        (text, CaseFactory(household__municipality=municipality, **fields), expected)
        for text, fields, expected in branches
    ]
    reached_since = CaseFactory(
        household__municipality=municipality,
        crisis_judged_on=judged,
        crisis_due=DUE,
        first_contact_on=date(2026, 11, 3),
        help_accepted_on=date(2026, 11, 4),
    )
    reached_since.contact_attempts.create(
        kind="Huisbezoek",
        reached=True,
        attempted_at=at(date(2026, 11, 12)),
        part_of_day="Ochtend",
        recorded_by=caseworker,
    )
    cases_queue_refresh(case_ids=[reached_since.pk])  # as outreach's service does
    cases.append(("judged after help was accepted, visited and reached since", reached_since, False))
    waiting = set(Case.objects.filter(deadlines.crisis_awaits_conversation_q()).values_list("pk", flat=True))
    for text, case, expected in cases:
        assert deadlines.crisis_awaits_conversation(case) is expected, text
        assert (case.pk in waiting) is expected, text
