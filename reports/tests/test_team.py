"""The team dashboard (issue 16): workload per caseworker, the unassigned cases, and
the same "Te laat" as the queue; a fixed number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.team import team_overview
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int):
    return TODAY + timedelta(days=n)


@pytest.fixture
def team(make_user, teamlead, municipality, other_municipality):
    """Anna has 3 open cases (one late, one due in 5 days, one with a crisis signal
    and its term met), Bram none, and a former colleague, no longer active, still has
    one; 2 cases are unassigned (one late). Closed cases and those elsewhere never count."""
    anna = make_user("caseworker", username="anna", first_name="Anna", last_name="Aalders")
    bram = make_user("caseworker", username="bram", first_name="Bram", last_name="Bos")
    gone = make_user("caseworker", username="gone", first_name="Gert", last_name="Gone", is_active=False)
    here = {"household__municipality": municipality}
    CaseFactory(**here, assigned_to=anna, contact_due=days(-2))
    CaseFactory(**here, assigned_to=anna, contact_due=days(5))
    CaseFactory(**here, assigned_to=anna, contact=True, contact_due=days(-9), has_crisis=True)
    CaseFactory(**here, assigned_to=anna, closed=True, contact_due=days(-30))
    CaseFactory(**here, assigned_to=gone, contact_due=days(12))
    oldest = CaseFactory(**here, first_received_on=days(-40), contact_due=days(-12))
    newest = CaseFactory(**here, first_received_on=days(-2), contact_due=days(26))
    CaseFactory(household__municipality=other_municipality, assigned_to=anna, contact_due=days(-2))
    return {"anna": anna, "bram": bram, "lead": teamlead, "oldest": oldest, "newest": newest}


def _numbers(workload) -> dict[str, tuple[int, int, int, int]]:
    return {w.name: (w.open, w.late, w.due_soon, w.crisis) for w in workload}


def test_workload_per_caseworker_and_the_unassigned(team, municipality):
    overview = team_overview(user=team["lead"], today=TODAY)
    (here,) = overview.municipalities
    assert here.municipality == municipality
    lead = team["lead"].get_full_name()
    assert _numbers(here.caseworkers) == {
        "Anna Aalders": (3, 1, 1, 1),
        "Bram Bos": (0, 0, 0, 0),
        "Gert Gone": (1, 0, 0, 0),
        lead: (0, 0, 0, 0),  # a team lead works cases too, and can be assigned them
    }
    assert [w.name for w in here.caseworkers] == sorted(_numbers(here.caseworkers), key=str.casefold)
    assert [w.name for w in here.caseworkers if not w.works_here] == ["Gert Gone"]
    assert _numbers([here.unassigned]) == {"": (2, 1, 0, 0)}
    assert _numbers([here.total]) == {"": (6, 2, 1, 1)}
    assert overview.unassigned == 2
    assert [row["case"] for row in overview.oldest_unassigned] == [team["oldest"], team["newest"]]
    assert overview.oldest_unassigned[0]["deadline"]["overdue"] == 12


def test_the_dashboard_shows_it_in_dutch_and_links_to_the_unassigned_cases(client, team):
    client.force_login(team["lead"])
    page = client.get(reverse("team-dashboard")).content.decode()
    workload = page[page.index('data-testid="workload-9999"') : page.index("</table>", page.index("workload-9999"))]
    assert re.search(r'Anna Aalders</th><td class="num">3</td>\s*<td class="num"><strong class="overdue">1<', workload)
    assert re.search(r'Bram Bos</th><td class="num">0</td>', workload)
    assert 'Gert Gone <span class="hint">(werkt hier niet meer aan zaken)</span>' in workload
    assert "2 open zaken zijn aan niemand toegewezen." in page
    assert "12 dagen te laat" in page  # the oldest unassigned case
    link = re.search(r'href="(/werk/\?unassigned=on)"', page).group(1)
    queue = client.get(link).content.decode()
    assert queue.count('href="/zaken/') == 2
    assert all(f'href="{reverse("case-detail", args=[team[k].pk])}"' in queue for k in ("oldest", "newest"))
    assert 'data-testid="count-overdue" class="overdue">1<' in queue


def test_the_overdue_of_the_dashboard_is_the_overdue_of_the_queue(client, team):
    client.force_login(team["lead"])
    page = client.get(reverse("team-dashboard")).content.decode()
    overview = page[page.index('data-testid="team-overview"') : page.index("</table>")]
    assert re.search(r'Voorbeeldstad</th><td class="num">6</td>\s*<td class="num"><strong class="overdue">2<', overview)
    queue = client.get(reverse("caseworker-dashboard"), {"deadline": "overdue"}).content.decode()
    assert 'data-testid="count-overdue" class="overdue">2<' in queue
    assert queue.count('class="overdue">') == 1 + 2  # the tile and the two red rows


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("team-dashboard")).status_code == 200
    return len(ctx)


def test_the_number_of_queries_does_not_grow_with_caseworkers_or_cases(client, make_user, teamlead, municipality):
    client.force_login(teamlead)
    one = make_user("caseworker", username="one")
    CaseFactory(household__municipality=municipality, assigned_to=one)
    CaseFactory(household__municipality=municipality)
    few = _queries(client)
    for i in range(6):
        worker = make_user("caseworker", username=f"cw{i}")
        for _ in range(2):
            CaseFactory(household__municipality=municipality, assigned_to=worker, contact_due=days(-i))
    for _ in range(6):
        CaseFactory(household__municipality=municipality, has_crisis=True)
    many = _queries(client)
    assert few == many
    page = client.get(reverse("team-dashboard")).content.decode()
    # The municipality; "one", the six, the team lead and the unassigned.
    assert page.count('<tr><th scope="row">') == 1 + (1 + 6 + 1 + 1)
