"""The queue and the case page: only the steps this user may take, audited reads,
query counts that do not grow with the number of cases or signals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from cases.assessment import case_assess
from cases.models import CaseState, Outcome
from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_queue_shows_own_open_cases_nearest_deadline_first(client, caseworker, municipality, other_municipality):
    later = CaseFactory(household__municipality=municipality, contact_due=date(2026, 12, 20))
    sooner = CaseFactory(household__municipality=municipality, contact_due=date(2026, 12, 1))
    crisis = CaseFactory(
        household__municipality=municipality,
        contact_due=date(2026, 12, 25),
        crisis_due=date(2026, 11, 30),
        has_crisis=True,
    )
    CaseFactory(household__municipality=municipality, closed=True)
    elsewhere = CaseFactory(household__municipality=other_municipality)
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    links = [reverse("case-detail", args=[c.pk]) for c in (crisis, sooner, later)]
    positions = [page.index(link) for link in links]
    assert positions == sorted(positions)
    assert reverse("case-detail", args=[elsewhere.pk]) not in page
    assert page.count('href="/zaken/') == 3


def _with_next_step(municipality, n):
    """n cases seeking contact with a next step of their contact plan (issue 19)."""
    for i in range(n):
        CaseFactory(
            household__municipality=municipality,
            outreach=True,
            next_step_on=timezone.localdate() - timedelta(days=i % 5),
            next_step_kind="Telefoon",
            next_step_part_of_day="Ochtend",
        )


@pytest.mark.parametrize("query", [{}, {"today": "1", "sort": "stap"}], ids=["plain", "next-step-today-sorted"])
def test_queue_query_count_does_not_grow(client, caseworker, municipality, query):
    for _ in range(3):
        CaseFactory(household__municipality=municipality)
    _with_next_step(municipality, 3)
    client.force_login(caseworker)
    url = f"{reverse('caseworker-dashboard')}?{urlencode(query)}"
    few, _ = _queries(client, url)
    for _ in range(40):
        CaseFactory(household__municipality=municipality)
    _with_next_step(municipality, 40)
    many, page = _queries(client, url)
    assert few == many
    assert "Telefoon" in page


def test_case_page_offers_only_allowed_steps_and_is_audited(client, caseworker, teamlead, partner, municipality):
    case = CaseFactory(household__municipality=municipality, signals=[partner])
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert ">Oppakken<" in page
    assert ">Hulp geaccepteerd<" not in page and ">Zaak heropenen<" not in page
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(case.pk), actor=caseworker).exists()
    # Only end results that fit a new case are offered.
    assert "Niet opgepakt: onterecht signaal" in page
    assert "(Budget)advies en/of quick fix" not in page

    client.post(
        reverse("case-close", args=[case.pk]), {"outcome": Outcome.NOT_PICKED_UP_OTHER, "expected_state": CaseState.NEW}
    )
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert ">Zaak heropenen<" not in page  # a caseworker cannot reopen
    client.force_login(teamlead)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert ">Zaak heropenen<" in page


def test_steps_through_the_page_and_a_stale_page_is_told(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality)
    client.force_login(caseworker)
    client.post(reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW})
    case.refresh_from_db()
    assert case.state == CaseState.OUTREACH
    response = client.post(
        reverse("case-step", args=[case.pk, "pick_up"]), {"expected_state": CaseState.NEW}, follow=True
    )
    assert "De zaak is intussen gewijzigd" in response.content.decode()


def test_unfitting_end_result_is_refused_with_a_message(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality)
    client.force_login(caseworker)
    response = client.post(
        reverse("case-close", args=[case.pk]),
        {"outcome": Outcome.BUDGET_ADVICE, "expected_state": CaseState.NEW},
        follow=True,
    )
    assert "Kies een eindresultaat dat bij deze zaak past" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.NEW


def test_confirming_a_suggestion_closes_the_case(client, caseworker, partner, municipality):
    case = CaseFactory(household__municipality=municipality, signals=[partner], signals__amount=Decimal("10.00"))
    case_assess(case_id=case.pk)
    finding = case.findings.get(suggested_outcome=Outcome.NOT_PICKED_UP_UNJUSTIFIED)
    client.force_login(caseworker)
    assert "Afsluiten als" in client.get(reverse("case-detail", args=[case.pk])).content.decode()
    client.post(reverse("finding-confirm", args=[case.pk, finding.pk]))
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.NOT_PICKED_UP_UNJUSTIFIED)


def test_case_of_another_municipality_is_not_found(client, make_user, other_municipality, municipality):
    case = CaseFactory(household__municipality=municipality)
    client.force_login(make_user("caseworker", municipalities=[other_municipality]))
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client.post(reverse("case-step", args=[case.pk, "pick_up"])).status_code == 404


# bench/pages.py: 31 before the shared reads and the session's minute (issue 21).
CASE_PAGE_QUERIES = 21


def test_case_page_query_count_does_not_grow_with_signals(client, caseworker, partner, municipality):
    case = CaseFactory(household__municipality=municipality, signals=[partner])
    case_assess(case_id=case.pk)
    client.force_login(caseworker)
    url = reverse("case-detail", args=[case.pk])
    ContentType.objects.get_for_model(case)  # kept by a server process (the steps' log)
    few, _ = _queries(client, url)
    delivery = DeliveryFactory(partner=partner)
    for i in range(25):
        SignalFactory(
            case=case,
            partner=partner,
            delivery=delivery,
            partner_referentie=f"X{i}",
            resident__bsn="",
            resident__surname=f"Naam{i}",
        )
    case.refresh_from_db()
    assert case.signal_count == 26
    ContentType.objects.get_for_model(case)
    many, _ = _queries(client, url)
    # session, user, permissions (2), municipalities (scope and header: once), the case,
    # audit entry; signals, crisis terms, findings, residents; feedback and collection
    # pauses (once, for the timeline and the panel); steps, attempts, notes and plan
    # changes (one query); objections (2); Plan van Aanpak versions; consent; replies
    # and valid reply codes; the bell. No session save within a minute (vroeg/sessions.py).
    assert few == many == CASE_PAGE_QUERIES


def test_a_close_check_registered_by_a_higher_layer_refuses_on_the_case_page(
    client, caseworker, municipality, monkeypatch
):
    """cases.hooks: an app above cases refuses a close with its own reason, shown on
    the case page; the case stays as it was. Other results still close."""
    from cases import hooks

    seen = []

    def no_advice_without_paper(*, case, outcome):
        seen.append((case.pk, case.state, outcome))
        return "Eerst het papierwerk." if outcome == Outcome.BUDGET_ADVICE else None

    monkeypatch.setattr(hooks.close_check, "_listeners", [])
    hooks.close_check.register(no_advice_without_paper)
    hooks.close_check.register(no_advice_without_paper)  # once, however often ready() runs
    case = CaseFactory(household__municipality=municipality, help_accepted=True)
    client.force_login(caseworker)
    response = client.post(
        reverse("case-close", args=[case.pk]),
        {"outcome": Outcome.BUDGET_ADVICE, "expected_state": CaseState.HELP_ACCEPTED},
        follow=True,
    )
    assert "Eerst het papierwerk." in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.HELP_ACCEPTED
    client.post(
        reverse("case-close", args=[case.pk]),
        {"outcome": Outcome.NO_REACTION, "expected_state": CaseState.HELP_ACCEPTED},
    )
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.NO_REACTION)
    assert seen == [
        (case.pk, CaseState.HELP_ACCEPTED, Outcome.BUDGET_ADVICE),
        (case.pk, CaseState.HELP_ACCEPTED, Outcome.NO_REACTION),
    ]


def test_every_step_confirms_what_happened(client, caseworker, partner):
    """Help accepted showed no message at all (issue 16)."""
    case = CaseFactory(signals=[partner])
    client.force_login(caseworker)
    expected = {
        "pick_up": "De zaak is opgepakt.",
        "make_contact": "Het contact met de inwoner is vastgelegd.",
        "accept_help": "Hulp geaccepteerd is vastgelegd; de partners hebben bericht gekregen.",
    }
    for step, message in expected.items():
        page = client.post(reverse("case-step", args=[case.pk, step]), follow=True).content.decode()
        assert message in page, step


def test_assignment_messages_use_dutch_plurals(client, teamlead, caseworker, partner):
    one, two = CaseFactory(signals=[partner]), CaseFactory(signals=[partner])
    client.force_login(teamlead)
    name = caseworker.get_full_name()
    page = client.post(reverse("case-assign"), {"cases": [one.pk], "assignee": caseworker.pk}, follow=True)
    assert f"1 zaak toegewezen aan {name}." in page.content.decode()
    page = client.post(reverse("case-assign"), {"cases": [one.pk, two.pk], "assignee": caseworker.pk}, follow=True)
    assert f"2 zaken toegewezen aan {name}." in page.content.decode()
    page = client.post(reverse("case-assign"), {"cases": [one.pk], "assignee": "niemand"}, follow=True)
    assert "1 zaak is niet meer toegewezen." in page.content.decode()
    page = client.post(reverse("case-assign"), {"cases": [one.pk, two.pk], "assignee": "niemand"}, follow=True)
    assert "2 zaken zijn niet meer toegewezen." in page.content.decode()
