"""Work trays (werkbakjes) set up by team leads, and assigning cases."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases.models import Approach, Case, CaseState, WorkTray
from cases.selectors import apply_tray, queue_for_user
from cases.services import CaseActionRefused, cases_assign, work_tray_save
from signals.models import PARTNER_TYPE_BITS
from testkit.factories import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def tray(municipality, teamlead, **filters) -> WorkTray:
    data = {"municipality": municipality, "name": "Bak", "approach": Approach.HOME_VISIT, **filters}
    return work_tray_save(user=teamlead, data=data)


@pytest.mark.parametrize(
    "filters, matching, other",
    [
        ({"states": [CaseState.OUTREACH]}, {"outreach": True}, {}),
        (
            {"partner_types": ["Water", "Energie"]},
            {"partner_type_mask": PARTNER_TYPE_BITS["Water"]},
            {"partner_type_mask": PARTNER_TYPE_BITS["Huur"]},
        ),
        ({"min_signals": 2}, {"signal_count": 3}, {"signal_count": 1}),
        (
            {"min_amount": Decimal("1000"), "max_amount": Decimal("2000")},
            {"total_amount": 1500},
            {"total_amount": 2500},
        ),
        (
            {"min_age_days": 20},
            {"first_received_on": TODAY - timedelta(days=25)},
            {"first_received_on": TODAY - timedelta(days=5)},
        ),
        (
            {"postcode_from": 1000, "postcode_to": 1099},
            {"household__postcode": "1050AB"},
            {"household__postcode": "1100AB"},
        ),
        ({"crisis_only": True}, {"has_crisis": True}, {}),
        (
            {"deadline": WorkTray.Deadline.OVERDUE},
            {"contact_due": TODAY - timedelta(days=1)},
            {"contact_due": TODAY + timedelta(days=3)},
        ),
        (
            {"deadline": WorkTray.Deadline.THIS_WEEK},
            {"contact_due": TODAY + timedelta(days=3)},
            {"contact_due": TODAY + timedelta(days=20)},
        ),
    ],
)
def test_each_filter_selects_what_it_says(teamlead, municipality, filters, matching, other):
    yes = CaseFactory(household__municipality=municipality, **matching)
    no = CaseFactory(household__municipality=municipality, **other)
    selected = set(
        apply_tray(queue_for_user(user=teamlead, today=TODAY), tray(municipality, teamlead, **filters), today=TODAY)
    )
    assert yes in selected and no not in selected


def test_only_team_leads_of_the_municipality_manage_trays(caseworker, teamlead, municipality, other_municipality):
    with pytest.raises(PermissionDenied):
        tray(municipality, caseworker)
    with pytest.raises(PermissionDenied):
        tray(other_municipality, teamlead)


def test_caseworker_works_a_tray_from_the_queue(client, caseworker, teamlead, municipality):
    t = tray(
        municipality,
        teamlead,
        name="Crisis eerst",
        crisis_only=True,
        approach=Approach.PHONE,
        approach_note="Bel binnen een werkdag",
    )
    crisis = CaseFactory(household__municipality=municipality, has_crisis=True)
    calm = CaseFactory(household__municipality=municipality)
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), {"bak": t.pk}).content.decode()
    assert "Crisis eerst" in page and "Bel binnen een werkdag" in page
    assert reverse("case-detail", args=[crisis.pk]) in page
    assert reverse("case-detail", args=[calm.pk]) not in page


def test_team_lead_edits_a_tray_through_the_form(client, teamlead, municipality):
    client.force_login(teamlead)
    response = client.post(
        reverse("tray-create"),
        {
            "municipality": municipality.pk,
            "name": "Hoge bedragen",
            "approach": Approach.LETTER,
            "min_amount": "2000",
            "max_amount": "1000",
            "deadline": "",
        },
    )
    assert response.status_code == 200  # the form again: the upper bound is below the lower
    assert not WorkTray.objects.exists()
    client.post(
        reverse("tray-create"),
        {
            "municipality": municipality.pk,
            "name": "Hoge bedragen",
            "approach": Approach.LETTER,
            "min_amount": "2000",
            "deadline": "",
        },
    )
    assert WorkTray.objects.get().min_amount == 2000


def test_bulk_assignment_by_a_team_lead(client, teamlead, caseworker, municipality):
    cases = [CaseFactory(household__municipality=municipality) for _ in range(3)]
    client.force_login(teamlead)
    client.post(reverse("case-assign"), {"cases": [c.pk for c in cases[:2]], "assignee": caseworker.pk})
    assert set(Case.objects.filter(assigned_to=caseworker)) == set(cases[:2])
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard"), {"mijn": 1}).content.decode()
    assert page.count('href="/zaken/') == 2


def test_a_caseworker_may_take_a_case_but_not_hand_it_to_others(make_user, caseworker, municipality):
    case = CaseFactory(household__municipality=municipality)
    colleague = make_user("caseworker")
    assert cases_assign(user=caseworker, case_ids=[case.pk], assignee=caseworker) == 1
    with pytest.raises(PermissionDenied):
        cases_assign(user=caseworker, case_ids=[case.pk], assignee=colleague)


def test_cases_go_only_to_caseworkers_of_their_municipality(
    make_user, teamlead, partner_user, municipality, other_municipality
):
    case = CaseFactory(household__municipality=municipality)
    outsider = make_user("caseworker", municipalities=[other_municipality])
    assert cases_assign(user=teamlead, case_ids=[case.pk], assignee=outsider) == 0
    with pytest.raises(CaseActionRefused):
        cases_assign(user=teamlead, case_ids=[case.pk], assignee=partner_user)


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_assignment_never_redirects_elsewhere(client, teamlead, caseworker, municipality, next_url):
    case = CaseFactory(household__municipality=municipality)
    client.force_login(teamlead)
    response = client.post(reverse("case-assign"), {"cases": [case.pk], "assignee": caseworker.pk, "next": next_url})
    assert response.url == reverse("caseworker-dashboard")


def test_a_tray_selects_on_source(client, municipality, partner, teamlead, caseworker):
    from datetime import date as day

    from signals.models import PartnerType
    from testkit.factories import PartnerFactory
    from testkit.signal_files import csv_bytes, deliver, row

    cak = PartnerFactory(
        code="cak", name="CAK", partner_type=PartnerType.CAK_ZORGVERZEKERINGEN, signal_types=["cak_zorgverzekering"]
    )
    cak.municipalities.add(municipality)
    deliver(partner, csv_bytes([row(partner_referentie="H", huisnummer="1")]), received_on=day(2026, 11, 27))
    deliver(
        cak,
        csv_bytes([row(partner_referentie="C", huisnummer="2", signaal_type="cak_zorgverzekering")]),
        received_on=day(2026, 11, 27),
    )
    client.force_login(caseworker)
    client.post(
        reverse("referral-create"),
        {
            "municipality": municipality.pk,
            "postcode": "1234 AB",
            "huisnummer": "3",
            "straat": "Dorpsstraat",
            "woonplaats": "Voorbeeldstad",
            "achternaam": "Smit",
            "bedrag_achterstand": "200",
            "datum_ontstaan": "2026-09-01",
            "kind": "intern",
            "origin": "Wmo",
        },
    )
    by_number = {c.household.house_number: c for c in Case.objects.select_related("household")}
    for source, number in (("partner", 1), ("cak", 2), ("verwijzing", 3)):
        selected = set(
            apply_tray(
                queue_for_user(user=teamlead, today=TODAY),
                tray(municipality, teamlead, source=source, name=source),
                today=TODAY,
            )
        )
        assert selected == {by_number[number]}, source
