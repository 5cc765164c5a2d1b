"""Assigning cases (issue 16): the choice starts at a caseworker, never at "niemand";
unassigning is an explicit choice; the case page says who works the case and offers
the way to assign or take it."""

import re

import pytest
from django.urls import reverse

from cases.forms import AssignForm
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _options(page: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the select with this id."""
    select = re.search(rf'<select name="assignee"[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    ]


@pytest.fixture
def team(make_user, teamlead):
    """Two caseworkers of the municipality (Anna and Bram) besides the team lead."""
    return {
        "anna": make_user("caseworker", username="anna", first_name="Anna", last_name="Aalders"),
        "bram": make_user("caseworker", username="bram", first_name="Bram", last_name="Bos"),
        "lead": teamlead,
    }


def test_the_queue_starts_at_the_team_lead_and_offers_nobody_last(client, team, municipality):
    CaseFactory(household__municipality=municipality)
    client.force_login(team["lead"])
    options = _options(client.get(reverse("caseworker-dashboard")).content.decode(), "id_assignee")
    assert [label for _, label, _ in options[:2]] == ["Anna Aalders", "Bram Bos"]
    assert [(value, selected) for value, _, selected in options if selected] == [(str(team["lead"].pk), True)]
    assert options[-1] == ("niemand", "niemand (toewijzing opheffen)", False)


def test_without_the_user_among_them_the_first_caseworker_is_chosen(team):
    outsider = team["lead"]
    form = AssignForm(caseworkers=[team["anna"], team["bram"]], cases=None, user=outsider)
    assert form["assignee"].value() == str(team["anna"].pk)
    form = AssignForm(caseworkers=[team["anna"], team["bram"]], cases=None, user=outsider, current=team["bram"])
    assert form["assignee"].value() == str(team["bram"].pk)


def test_the_case_page_says_who_works_the_case_and_starts_at_that_caseworker(client, team, municipality):
    unassigned = CaseFactory(household__municipality=municipality)
    bram_s = CaseFactory(household__municipality=municipality, assigned_to=team["bram"])
    client.force_login(team["lead"])
    page = client.get(reverse("case-detail", args=[unassigned.pk])).content.decode()
    assert 'data-testid="assignee">Nog niet toegewezen.' in page
    assert [v for v, _, selected in _options(page, "id_case_assignee") if selected] == [str(team["lead"].pk)]
    page = client.get(reverse("case-detail", args=[bram_s.pk])).content.decode()
    assert "Bram Bos werkt aan deze zaak." in page
    assert [v for v, _, selected in _options(page, "id_case_assignee") if selected] == [str(team["bram"].pk)]


def test_a_caseworker_takes_a_case_and_then_reads_that_they_work_it(client, team, municipality):
    case = CaseFactory(household__municipality=municipality, assigned_to=team["bram"])
    client.force_login(team["anna"])
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Bram Bos werkt aan deze zaak." in page and ">Deze zaak overnemen<" in page
    assert 'id="id_case_assignee"' not in page  # only team leads choose someone else
    page = client.post(
        reverse("case-assign"),
        {"cases": [case.pk], "assignee": team["anna"].pk, "next": reverse("case-detail", args=[case.pk])},
        follow=True,
    ).content.decode()
    assert "1 zaak toegewezen aan Anna Aalders." in page
    assert 'data-testid="assignee">U werkt aan deze zaak.' in page
    assert "overnemen" not in page and "Aan mij toewijzen" not in page


def test_cases_left_as_they_were_are_counted_in_dutch(client, team, municipality):
    open_case = CaseFactory(household__municipality=municipality)
    closed = [CaseFactory(household__municipality=municipality, closed=True) for _ in range(2)]
    client.force_login(team["lead"])
    page = client.post(
        reverse("case-assign"),
        {"cases": [open_case.pk, *(c.pk for c in closed)], "assignee": team["anna"].pk},
        follow=True,
    ).content.decode()
    assert "1 zaak toegewezen aan Anna Aalders." in page
    assert "2 zaken zijn niet gewijzigd: die zijn gesloten" in page
    open_case.refresh_from_db()
    assert open_case.assigned_to == team["anna"]


def test_an_unknown_choice_is_refused(client, team, municipality, make_user, other_municipality):
    case = CaseFactory(household__municipality=municipality)
    elsewhere = make_user("caseworker", username="elders", municipalities=[other_municipality])
    client.force_login(team["lead"])
    for assignee in ("", elsewhere.pk):
        page = client.post(reverse("case-assign"), {"cases": [case.pk], "assignee": assignee}, follow=True)
        assert "Kies de zaken en aan wie u ze toewijst." in page.content.decode()
    case.refresh_from_db()
    assert case.assigned_to is None


def test_only_a_team_lead_unassigns_someone_elses_case(team, municipality):
    """A caseworker gives back their own case, never a colleague's (the service, not
    only the page, refuses); the team lead unassigns any."""
    from cases.services import CaseActionRefused, cases_assign

    anna, bram, lead = team["anna"], team["bram"], team["lead"]
    brams = CaseFactory(household__municipality=municipality, assigned_to=bram)
    annas = CaseFactory(household__municipality=municipality, assigned_to=anna)
    with pytest.raises(CaseActionRefused, match="Alleen een teamleider"):
        cases_assign(user=anna, case_ids=[brams.pk], assignee=None)
    brams.refresh_from_db()
    assert brams.assigned_to == bram
    assert cases_assign(user=anna, case_ids=[annas.pk], assignee=None) == 1
    assert cases_assign(user=lead, case_ids=[brams.pk], assignee=None) == 1
