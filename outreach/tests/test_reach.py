"""The reach figures (outreach/reach.py) against the hand counts of
testkit/reach_world.py, and the suggestion on the case page: shown only on a basis of
enough attempts in the case's PC4, in a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseState, Outcome
from cases.services import case_close, case_make_contact
from outreach import reach
from outreach.models import ContactKind, ContactPlan, PartOfDay
from outreach.reach import Tally
from testkit.factories import CaseFactory
from testkit.reach_world import many_attempts, reach_world

pytestmark = pytest.mark.django_db

OCT_1, OCT_31 = date(2026, 10, 1), date(2026, 10, 31)
TODAY = date(2026, 11, 30)


@pytest.fixture
def world(municipality, caseworker):
    return reach_world(municipality, caseworker)


def test_per_attempt_by_kind_part_of_day_and_number(world, municipality):
    tallies = reach.attempt_reach(municipality=municipality, start=OCT_1, end=OCT_31)
    assert reach.summed(tallies, 0) == {
        ContactKind.PHONE: Tally(12, 4),
        ContactKind.HOME_VISIT: Tally(7, 4),
        ContactKind.LETTER: Tally(7, 0),
        ContactKind.CARD: Tally(1, 0),
    }
    assert reach.summed(tallies, 1) == {
        PartOfDay.MORNING: Tally(14, 0),
        PartOfDay.AFTERNOON: Tally(11, 7),
        PartOfDay.EVENING: Tally(2, 1),
    }
    assert reach.summed(tallies, 2) == {1: Tally(12, 0), 2: Tally(10, 6), 3: Tally(3, 2), 4: Tally(2, 0)}
    assert sum(tallies.values(), Tally()) == Tally(27, 8)


def test_replies_are_a_channel_of_their_own(world, municipality, caseworker):
    """Answers on the reply page are kind Mail (as DDAS counts them) but a channel of
    their own: 10 replies (all reached) and 2 other e-mails (not) in case 13."""
    many_attempts(
        world[13],
        caseworker,
        kind=ContactKind.MAIL,
        hour=11,
        reached=10,
        not_reached=0,
        on=date(2026, 10, 20),
        via_reply=True,
    )
    many_attempts(
        world[13], caseworker, kind=ContactKind.MAIL, hour=11, reached=0, not_reached=2, on=date(2026, 10, 21)
    )
    tallies = reach.attempt_reach(municipality=municipality, start=OCT_1, end=OCT_31)
    assert reach.summed(tallies, 0)[ContactKind.MAIL] == Tally(12, 10)
    assert reach.summed(tallies, 4) == {
        ContactKind.PHONE: Tally(12, 4),
        ContactKind.HOME_VISIT: Tally(7, 4),
        ContactKind.LETTER: Tally(7, 0),
        ContactKind.CARD: Tally(1, 0),
        ContactKind.MAIL: Tally(2, 0),
        reach.REPLY: Tally(10, 10),
    }


def test_an_attempt_keeps_its_number_when_the_earlier_ones_fall_before_the_period(world, municipality):
    """From 6 October: the first attempts (5 October) are not counted, yet the attempts
    of the 6th stay second attempts."""
    tallies = reach.attempt_reach(municipality=municipality, start=date(2026, 10, 6), end=OCT_31)
    assert reach.summed(tallies, 2) == {2: Tally(10, 6), 3: Tally(3, 2), 4: Tally(2, 0)}


def test_the_period_runs_by_dutch_days(municipality, caseworker):
    """An attempt at 00:30 Dutch time on 1 November (23:30 UTC on 31 October) is one of
    November's."""
    case = CaseFactory(outreach=True, household__municipality=municipality, first_received_on=OCT_1)
    many_attempts(case, caseworker, kind=ContactKind.PHONE, hour=0, reached=1, not_reached=0, on=date(2026, 11, 1))
    october = reach.attempt_reach(municipality=municipality, start=OCT_1, end=OCT_31)
    november = reach.attempt_reach(municipality=municipality, start=date(2026, 11, 1), end=TODAY)
    assert october == {} and sum(november.values(), Tally()) == Tally(1, 1)


def test_other_municipalities_do_not_count(world, municipality, other_municipality, caseworker):
    elsewhere = CaseFactory(outreach=True, household__municipality=other_municipality, first_received_on=OCT_1)
    many_attempts(elsewhere, caseworker, kind=ContactKind.PHONE, hour=9, reached=5, not_reached=5, on=OCT_31)
    tallies = reach.attempt_reach(municipality=municipality, start=OCT_1, end=OCT_31)
    assert sum(tallies.values(), Tally()) == Tally(27, 8)
    assert reach.case_reach(municipality=municipality, start=OCT_1, end=OCT_31)[reach.ALL_CASES] == Tally(15, 10)


def test_per_plan_and_the_names_of_the_plans(municipality, other_municipality, caseworker):
    visit_first = ContactPlan.objects.create(municipality=municipality, name="Huisbezoek eerst")
    calls = ContactPlan.objects.create(municipality=municipality, name="Bellen")
    unused = ContactPlan.objects.create(municipality=municipality, name="Alleen brieven")
    ContactPlan.objects.create(municipality=other_municipality, name="Elders")
    case = CaseFactory(outreach=True, household__municipality=municipality, first_received_on=OCT_1)
    day = date(2026, 10, 5)
    many_attempts(
        case,
        caseworker,
        kind=ContactKind.HOME_VISIT,
        hour=15,
        reached=6,
        not_reached=6,
        on=day,
        plan=visit_first,
        position=1,
    )
    many_attempts(
        case, caseworker, kind=ContactKind.PHONE, hour=9, reached=1, not_reached=2, on=day, plan=calls, position=2
    )
    many_attempts(case, caseworker, kind=ContactKind.LETTER, hour=10, reached=0, not_reached=10, on=day)
    tallies = reach.attempt_reach(municipality=municipality, start=OCT_1, end=OCT_31)
    assert reach.summed(tallies, 3) == {visit_first.pk: Tally(12, 6), calls.pk: Tally(3, 1), None: Tally(10, 0)}
    names = reach.plan_names(municipality=municipality, tallies=tallies)
    assert {
        visit_first.pk: "Huisbezoek eerst",
        calls.pk: "Bellen",
        unused.pk: "Alleen brieven",
    }.items() <= names.items()
    assert "Elders" not in names.values()


def test_per_case_counts_the_attempts_up_to_first_contact(world, municipality):
    assert reach.case_reach(municipality=municipality, start=OCT_1, end=OCT_31) == {
        reach.ALL_CASES: Tally(15, 10),
        reach.WITH_HOME_VISIT: Tally(6, 3),  # not case 1: its visit came after contact
        reach.WITH_PHONE: Tally(6, 5),
        reach.WRITTEN_ONLY: Tally(2, 1),
        reach.COMBINED: Tally(6, 3),
        reach.NO_ATTEMPT: Tally(3, 2),
        reach.ONE_OR_TWO: Tally(10, 7),
        reach.THREE: Tally(1, 1),
        reach.FOUR_OR_MORE: Tally(1, 0),
    }


def test_per_case_takes_the_cases_picked_up_in_the_period(world, municipality):
    november = reach.case_reach(municipality=municipality, start=date(2026, 11, 1), end=TODAY)
    assert november[reach.ALL_CASES] == Tally(0, 0)


def test_days_to_first_contact(world, municipality):
    days = reach.first_contact_days(municipality=municipality, start=OCT_1, end=OCT_31)
    assert sorted(days) == [5, 5, 5, 5, 5, 5, 6, 9, 19, 29]
    assert reach.median(days) == 5
    early = reach.first_contact_days(municipality=municipality, start=OCT_1, end=date(2026, 10, 9))
    assert sorted(early) == [5, 5, 5, 5, 5, 5, 6]


def test_legal_term_reached_and_approached(world, municipality):
    assert world[1].contact_due == date(2026, 10, 29)
    term = reach.legal_term_reach(municipality=municipality, start=OCT_1, end=OCT_31, today=TODAY)
    assert term == reach.TermReach(counted=15, approached=13, reached=9)
    # A term that ends today has not ended yet.
    assert reach.legal_term_reach(
        municipality=municipality, start=OCT_1, end=OCT_31, today=date(2026, 10, 29)
    ) == reach.TermReach(0, 0, 0)


# --- the suggestion ----------------------------------------------------------------

NOV_2026 = date(2026, 11, 10)


@pytest.fixture
def in_3581(municipality, caseworker):
    """Two cases in 3581 (the one to suggest for and one with the attempts)."""
    tried = CaseFactory(
        outreach=True, household__municipality=municipality, household__postcode="3581KL", first_received_on=OCT_1
    )
    case = CaseFactory(
        outreach=True,
        household__municipality=municipality,
        household__postcode="3581AB",
        household__house_number=7,
        first_received_on=OCT_1,
        assigned_to=caseworker,
    )
    return case, tried


def test_the_best_kind_and_part_of_day_with_a_large_enough_basis(in_3581, caseworker):
    case, tried = in_3581
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=26, not_reached=24, on=NOV_2026)
    many_attempts(tried, caseworker, kind=ContactKind.PHONE, hour=9, reached=10, not_reached=30, on=NOV_2026)
    # Every one reached, but too few to go by.
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=19, reached=29, not_reached=0, on=NOV_2026)
    suggestion = reach.reach_suggestion(case=case, today=TODAY)
    assert (suggestion.pc4, suggestion.kind, suggestion.part_of_day) == ("3581", "Huisbezoek", "Middag")
    assert (suggestion.tally, suggestion.percentage) == (Tally(50, 26), 52)
    assert (suggestion.since, suggestion.until) == (date(2025, 12, 1), TODAY)


def test_no_suggestion_below_the_basis(in_3581, caseworker):
    case, tried = in_3581
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=20, not_reached=9, on=NOV_2026)
    assert reach.SUGGESTION_MIN_ATTEMPTS == 30
    assert reach.reach_suggestion(case=case, today=TODAY) is None
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=0, not_reached=1, on=NOV_2026)
    assert reach.reach_suggestion(case=case, today=TODAY).tally == Tally(30, 20)


def test_only_this_pc4_this_municipality_and_the_last_twelve_months_count(
    in_3581, caseworker, municipality, other_municipality
):
    case, tried = in_3581
    next_door = CaseFactory(
        outreach=True, household__municipality=municipality, household__postcode="3582AA", first_received_on=OCT_1
    )
    same_pc4_elsewhere = CaseFactory(
        outreach=True, household__municipality=other_municipality, household__postcode="3581AB", first_received_on=OCT_1
    )
    for other in (next_door, same_pc4_elsewhere):
        many_attempts(other, caseworker, kind=ContactKind.PHONE, hour=9, reached=40, not_reached=0, on=NOV_2026)
    # 30 November 2025 is the day before the window.
    many_attempts(tried, caseworker, kind=ContactKind.PHONE, hour=9, reached=40, not_reached=0, on=date(2025, 11, 30))
    assert reach.reach_suggestion(case=case, today=TODAY) is None
    many_attempts(tried, caseworker, kind=ContactKind.PHONE, hour=9, reached=30, not_reached=0, on=date(2025, 12, 1))
    assert reach.reach_suggestion(case=case, today=TODAY).tally == Tally(30, 30)


def test_administrative_attempts_are_never_suggested(in_3581, caseworker):
    case, tried = in_3581
    many_attempts(tried, caseworker, kind=ContactKind.OTHER, hour=9, reached=40, not_reached=0, on=NOV_2026)
    assert reach.reach_suggestion(case=case, today=TODAY) is None


def _page(client, case) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("case-detail", args=[case.pk]))
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_the_case_page_shows_the_suggestion_with_its_basis(client, in_3581, caseworker):
    case, tried = in_3581
    # The page judges by the real today: the window is the last 12 whole months up to this one.
    today = timezone.localdate()
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=26, not_reached=24, on=today)
    client.force_login(caseworker)
    _, page = _page(client, case)
    months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    first = today.year * 12 + today.month - 12  # eleven months before this one
    window = f"{months[first % 12]} {first // 12} – {months[today.month - 1]} {today.year}"
    assert "Suggestie voor de volgende poging" in page
    assert f"Bij signalen in 3581: huisbezoek 's middags bereikt 52 % (26 van 50 pogingen, {window})." in page


def test_the_suggestion_shows_only_on_a_large_enough_basis_while_contact_is_sought(client, in_3581, caseworker):
    case, tried = in_3581
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=26, not_reached=3, on=NOV_2026)
    client.force_login(caseworker)
    assert 'data-testid="reach-suggestion"' not in _page(client, case)[1]
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=0, not_reached=1, on=NOV_2026)
    assert 'data-testid="reach-suggestion"' in _page(client, case)[1]
    # Once the resident is reached, or the case closed, there is no attempt to suggest.
    case_make_contact(case_id=case.pk, user=caseworker, on=NOV_2026)
    assert 'data-testid="reach-suggestion"' not in _page(client, case)[1]
    case_close(case_id=case.pk, user=caseworker, outcome=Outcome.DECLINED, expected_state=CaseState.CONTACT)
    assert 'data-testid="reach-suggestion"' not in _page(client, case)[1]


def test_the_suggestion_costs_one_query_however_many_attempts(client, in_3581, caseworker):
    case, tried = in_3581
    many_attempts(tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=26, not_reached=24, on=NOV_2026)
    client.force_login(caseworker)
    _page(client, case)  # a first visit may set up what the case page needs once (its contact plan)
    few, page = _page(client, case)
    assert 'data-testid="reach-suggestion"' in page
    for n in range(2, 8):
        other = CaseFactory(
            outreach=True,
            household__municipality=case.municipality,
            household__postcode="3581CD",
            household__house_number=n,
            first_received_on=OCT_1,
        )
        many_attempts(other, caseworker, kind=ContactKind.PHONE, hour=19, reached=n, not_reached=40, on=NOV_2026)
    many, page = _page(client, case)
    assert many == few and "huisbezoek" in page
