"""A team lead opens the year report in a real browser; axe-core checks WCAG 2.1 AA."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from testkit.browser import assert_accessible, log_in
from testkit.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_lead_reads_the_year_report_and_downloads_it(page, teamlead, world):
    log_in(page, "tl")
    page.get_by_role("navigation").get_by_role("link", name="Rapportages").click()
    assert page.get_by_test_id("report-title").is_visible()  # this month, first visit
    page.get_by_label("Periode", exact=True).select_option("year")
    page.get_by_label("Jaar", exact=True).fill("2026")
    page.get_by_role("button", name="Tonen").click()
    assert page.get_by_test_id("report-title").inner_text() == "Voorbeeldstad, 2026"
    assert page.get_by_role("img", name="Ontvangen signalen per maand").is_visible()
    assert "Huisbezoek" in page.get_by_test_id("table-contactpogingen").inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen downloaden (Excel)").click()
    assert download.value.suggested_filename == "vroeg-9999-20260101-20261231-rapportage.xlsx"


@pytest.mark.browser_locale("en-US")
def test_an_english_browser_sees_the_dutch_report_with_its_bars_drawn(page, teamlead, world):
    """Issue 16: with an English browser the UI turned English, and the chart drew
    nothing (its coordinates carried Dutch decimal commas)."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    log_in(page, "tl")
    page.get_by_role("navigation").get_by_role("link", name="Rapportages").click()
    page.get_by_label("Periode", exact=True).select_option("year")
    page.get_by_label("Jaar", exact=True).fill("2026")
    page.get_by_role("button", name="Tonen").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    bars = page.locator("svg.chart rect")
    assert bars.count() > 0
    heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
    assert any(h > 0 for h in heights)  # the browser really drew them
    assert errors == []


def _no_axe_violations(page) -> None:
    """axe-core with every rule it has (no options): WCAG 2.1 A/AA and best practices."""
    violations = [f"{v['id']}: {v['help']}" for v in Axe().run(page).response["violations"]]
    assert violations == [], f"{page.url}: {violations}"


@pytest.mark.parametrize("locale", ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))])
def test_team_lead_sees_the_workload_and_assigns_an_unassigned_case(page, make_user, teamlead, municipality, locale):
    """Issue 16, in a Dutch and an English browser alike: the page is Dutch, axe finds
    nothing with every rule, the browser complains of nothing (the `page` fixture)."""
    make_user("caseworker", username="anna", first_name="Anna", last_name="Aalders")
    today = timezone.localdate()
    CaseFactory(household__municipality=municipality, household__house_number=7, contact_due=today - timedelta(days=2))
    log_in(page, "tl")
    page.get_by_role("navigation").get_by_role("link", name="Team", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", level=2, name="Werklast per medewerker").is_visible()
    workload = page.get_by_test_id("workload-9999").inner_text()
    assert "Anna Aalders" in workload and "Te laat" in workload and "Niet toegewezen" in workload
    assert "2 dagen te laat" in page.get_by_test_id("oldest-unassigned").inner_text()
    _no_axe_violations(page)

    page.get_by_role("link", name="Toon ze onder Mijn werk en wijs ze toe").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn werk"
    assert page.get_by_label("Alleen niet toegewezen").is_checked()
    assert page.get_by_test_id("count-overdue").inner_text() == "1"
    assert "2 dagen te laat" in page.get_by_test_id("queue-deadline").inner_text()
    chooser = page.get_by_label("Geselecteerde zaken toewijzen aan")
    assert chooser.locator("option:checked").inner_text() == teamlead.get_full_name()  # not "niemand"
    _no_axe_violations(page)
    page.get_by_role("checkbox", name="Dorpsstraat 7", exact=False).check()
    chooser.select_option(label="Anna Aalders")
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    assert "1 zaak toegewezen aan Anna Aalders." in page.get_by_role("status").inner_text()
    assert page.get_by_test_id("count-open").inner_text() == "0"  # still filtered on unassigned
    _no_axe_violations(page)

    page.goto("/team/")
    assert "Anna Aalders\t1\t1" in page.get_by_test_id("workload-9999").inner_text()
