"""The route sheet: what it says per visit, that every reading of it is in the audit
trail, and who may open a round at all."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from privacy.selectors import audit_search
from testkit.factories import ResidentFactory, UserFactory
from visits.models import HomeVisitRound, RoundScope, VisitStatus
from visits.route import parse_area
from visits.services import VisitResult, round_plan, round_record
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.wording import entry_words

pytestmark = pytest.mark.django_db


def _round(user, cases, day, walker=None):
    return round_plan(
        user=user,
        municipality=cases[0].municipality,
        day=day,
        part="Middag",
        caseworker=walker or user,
        scope=RoundScope.MINE_AND_UNASSIGNED,
        area=parse_area("3581"),
        cap=10,
        case_ids=[c.pk for c in cases],
    )


@pytest.fixture
def sheet_round(caseworker, due_visit, last_working_day):
    """Two visits: Lange Nieuwstraat 12-B (J. Bakker, and a housemate without a signal)
    and 7 (J. Smit, nobody assigned: the walker signs the card)."""
    caseworker.first_name, caseworker.last_name, caseworker.phone = "Mila", "de Vries", "06 12345678"
    caseworker.save()
    at_12b = due_visit("3581AB", 12, "B", surname="Bakker", on=last_working_day)
    ResidentFactory(
        household=at_12b.household, bsn="", initials="P.", prefix="", surname="Huisgenoot", birth_date=date(2001, 1, 1)
    )
    at_7 = due_visit("3581AB", 7, surname="Smit", on=last_working_day, assigned_to=None)
    return _round(caseworker, [at_12b, at_7], last_working_day), at_7, at_12b


def test_the_route_sheet_in_the_order_of_the_route(client, caseworker, sheet_round, last_working_day):
    round, at_7, at_12b = sheet_round
    client.force_login(caseworker)
    response = client.get(reverse("visit-round-detail", args=[round.pk]))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [(r.visit.position, r.case) for r in rows] == [(1, at_7), (2, at_12b)]
    assert [[str(p) for p in r.residents] for r in rows] == [["J. Smit"], ["J. Bakker"]]  # not the housemate
    assert "Huisgenoot" not in html
    assert f"Looplijst huisbezoeken {date_format(last_working_day, 'l j F Y')}, middag" in html
    for text in (
        "Lange Nieuwstraat 7<br>3581 AB Voorbeeldstad",
        "Lange Nieuwstraat 12-B<br>3581 AB Voorbeeldstad",
        f"Zaak {at_7.pk}",
        f"Zaak {at_12b.pk}",
        "Het kaartje met de gegevens van Mila de Vries (06 12345678)",
        "Gebied: 3581",
        "Notities",
    ):
        assert text in html, text
    resident = rows[0].residents[0]
    assert f"{reverse('case-message', args=[at_7.pk, 'kaartje'])}?resident={resident.pk}" in html
    assert "data-print hidden" in html
    assert reverse("visit-round-record", args=[round.pk]) in html


def test_every_reading_is_in_the_audit_trail(client, caseworker, teamlead, privacy_officer, sheet_round):
    round, at_7, at_12b = sheet_round
    client.force_login(caseworker)
    client.get(reverse("visit-round-detail", args=[round.pk]))
    client.get(reverse("visit-round-record", args=[round.pk]))
    client.force_login(teamlead)
    client.get(reverse("visit-round-detail", args=[round.pk]))
    views = AuditEntry.objects.filter(action=AuditAction.VIEW, object_type="visits.homevisitround").order_by("pk")
    assert [(e.actor_username, e.object_id, e.detail["cases"]) for e in views] == [
        ("cw", str(round.pk), [at_7.pk, at_12b.pk]),
        ("cw", str(round.pk), [at_7.pk, at_12b.pk]),
        ("tl", str(round.pk), [at_7.pk, at_12b.pk]),
    ]
    words = entry_words(views[0])
    assert words.sentence == f"cw heeft huisbezoekronde {round.pk} bekeken."
    assert words.details == f"zaken: {at_7.pk}, {at_12b.pk}"
    # Each case whose address the pages showed has its own read entry, which the privacy
    # officer's search by resident finds.
    found = audit_search(viewer=privacy_officer, postcode="3581AB", house_number=7)
    assert [e.detail.get("what") for e in found.entries.filter(object_type="cases.case", actor_username="cw")] == [
        f"verslagscherm van huisbezoekronde {round.pk}",
        f"routekaart van huisbezoekronde {round.pk}",
    ]


def test_a_recorded_round_shows_what_came_of_each_visit(client, caseworker, sheet_round):
    round, at_7, at_12b = sheet_round
    visits = {v.case_id: v.pk for v in round.visits.all()}
    round_record(
        user=caseworker,
        round_id=round.pk,
        results={
            visits[at_7.pk]: VisitResult(VisitStatus.NOT_REACHED, "Avond"),
            visits[at_12b.pk]: VisitResult("not_visited"),
        },
    )
    client.force_login(caseworker)
    html = client.get(reverse("visit-round-detail", args=[round.pk])).content.decode()
    assert "niet bereikt (avond)" in html and "niet bezocht" in html
    assert "Vastgelegd op" in html and reverse("visit-round-record", args=[round.pk]) not in html
    listing = client.get(reverse("visit-round-list")).content.decode()
    assert "Nog geen ronde vastgelegd" not in listing and "Geen ronde gepland" in listing


@pytest.mark.parametrize("name", ["visit-round-detail", "visit-round-record"])
def test_only_the_rounds_caseworker_and_the_team_lead_open_a_round(
    client, caseworker, teamlead, make_user, other_municipality, sheet_round, name
):
    round = sheet_round[0]
    colleague = make_user("caseworker", username="collega")
    lead_elsewhere = UserFactory(teamlead=True, username="tl2", municipalities=[other_municipality])
    caseworker_elsewhere = UserFactory(caseworker=True, username="cw2", municipalities=[other_municipality])
    url = reverse(name, args=[round.pk])
    for user, status in (
        (caseworker, 200),
        (teamlead, 200),
        (colleague, 404),
        (lead_elsewhere, 404),
        (caseworker_elsewhere, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    # Not deleted or recorded by those who may not open it either.
    client.force_login(colleague)
    assert client.post(reverse("visit-round-delete", args=[round.pk])).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert HomeVisitRound.objects.filter(pk=round.pk, recorded_at__isnull=True).exists()


def test_the_list_shows_a_caseworker_their_own_rounds_and_a_team_lead_the_teams(
    client, caseworker, teamlead, make_user, due_visit, last_working_day
):
    colleague = make_user("caseworker", username="collega")
    mine = _round(caseworker, [due_visit("3581AB", 1, on=last_working_day)], last_working_day)
    theirs = _round(
        teamlead,
        [due_visit("3581AB", 3, on=last_working_day, assigned_to=colleague)],
        last_working_day,
        walker=colleague,
    )
    client.force_login(caseworker)
    assert list(client.get(reverse("visit-round-list")).context["planned"]) == [mine]
    client.force_login(teamlead)
    assert set(client.get(reverse("visit-round-list")).context["planned"]) == {mine, theirs}


def test_a_round_not_walked_can_be_deleted_and_its_visits_planned_again(client, caseworker, sheet_round):
    round, at_7, at_12b = sheet_round
    client.force_login(caseworker)
    response = client.post(reverse("visit-round-delete", args=[round.pk]))
    assert response.url == reverse("visit-round-list")
    assert not HomeVisitRound.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.CHANGE, object_type="visits.homevisitround")
    assert entry_words(entry).sentence == f"cw heeft huisbezoekronde {round.pk} verwijderd."
    assert _round(caseworker, [at_7, at_12b], round.day).visits.count() == 2
