"""Planning a round: which due home visits Vroeg proposes (the day, the scope, the area,
other open rounds, the cap), saving the ones the user keeps in the order of the route,
and the audit trail of the proposal and the round."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from outreach.models import ContactKind
from testkit.factories import UserFactory
from visits.models import HomeVisitRound, RoundScope, VisitStatus
from visits.route import parse_area
from visits.services import RoundRefused, round_plan
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.wording import entry_words

pytestmark = pytest.mark.django_db


def _criteria(today, **extra):
    return {"day": today.isoformat(), "part_of_day": "Middag", "scope": "mine", "area": "", "cap": "12", **extra}


def _proposed(client, today, **extra) -> list[str]:
    """The addresses of the proposal, in its order."""
    response = client.get(reverse("visit-round-create"), _criteria(today, **extra))
    assert response.status_code == 200
    proposal = response.context["proposal"]
    return [
        f"{c.household.postcode} {c.household.house_number}{c.household.house_number_suffix}" for c in proposal.cases
    ]


def test_the_proposal_holds_the_due_home_visits_of_the_day_in_the_order_of_the_route(
    client, caseworker, due_visit, today, other_municipality
):
    due_visit("3581AB", 12, "B")
    due_visit("3581AB", 11, on=today - timedelta(days=3))  # overdue: due too
    due_visit("3581AB", 12, "A")
    due_visit("3581AB", 13)
    due_visit("3580ZZ", 2)
    due_visit("3581AB", 15, on=today + timedelta(days=1))  # due tomorrow
    due_visit("3581AB", 17, kind=ContactKind.PHONE)  # next step is a phone call
    elsewhere = UserFactory(caseworker=True, municipalities=[other_municipality])
    due_visit("3581AB", 19, assigned_to=elsewhere, household__municipality=other_municipality)
    client.force_login(caseworker)
    assert _proposed(client, today) == ["3580ZZ 2", "3581AB 11", "3581AB 13", "3581AB 12B", "3581AB 12A"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "3581AB 15" in _proposed(client, today, day=tomorrow)


def test_the_area_a_range_or_a_list_of_pc4(client, caseworker, due_visit, today):
    for postcode in ("3580ZZ", "3581AA", "3582ZZ", "3583AA", "3590AB"):
        due_visit(postcode, 1)
    client.force_login(caseworker)
    assert _proposed(client, today, area="3581-3582") == ["3581AA 1", "3582ZZ 1"]
    assert _proposed(client, today, area="3590, 3581") == ["3581AA 1", "3590AB 1"]
    assert _proposed(client, today, area="3581–3583 3590") == ["3581AA 1", "3582ZZ 1", "3583AA 1", "3590AB 1"]
    response = client.get(reverse("visit-round-create"), _criteria(today, area="3584-3581"))
    assert response.context["proposal"] is None
    assert "In “3584-3581” is de eerste postcode hoger dan de laatste" in response.content.decode()
    response = client.get(reverse("visit-round-create"), _criteria(today, area="Utrecht"))
    assert "“Utrecht” is geen postcodegebied" in response.content.decode()


def test_the_cap_keeps_the_most_urgent_and_says_how_many_did_not_fit(client, caseworker, due_visit, today):
    due_visit("3581AB", 1, on=today)
    due_visit("3581AB", 3, on=today - timedelta(days=2))
    due_visit("3581AB", 5, on=today - timedelta(days=1))
    due_visit("3581AB", 7, on=today)
    due_visit("3581AB", 2, on=today - timedelta(days=5))
    client.force_login(caseworker)
    response = client.get(reverse("visit-round-create"), _criteria(today, cap="3"))
    proposal = response.context["proposal"]
    # The three due longest, walked in the order of the route.
    assert [c.household.house_number for c in proposal.cases] == [3, 5, 2]
    assert proposal.left_out == 2
    assert "Nog 2 huisbezoeken zijn aan de beurt maar pasten niet" in response.content.decode()


def test_whose_cases(client, caseworker, teamlead, make_user, due_visit, today):
    colleague = make_user("caseworker", username="collega")
    due_visit("3581AB", 1)
    due_visit("3581AB", 3, assigned_to=None)
    due_visit("3581AB", 5, assigned_to=colleague)
    client.force_login(caseworker)
    assert _proposed(client, today) == ["3581AB 1"]
    assert _proposed(client, today, scope="mine_unassigned") == ["3581AB 1", "3581AB 3"]
    # A caseworker cannot choose the whole team, nor plan for someone else.
    response = client.get(reverse("visit-round-create"), _criteria(today, scope="team"))
    assert response.context["proposal"] is None
    assert "caseworker" not in response.context["form"].fields
    client.force_login(teamlead)
    assert _proposed(client, today, scope="team") == ["3581AB 1", "3581AB 3", "3581AB 5"]
    assert _proposed(client, today, caseworker=colleague.pk) == ["3581AB 5"]
    assert _proposed(client, today, caseworker=colleague.pk, scope="mine_unassigned") == ["3581AB 3", "3581AB 5"]


def test_save_the_visits_kept_in_the_order_of_the_route(client, caseworker, due_visit, today):
    at_12 = due_visit("3581AB", 12)
    at_9 = due_visit("3581AB", 9)
    at_4 = due_visit("3581AB", 4)
    dropped = due_visit("3581AB", 1)
    client.force_login(caseworker)
    response = client.post(
        reverse("visit-round-create"),
        {**_criteria(today, area="3581", part_of_day="Avond"), "cases": [at_4.pk, at_12.pk, at_9.pk]},
    )
    round = HomeVisitRound.objects.get()
    assert response.url == reverse("visit-round-detail", args=[round.pk])
    assert (round.day, round.part_of_day, round.caseworker, round.area, round.cap) == (
        today,
        "Avond",
        caseworker,
        "3581",
        12,
    )
    visits = list(round.visits.order_by("position"))
    assert [(v.position, v.case, v.status) for v in visits] == [
        (1, at_9, VisitStatus.PLANNED),
        (2, at_12, VisitStatus.PLANNED),
        (3, at_4, VisitStatus.PLANNED),
    ]
    # Planned in a round not recorded yet: no longer proposed; the one dropped still is.
    assert _proposed(client, today) == ["3581AB 1"]
    assert dropped.pk not in {v.case_id for v in visits}


def test_a_visit_another_round_took_meanwhile_is_refused(client, caseworker, teamlead, due_visit, today):
    case = due_visit("3581AB", 1)
    other = due_visit("3581AB", 3)
    client.force_login(caseworker)
    client.get(reverse("visit-round-create"), _criteria(today))  # both proposed to the caseworker
    round_plan(
        user=teamlead,
        municipality=case.municipality,
        day=today,
        part="Ochtend",
        caseworker=caseworker,
        scope=RoundScope.MINE,
        area=parse_area(""),
        cap=5,
        case_ids=[case.pk],
    )
    response = client.post(reverse("visit-round-create"), {**_criteria(today), "cases": [case.pk, other.pk]})
    assert response.status_code == 200
    assert HomeVisitRound.objects.count() == 1
    assert "Het voorstel is intussen gewijzigd" in response.content.decode()


def test_nothing_kept_or_more_than_the_cap_is_refused(client, caseworker, due_visit, today):
    cases = [due_visit("3581AB", n) for n in (1, 3, 5)]
    client.force_login(caseworker)
    response = client.post(reverse("visit-round-create"), _criteria(today))
    assert "Houd minstens één huisbezoek in de ronde" in response.content.decode()
    response = client.post(reverse("visit-round-create"), {**_criteria(today, cap="2"), "cases": [c.pk for c in cases]})
    assert "Kies niet meer dan 2 huisbezoeken" in response.content.decode()
    assert not HomeVisitRound.objects.exists()


def test_planning_is_refused_for_someone_else_and_outside_the_users_municipalities(
    caseworker, make_user, due_visit, today, other_municipality
):
    case = due_visit("3581AB", 1)
    colleague = make_user("caseworker", username="collega")
    plan = {
        "day": today,
        "part": "Middag",
        "scope": RoundScope.MINE,
        "area": parse_area(""),
        "cap": 3,
        "case_ids": [case.pk],
    }
    with pytest.raises(PermissionDenied):
        round_plan(user=caseworker, municipality=case.municipality, caseworker=colleague, **plan)
    with pytest.raises(PermissionDenied):
        round_plan(user=caseworker, municipality=other_municipality, caseworker=caseworker, **plan)
    with pytest.raises(RoundRefused, match="langer dan 14 dagen terug"):
        round_plan(
            user=caseworker,
            municipality=case.municipality,
            caseworker=caseworker,
            **{**plan, "day": today - timedelta(days=15)},
        )
    assert not HomeVisitRound.objects.exists()


def test_the_proposal_and_the_round_are_in_the_audit_trail_in_words(client, caseworker, due_visit, today):
    first, second = due_visit("3581AB", 1), due_visit("3581AB", 3)
    client.force_login(caseworker)
    client.get(reverse("visit-round-create"), _criteria(today, area="3581"))
    proposal = AuditEntry.objects.get(object_type="visits.proposal")
    assert proposal.action == AuditAction.VIEW
    assert proposal.municipality_id == first.municipality_id
    assert proposal.detail["cases"] == [first.pk, second.pk]
    words = entry_words(proposal)
    assert words.sentence == f"cw heeft de voorgestelde huisbezoeken voor {today:%d-%m-%Y} bekeken."
    assert f"zaken: {first.pk}, {second.pk}" in words.details and "gebied: 3581" in words.details
    client.post(reverse("visit-round-create"), {**_criteria(today), "cases": [first.pk]})
    round = HomeVisitRound.objects.get()
    created = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="visits.homevisitround")
    assert created.object_id == str(round.pk) and created.detail["cases"] == [first.pk]
    assert entry_words(created).sentence == f"cw heeft huisbezoekronde {round.pk} aangemaakt."


def test_a_case_is_in_one_open_round_at_a_time(caseworker, teamlead, due_visit, today):
    case = due_visit("3581AB", 1)
    plan = {
        "municipality": case.municipality,
        "day": today,
        "part": "Middag",
        "caseworker": caseworker,
        "scope": RoundScope.MINE,
        "area": parse_area(""),
        "cap": 3,
        "case_ids": [case.pk],
    }
    round_plan(user=caseworker, **plan)
    with pytest.raises(RoundRefused, match="al in een andere ronde"):
        round_plan(user=teamlead, **plan)
    assert HomeVisitRound.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_planners_taking_the_same_visit_at_once_make_one_round(caseworker, teamlead, due_visit, today):
    case = due_visit("3581AB", 1)
    barrier = threading.Barrier(2)
    outcomes = []

    def plan(user):
        try:
            barrier.wait()
            round_plan(
                user=user,
                municipality=case.municipality,
                day=today,
                part="Middag",
                caseworker=caseworker,
                scope=RoundScope.MINE,
                area=parse_area(""),
                cap=3,
                case_ids=[case.pk],
            )
            outcomes.append("planned")
        except RoundRefused as refused:
            outcomes.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=plan, args=(user,)) for user in (caseworker, teamlead)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("planned") == 1 and len(outcomes) == 2
    assert "andere ronde" in next(o for o in outcomes if o != "planned")
    assert HomeVisitRound.objects.count() == 1
