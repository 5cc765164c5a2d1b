"""The queue's "Te laat" tile, its red rows and its deadline filter count the same
cases (issue 16): a deadline is late only while the step its rule asks for is still to
be taken after its last day. A term that was met shows the day it was met, one that
was missed says so; neither is "N dagen te laat"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseState
from outreach.models import ContactAttempt, ContactKind, PartOfDay
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


def dmy(day) -> str:
    return f"{day:%d-%m-%Y}"


@pytest.fixture
def queue(municipality, caseworker):
    """One case in each situation, by address (house number), with what the queue
    must show for it: True late (red), False not late."""
    m = {"household__municipality": municipality}
    late = {
        # New, never approached, 4-week term passed 3 days ago.
        1: CaseFactory(**m, household__house_number=1, contact_due=days(-3)),
        # A crisis term judged after help was accepted, nobody reached since: late,
        # though the 4-week term was met long ago.
        2: CaseFactory(
            **m,
            household__house_number=2,
            help_accepted=True,
            first_contact_on=days(-40),
            help_accepted_on=days(-39),
            contact_due=days(-35),
            crisis_judged_on=days(-4),
            crisis_due=days(-1),
        ),
        # New with a crisis term passed yesterday, the 4-week term still running.
        3: CaseFactory(
            **m, household__house_number=3, contact_due=days(20), crisis_judged_on=days(-4), crisis_due=days(-1)
        ),
        # CAK list: the municipality's own term passed, not approached.
        4: CaseFactory(**m, household__house_number=4, contact_due=None, lcv_target=None, effort_due=days(-2)),
    }
    not_late = {
        # Approached by letter within the term, no conversation: the term is met.
        11: CaseFactory(
            **m, household__house_number=11, outreach=True, first_attempt_on=days(-10), contact_due=days(-3)
        ),
        # First approached after the term: missed, nothing left to do about it.
        12: CaseFactory(
            **m, household__house_number=12, outreach=True, first_attempt_on=days(-1), contact_due=days(-3)
        ),
        # In contact within the term.
        13: CaseFactory(**m, household__house_number=13, contact=True, first_contact_on=days(-9), contact_due=days(-5)),
        # Issue 16: help accepted, term met 35 days ago, shown "35 dagen te laat".
        14: CaseFactory(
            **m,
            household__house_number=14,
            help_accepted=True,
            first_contact_on=days(-40),
            help_accepted_on=days(-38),
            contact_due=days(-35),
        ),
        # Help accepted, approached in time but the first conversation after the term.
        15: CaseFactory(
            **m,
            household__house_number=15,
            help_accepted=True,
            first_attempt_on=days(-20),
            first_contact_on=days(-10),
            help_accepted_on=days(-9),
            contact_due=days(-15),
        ),
        # A crisis term met by a conversation the day after the judgement.
        16: CaseFactory(
            **m,
            household__house_number=16,
            contact=True,
            first_contact_on=days(-3),
            contact_due=days(10),
            crisis_judged_on=days(-4),
            crisis_due=days(-1),
        ),
        # Running: 3 days left.
        17: CaseFactory(**m, household__house_number=17, contact_due=days(3)),
    }
    # The crisis term of case 2 is not met by a contact attempt that did not reach.
    ContactAttempt.objects.create(
        case=late[2],
        kind=ContactKind.PHONE,
        reached=False,
        attempted_at=timezone.now() - timedelta(days=2),
        part_of_day=PartOfDay.MORNING,
        recorded_by=caseworker,
    )
    return late, not_late


def _rows(page: str) -> dict[int, str]:
    """The text of each queue row's deadline cell, by house number."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        number = re.search(r"Dorpsstraat (\d+),", row)
        cell = re.search(r'data-testid="queue-deadline">(.*?)</td>', row, re.S)
        if number and cell:
            rows[int(number.group(1))] = cell.group(1)
    return rows


def _red(rows: dict[int, str]) -> set[int]:
    return {n for n, cell in rows.items() if 'class="overdue"' in cell}


def _tile(page: str, testid: str) -> int:
    return int(re.search(rf'data-testid="{testid}"[^>]*>(\d+)<', page).group(1))


def test_the_late_tile_counts_exactly_the_red_rows(client, caseworker, queue):
    late, not_late = queue
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    rows = _rows(page)
    assert set(rows) == set(late) | set(not_late)
    assert _red(rows) == set(late)
    assert _tile(page, "count-overdue") == 4
    assert _tile(page, "count-week") == 1  # case 17


def test_filtering_on_late_shows_the_red_rows_and_the_same_count(client, caseworker, queue):
    late, _not_late = queue
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), {"deadline": "overdue"}).content.decode()
    rows = _rows(page)
    assert set(rows) == _red(rows) == set(late)
    assert _tile(page, "count-overdue") == _tile(page, "count-open") == 4
    week = _rows(client.get(reverse("caseworker-dashboard"), {"deadline": "week"}).content.decode())
    assert set(week) == {17} and _red(week) == set()


def test_what_each_row_says(client, caseworker, queue):
    client.force_login(caseworker)
    rows = _rows(client.get(reverse("caseworker-dashboard")).content.decode())
    assert "3 dagen te laat" in rows[1]
    assert "1 dag te laat" in rows[2] and "1 dag te laat" in rows[3]
    assert "2 dagen te laat" in rows[4]
    assert f"gehaald op {dmy(days(-10))}" in rows[11]
    assert "niet gehaald" in rows[12]
    assert f"gehaald op {dmy(days(-9))}" in rows[13]
    # The case: the term was met by the first conversation, 40 days ago.
    assert f"gehaald op {dmy(days(-40))}" in rows[14] and "te laat" not in rows[14]
    assert "niet gehaald" in rows[15] and "te laat" not in rows[15]
    assert f"gehaald op {dmy(days(-3))}" in rows[16]
    assert "nog 3 dagen" in rows[17]


def test_the_case_page_shows_a_met_term_as_met(client, caseworker, queue):
    late, not_late = queue

    def deadlines_of(case) -> str:
        page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
        return page[page.index('id="deadlines-title"') : page.index('id="priority-title"')]

    client.force_login(caseworker)
    met = deadlines_of(not_late[14])
    assert f"gehaald op {dmy(days(-40))}" in met and "te laat" not in met
    assert "1 dag te laat" in deadlines_of(late[2])  # its crisis term waits for a conversation


def test_a_closed_case_shows_its_terms_as_kept_at_closing_not_counting_down(client, caseworker, municipality):
    case = CaseFactory(
        household__municipality=municipality,
        closed=True,
        closed_from=CaseState.CONTACT,
        outcome="Inwoner regelt het zelf/hoeft geen hulp vanuit vroegsignalering",
        first_contact_on=days(-30),
        contact_due=days(-25),
        contact_due_met=True,
        lcv_target=days(-30),
        lcv_target_met=True,
    )
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    deadlines = page[page.index('id="deadlines-title"') : page.index('id="findings-title"')]
    assert f"gehaald op {dmy(days(-30))}" in deadlines
    assert "te laat" not in deadlines and "nog " not in deadlines
