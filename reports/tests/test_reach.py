"""The report "Bereik": each table against the hand counts of testkit/reach_world.py,
small numbers masked on the page and in both downloads, audited, for team leads only."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Household, Resident
from outreach.models import ContactAttempt, ContactKind, ContactPlan
from reports import periods
from reports.reach import reach_report
from testkit.factories import CaseFactory
from testkit.reach_world import DUTCH_MONTHS, many_attempts, reach_world
from vroeg.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
OCTOBER = {"period": "month", "year": "2026", "month": "10"}


@pytest.fixture
def world(municipality, caseworker):
    reach_world(municipality, caseworker)
    return municipality


def _tables(municipality, period=None):
    return {t.key: t for t in reach_report(municipality, period or periods.month(2026, 10), today=TODAY)}


def _rows(table) -> dict:
    return {str(r[0]): [str(v) if not isinstance(v, int) else v for v in r[1:]] for r in table.rows}


M = "< 10"


def test_per_kind_of_contact(world):
    t = _tables(world)["bereik-per-soort"]
    assert [str(c) for c in t.columns] == ["Soort (DDAS)", "Pogingen", "Bereikt", "Percentage bereikt"]
    rows = _rows(t)
    assert rows["Telefoon"] == [12, 4, "33,3 %"]
    assert rows["Huisbezoek"] == [M, M, "–"]  # 7 attempts: too few to show
    assert rows["Brief"] == [M, M, "–"] and rows["Mail"] == [M, M, "–"]
    assert rows["Totaal"] == [27, 8, "29,6 %"]
    assert rows["Antwoord via de antwoordpagina"] == [M, M, "–"]
    assert len(t.rows) == 12  # the ten DDAS kinds, the replies and the total


def test_replies_are_a_row_of_their_own_and_mail_for_ddas(world, caseworker):
    """12 answers on the reply page (10 reached) and 1 other e-mail in October: the
    replies get their own row, the e-mail stays in "Mail" (too few to show)."""
    case = world.cases.order_by("pk").first()
    many_attempts(
        case,
        caseworker,
        kind=ContactKind.MAIL,
        hour=11,
        reached=10,
        not_reached=2,
        on=date(2026, 10, 20),
        via_reply=True,
    )
    many_attempts(case, caseworker, kind=ContactKind.MAIL, hour=11, reached=0, not_reached=1, on=date(2026, 10, 21))
    rows = _rows(_tables(world)["bereik-per-soort"])
    assert rows["Antwoord via de antwoordpagina"] == [12, 10, "83,3 %"]
    assert rows["Mail"] == [M, M, "–"]
    assert rows["Totaal"] == [40, 18, "45,0 %"]


def test_per_case_beside_the_national_figures(world):
    t = _tables(world)["bereik-per-zaak"]
    rows = _rows(t)
    divosa = "Divosa-monitor 2023, §6"
    assert rows["Alle opgepakte zaken"] == [15, 10, "66,7 %", "20 %", divosa]
    assert rows["Minstens één huisbezoek"] == [M, M, "–", "46 %", divosa]
    assert rows["Minstens één telefoonpoging"] == [M, M, "–", "59 %", divosa]
    assert rows["Alleen schriftelijk (brief, kaartje, mail, sms/WhatsApp)"] == [M, M, "–", "6 %", divosa]
    assert rows["Twee of meer soorten contact gecombineerd"] == [M, M, "–", "80 %", "Amsterdam, Vroeg Eropaf"]
    assert rows["1 of 2 pogingen"] == [10, 7, "70,0 %", "18 %", divosa]
    assert rows["3 pogingen"] == [M, M, "–", "–", ""]
    assert rows["4 of meer pogingen"] == [M, M, "–", "37 %", divosa]
    assert "tot en met de dag van het eerste contact" in str(t.note)


def test_per_part_of_day_and_per_attempt_number(world):
    tables = _tables(world)
    parts = _rows(tables["bereik-per-dagdeel"])
    assert parts["Ochtend"] == [14, 0, "0,0 %"]
    assert parts["Middag"] == [11, 7, "63,6 %"]
    assert parts["Avond"] == [M, M, "–"]
    assert parts["Huisbezoek, middag"] == [M, M, "–"]  # 5 of them
    assert parts["Totaal"] == [27, 8, "29,6 %"]
    numbers = _rows(tables["bereik-per-poging"])
    assert numbers == {
        "1e poging": [12, 0, "0,0 %"],
        "2e poging": [10, 6, "60,0 %"],
        "3e poging": [M, M, "–"],
        "4e of later": [M, M, "–"],
        "Totaal": [27, 8, "29,6 %"],
    }


def test_per_plan(municipality, caseworker):
    visit_first = ContactPlan.objects.create(municipality=municipality, name="Huisbezoek eerst")
    calls = ContactPlan.objects.create(municipality=municipality, name="Bellen")
    case = CaseFactory(outreach=True, household__municipality=municipality, first_received_on=date(2026, 10, 1))
    day = date(2026, 10, 5)
    many_attempts(case, caseworker, kind="Huisbezoek", hour=15, reached=6, not_reached=6, on=day, plan=visit_first)
    many_attempts(case, caseworker, kind="Telefoon", hour=9, reached=1, not_reached=2, on=day, plan=calls)
    many_attempts(case, caseworker, kind="Brief", hour=10, reached=0, not_reached=10, on=day)
    rows = _rows(_tables(municipality)["bereik-per-plan"])
    assert rows["Huisbezoek eerst"] == [12, 6, "50,0 %"]
    assert rows["Bellen"] == [M, M, "–"]
    assert rows["Geen plan"] == [10, 0, "0,0 %"]
    assert rows["Totaal"] == [25, 7, "28,0 %"]


def test_days_to_first_contact_and_the_legal_term(world):
    tables = _tables(world)
    days = _rows(tables["dagen-tot-eerste-contact"])
    assert days["Hoogstens 7 dagen"] == [7, "70,0 %"]
    assert days["8 t/m 14 dagen (LCV-streefdatum: 14)"] == [1, "10,0 %"]
    assert days["15 t/m 28 dagen"] == [1, "10,0 %"]
    assert days["Meer dan 28 dagen"] == [1, "10,0 %"]
    assert days["Totaal"] == [10, ""] and days["Mediaan (dagen)"] == ["5,0", ""]
    term = _rows(tables["bereikt-binnen-termijn"])
    assert term["Benaderd binnen de wettelijke termijn (en gesproken als hulp werd geaccepteerd)"] == [
        13,
        15,
        "86,7 %",
    ]
    assert term["Bereikt binnen de wettelijke termijn"] == [9, 15, "60,0 %"]


@pytest.mark.parametrize(
    "period",
    [periods.month(2026, 10), periods.custom(date(2026, 10, 1), date(2026, 10, 9)), periods.month(2026, 11)],
    ids=["october", "early-october", "november"],
)
def test_no_count_or_share_is_shown_on_a_base_under_ten(world, period):
    for table in _tables(world, period).values():
        if table.key == "dagen-tot-eerste-contact":
            total = _rows(table)["Totaal"][0]
            counts = [row[1] for row in table.rows[:4]]
            assert total == M and counts == [M] * 4 or total >= 10, table.rows
            continue
        for row in table.rows:
            base = row[2] if table.key == "bereikt-binnen-termijn" else row[1]
            if base == M:
                assert row[1:4] == [M, M, "–"], (table.key, row)
            else:
                assert base >= 10, (table.key, row)


def test_a_quiet_period_masks_the_days_and_the_term(world):
    """1 to 9 October: 7 first contacts, no legal term ended yet."""
    tables = _tables(world, periods.custom(date(2026, 10, 1), date(2026, 10, 9)))
    days = _rows(tables["dagen-tot-eerste-contact"])
    assert days["Hoogstens 7 dagen"] == [M, "–"] and days["Mediaan (dagen)"] == ["–", ""]
    assert _rows(tables["bereikt-binnen-termijn"])["Bereikt binnen de wettelijke termijn"] == [M, M, "–"]


def test_the_figures_survive_the_removal_of_personal_data(world):
    """The retention purge wipes names, numbers, addresses and notes (issue 8): the
    figures are counted from what remains."""
    before = {k: (t.rows, str(t.note)) for k, t in _tables(world).items()}
    Resident.objects.update(bsn="", initials="", prefix="", surname="", birth_date=None)
    Household.objects.update(street="", city="", postcode="", house_number_suffix="", house_number=F("pk"))
    ContactAttempt.objects.update(note="")
    assert {k: (t.rows, str(t.note)) for k, t in _tables(world).items()} == before


def _params(municipality, **extra):
    return {"municipality": municipality.pk, **OCTOBER, **extra}


def test_team_lead_sees_chart_tables_and_sources_and_the_view_is_audited(client, teamlead, world):
    client.force_login(teamlead)
    page = client.get(reverse("reach"), _params(world)).content.decode()
    assert 'data-testid="reach-title">Voorbeeldstad, oktober 2026<' in page
    # The chart: only telephone has 10 or more attempts; reached and not reached.
    svg = page[page.index('<svg class="chart"') : page.index("</svg>", page.index('<svg class="chart"'))]
    assert svg.count("<rect ") == 2 and "Telefoon, Bereikt: 4" in svg and "Telefoon, Niet bereikt: 8" in svg
    assert "Huisbezoek" not in svg
    assert 'data-testid="table-bereik-per-zaak"' in page and "&lt; 10" in page
    assert "Divosa, Monitor Vroegsignalering Schulden" in page
    assert 'href="https://divosa.nl/publicaties/divosa-monitor-vroegsignalering-schulden-jaarrapportage-2023/' in page
    entry = AuditEntry.objects.get(action=AuditAction.VIEW, object_type="reports.reach")
    assert (entry.object_id, entry.detail, entry.municipality_id) == ("9999", {"period": "oktober 2026"}, world.pk)


def test_the_reports_page_links_to_reach(client, teamlead, world):
    client.force_login(teamlead)
    page = client.get(reverse("reports"), _params(world)).content.decode()
    assert f'href="{reverse("reach")}?' in page


def test_first_visit_shows_this_month(client, teamlead, municipality):
    client.force_login(teamlead)
    page = client.get(reverse("reach")).content.decode()
    today = timezone.localdate()
    month = DUTCH_MONTHS[today.month - 1]
    assert f'data-testid="reach-title">Voorbeeldstad, {month} {today.year}<' in page
    assert 'data-testid="chart-empty"' in page


def test_csv_download_shows_the_masks_and_is_audited(client, teamlead, world):
    client.force_login(teamlead)
    response = client.get(reverse("reach-csv", args=["bereik-per-soort"]), _params(world))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Soort (DDAS);Pogingen;Bereikt;Percentage bereikt"
    assert "Telefoon;12;4;33,3 %" in lines
    assert "Huisbezoek;< 10;< 10;–" in lines
    assert "Totaal;27;8;29,6 %" in lines
    [note] = list(csv.reader(lines[-1:], delimiter=";"))
    assert note[0].startswith("Per poging: elke contactpoging")  # the definition travels with the figures
    assert 'filename="vroeg-9999-20261001-20261031-bereik-per-soort.csv"' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="reports.table")
    assert (entry.object_id, entry.detail) == ("bereik-per-soort", {"municipality": "9999", "period": "oktober 2026"})
    assert client.get(reverse("reach-csv", args=["eindresultaten"]), _params(world)).status_code == 404


def test_excel_has_every_table_numbers_as_numbers_and_masks_as_text(client, teamlead, world):
    client.force_login(teamlead)
    response = client.get(reverse("reach-xlsx"), _params(world))
    assert 'filename="vroeg-9999-20261001-20261031-bereik.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert set(book.sheetnames) >= {
        "bereik-per-soort",
        "bereik-per-zaak",
        "bereik-per-dagdeel",
        "bereik-per-poging",
        "bereik-per-plan",
        "dagen-tot-eerste-contact",
        "bereikt-binnen-termijn",
    }
    rows = list(book["bereik-per-zaak"].iter_rows(values_only=True))
    assert ("Alle opgepakte zaken", 15, 10, 10 / 15, 0.2, "Divosa-monitor 2023, §6") in rows
    assert ("Minstens één huisbezoek", M, M, "–", 0.46, "Divosa-monitor 2023, §6") in rows
    kinds = list(book["bereik-per-soort"].iter_rows(values_only=True))
    assert ("Telefoon", 12, 4, 4 / 12) in kinds and ("Huisbezoek", M, M, "–") in kinds
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="reports.reach_workbook").count() == 1


def test_only_team_leads_and_only_their_municipalities(client, caseworker, teamlead, world, other_municipality):
    client.force_login(caseworker)
    for url in (reverse("reach"), reverse("reach-xlsx"), reverse("reach-csv", args=["bereik-per-soort"])):
        assert client.get(url, _params(world)).status_code == 403
    client.force_login(teamlead)
    page = client.get(reverse("reach"), _params(other_municipality)).content.decode()
    assert 'data-testid="reach-title"' not in page and "field-error" in page
    assert client.get(reverse("reach-xlsx"), _params(other_municipality)).status_code == 404
    assert client.get(reverse("reach-csv", args=["bereik-per-soort"]), _params(other_municipality)).status_code == 404
    assert not AuditEntry.objects.filter(object_type__startswith="reports.reach").exists()


def test_the_query_count_does_not_grow_with_the_attempts(client, teamlead, caseworker, municipality):
    client.force_login(teamlead)
    case = CaseFactory(outreach=True, household__municipality=municipality, first_received_on=date(2026, 10, 1))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reach"), _params(municipality)).status_code == 200
        return len(ctx)

    many_attempts(case, caseworker, kind="Telefoon", hour=9, reached=1, not_reached=1, on=date(2026, 10, 5))
    few = count()
    for n in range(3, 9):
        other = CaseFactory(outreach=True, household__municipality=municipality, first_received_on=date(2026, 10, 1))
        many_attempts(other, caseworker, kind="Huisbezoek", hour=15, reached=n, not_reached=20, on=date(2026, 10, n))
    assert count() == few
