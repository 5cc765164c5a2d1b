"""The pages of the foundation: what each role sees, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from testkit.factories import MunicipalityFactory


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, url_name, heading",
    [
        ("caseworker", "caseworker-dashboard", "Mijn werk"),
        ("teamlead", "team-dashboard", "Team"),
        ("partner_user", "partner-dashboard", "Leveringen"),
    ],
)
def test_dashboard_query_count_does_not_grow_with_municipalities(client, make_user, partner, role, url_name, heading):
    extra = {"partner": partner} if role == "partner_user" else {}
    user = make_user(role, **extra)
    client.force_login(user)
    url = reverse(url_name)
    before, page = _queries(client, url)
    assert f"<h1>{heading}</h1>" in page
    user.municipalities.add(*[MunicipalityFactory() for _ in range(5)])
    after, page = _queries(client, url)
    assert after == before
    # session, user, permissions (2), municipalities, partner (no session save within a
    # minute: vroeg/sessions.py); the partner's deliveries (count + page); the queue's
    # page, count, trays, and its four capped counts (open, late, due this week,
    # contact-plan steps to do today)
    assert before <= 14


@pytest.mark.django_db
def test_navigation_shows_only_what_the_role_may_open(client, make_user):
    client.force_login(make_user("teamlead"))
    page = client.get(reverse("team-dashboard")).content.decode()
    assert 'href="/werk/"' in page and 'href="/team/"' in page
    assert 'href="/partner/"' not in page and 'href="/beheer/"' not in page
    assert 'aria-current="page">Team<' in page


@pytest.mark.django_db
def test_error_pages_are_dutch_and_show_no_details(client, make_user):
    client.force_login(make_user("caseworker"))
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page
    assert "Traceback" not in page and "bestaat-niet" not in page


@pytest.mark.django_db
def test_expired_form_gets_a_dutch_explanation(caseworker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "cw", "password": "x"})
    assert response.status_code == 403
    assert "Formulier verlopen" in response.content.decode()


@pytest.mark.django_db
def test_team_dashboard_counts_open_overdue_and_unassigned(client, teamlead, municipality, other_municipality):
    from datetime import timedelta

    from django.utils import timezone

    from testkit.factories import CaseFactory

    today = timezone.localdate()
    CaseFactory(household__municipality=municipality, contact_due=today - timedelta(days=1))
    CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=3), assigned_to=teamlead)
    CaseFactory(household__municipality=municipality, closed=True)
    CaseFactory(household__municipality=other_municipality, contact_due=today - timedelta(days=1))
    client.force_login(teamlead)
    page = client.get(reverse("team-dashboard")).content.decode()
    row = page[page.index('<th scope="row">Voorbeeldstad</th>') :].split("</tr>")[0]
    import re

    cells = [re.sub(r"<[^>]+>", "", c.split("</td>")[0]) for c in row.split('class="num">')[1:]]
    assert cells == ["2", "1", "1", "1", "0"]  # open, overdue, due this week, unassigned, crisis
    assert "Amsterdam" not in page
