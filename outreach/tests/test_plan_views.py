"""Contact plans on the pages: the team lead's plans, the queue's "Volgende stap" column
with its filter and sort, and the case page's "Contactplan" panel with its form to skip
or move a step (plain form posts, no JavaScript)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Approach, Case
from cases.services import case_pick_up, work_tray_save
from outreach.models import ContactKind, ContactPlan, PlanStepChange
from outreach.services import cases_plan_refresh, default_plan_for
from testkit.factories import CaseFactory
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def _plan_post(municipality, name, rows, trays=()):
    data = {
        "municipality": municipality.pk,
        "name": name,
        "description": "Voor de test",
        "trays": [t.pk for t in trays],
    }
    for i, (kind, days, counted_from, part) in enumerate(rows):
        data.update({f"kind_{i}": kind, f"days_{i}": days, f"from_{i}": counted_from, f"part_{i}": part})
    return data


def test_the_team_lead_defines_a_plan_and_attaches_it_to_a_tray(client, teamlead, caseworker, municipality):
    today = timezone.localdate()
    case = CaseFactory(household__municipality=municipality, signal_count=2, first_received_on=today)
    case_pick_up(case_id=case.pk, user=caseworker, on=today)
    tray = work_tray_save(
        user=teamlead,
        data={
            "municipality": municipality,
            "name": "Meerdere signalen",
            "approach": Approach.HOME_VISIT,
            "min_signals": 2,
        },
    )
    client.force_login(teamlead)
    page = client.get(reverse("contact-plan-list")).content.decode()
    assert "Standaard: bellen, huisbezoek, brief" in page and "Divosa" in page  # the default, out of the box

    rows = [
        ("Huisbezoek", "0", "pickup", "Middag"),
        ("Kaartje", "0", "previous", ""),
        ("Telefoon", "2", "previous", ""),
    ]
    response = client.post(reverse("contact-plan-create"), _plan_post(municipality, "Huisbezoek eerst", rows, [tray]))
    assert response.status_code == 302
    plan = ContactPlan.objects.get(name="Huisbezoek eerst")
    assert [(s.position, s.kind, s.offset_days) for s in plan.steps.all()] == [
        (1, "Huisbezoek", 0),
        (2, "Kaartje", 0),
        (3, "Telefoon", 2),
    ]
    assert list(plan.tray_links.values_list("tray__name", flat=True)) == ["Meerdere signalen"]
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="outreach.contactplan").exists()
    case.refresh_from_db()
    assert (case.next_step_kind, case.next_step_part_of_day) == ("Huisbezoek", "Middag")

    page = client.get(reverse("contact-plan-list")).content.decode()
    assert "Huisbezoek eerst" in page and "Meerdere signalen" in page
    page = client.get(reverse("contact-plan-edit", args=[plan.pk])).content.decode()
    assert 'value="Huisbezoek eerst"' in page and "checked" in page


def test_a_wrong_plan_is_explained(client, teamlead, municipality):
    client.force_login(teamlead)
    response = client.post(
        reverse("contact-plan-create"), _plan_post(municipality, "Leeg", [("", "3", "previous", "")])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies de soort contact van deze stap." in page
    response = client.post(reverse("contact-plan-create"), _plan_post(municipality, "Leeg", []))
    assert "Geef het plan minstens één stap." in response.content.decode()
    response = client.post(
        reverse("contact-plan-create"), _plan_post(municipality, "Te ver", [("Telefoon", "500", "pickup", "")])
    )
    assert "90" in response.content.decode()
    default = default_plan_for(municipality_id=municipality.pk)
    response = client.post(
        reverse("contact-plan-create"), _plan_post(municipality, default.name, [("Telefoon", "0", "pickup", "")])
    )
    assert "Er is al een contactplan met deze naam" in response.content.decode()
    assert ContactPlan.objects.count() == 1


def test_the_default_plan_cannot_be_deleted_on_its_page(client, teamlead, municipality):
    default = default_plan_for(municipality_id=municipality.pk)
    client.force_login(teamlead)
    page = client.get(reverse("contact-plan-edit", args=[default.pk])).content.decode()
    assert 'name="delete"' not in page and "standaardplan" in page
    client.post(reverse("contact-plan-edit", args=[default.pk]), {"delete": "1"})
    assert ContactPlan.objects.filter(pk=default.pk).exists()


def test_a_plan_of_another_municipality_is_not_found(client, teamlead, other_municipality):
    plan = default_plan_for(municipality_id=other_municipality.pk)
    client.force_login(teamlead)
    assert client.get(reverse("contact-plan-edit", args=[plan.pk])).status_code == 404


def _row_cells(page: str) -> dict[str, str]:
    """The next-step cell of each queue row, by the case's link."""
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        link = re.search(r'href="(/zaken/\d+/)"', row)
        cell = re.search(r'data-testid="queue-next-step">(.*?)</td>', row, re.S)
        if link and cell:
            cells[link.group(1)] = cell.group(1)
    return cells


def test_the_queue_shows_filters_and_sorts_on_the_next_step(client, caseworker, municipality):
    today = timezone.localdate()
    due = CaseFactory(
        household__municipality=municipality,
        outreach=True,
        next_step_on=today,
        next_step_kind=ContactKind.PHONE,
        next_step_part_of_day="Ochtend",
    )
    overdue = CaseFactory(
        household__municipality=municipality,
        outreach=True,
        next_step_on=today - timedelta(days=2),
        next_step_kind=ContactKind.HOME_VISIT,
        next_step_pulled_forward=True,
    )
    later = CaseFactory(
        household__municipality=municipality,
        outreach=True,
        next_step_on=today + timedelta(days=3),
        next_step_kind=ContactKind.LETTER,
        contact_due=today - timedelta(days=30),  # first by deadline
    )
    new = CaseFactory(household__municipality=municipality)
    url = lambda c: reverse("case-detail", args=[c.pk])  # noqa: E731
    client.force_login(caseworker)

    page = client.get(reverse("caseworker-dashboard")).content.decode()
    cells = _row_cells(page)
    assert "Volgende stap" in page
    assert "Telefoon" in cells[url(due)] and "ochtend" in cells[url(due)] and "vandaag" in cells[url(due)]
    assert "Huisbezoek" in cells[url(overdue)] and "te laat" in cells[url(overdue)]
    assert "vervroegd" in cells[url(overdue)]
    assert "–" in cells[url(new)]
    assert re.search(r'data-testid="count-today"[^>]*>2<', page)

    page = client.get(reverse("caseworker-dashboard"), {"today": "1"}).content.decode()
    assert set(_row_cells(page)) == {url(due), url(overdue)}
    assert AuditEntry.objects.filter(action=AuditAction.SEARCH, detail__today="True").exists()

    page = client.get(reverse("caseworker-dashboard"), {"sort": "stap"}).content.decode()
    assert list(_row_cells(page)) == [url(overdue), url(due), url(later), url(new)]
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    assert list(_row_cells(page))[0] == url(later)  # the deadline sort stays the default


@pytest.fixture
def picked_up(municipality, caseworker):
    today = timezone.localdate()
    case = CaseFactory(household__municipality=municipality, first_received_on=today - timedelta(days=3))
    case_pick_up(case_id=case.pk, user=caseworker, on=today)
    return case


def test_the_case_page_shows_the_plan_and_skips_a_step_without_javascript(client, caseworker, picked_up):
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[picked_up.pk])).content.decode()
    panel = page[page.index('data-testid="contact-plan"') :]
    assert "Contactplan: Standaard: bellen, huisbezoek, brief" in panel
    assert panel.count("<tr><td>") == 5 and "volgende stap" in panel
    assert 'name="action" value="skip"' in panel and 'name="action" value="move"' in panel

    url = reverse("plan-step-change", args=[picked_up.pk])
    page = client.post(url, {"position": "1", "reason": "", "action": "skip"}, follow=True).content.decode()
    assert "Geef een reden op voor het overslaan of naar voren halen van de stap." in page
    assert not PlanStepChange.objects.exists()

    page = client.post(
        url, {"position": "1", "reason": "Geen telefoonnummer", "action": "skip"}, follow=True
    ).content.decode()
    assert "De stap is overgeslagen." in page
    assert "Contactplan: stap 1 (Telefoon) overgeslagen" in page and "Geen telefoonnummer" in page
    assert "overgeslagen" in page[page.index('data-testid="plan-steps"') :]

    page = client.post(
        url, {"position": "4", "reason": "Eerst een brief", "action": "move"}, follow=True
    ).content.decode()
    assert "De stap is nu de volgende stap." in page
    picked_up.refresh_from_db()
    assert picked_up.next_step_kind == ContactKind.LETTER

    page = client.post(url, {"position": "1", "reason": "Nog eens", "action": "skip"}, follow=True).content.decode()
    assert "Deze stap is al gezet of overgeslagen." in page


def test_the_case_page_says_when_a_step_was_pulled_forward(client, caseworker, municipality):
    today = timezone.localdate()
    case = CaseFactory(
        household__municipality=municipality, outreach=True, picked_up_on=today, contact_due=today + timedelta(days=1)
    )
    cases_plan_refresh(case_ids=[case.pk])
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="plan-pulled-forward"' in page or "vervroegd" in page
    assert "vervroegd om de termijn te halen" in page


def test_a_case_picked_up_before_plans_existed_gets_its_plan_on_its_page(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality, outreach=True, picked_up_on=timezone.localdate())
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'data-testid="contact-plan"' in page
    assert Case.objects.get(pk=case.pk).next_step_kind == ContactKind.PHONE


def test_no_plan_panel_before_pick_up(client, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality)
    client.force_login(caseworker)
    assert 'data-testid="contact-plan"' not in client.get(reverse("case-detail", args=[case.pk])).content.decode()
