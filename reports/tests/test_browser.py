"""A team lead opens the year report in a real browser; axe-core checks WCAG 2.1 AA."""

import pytest

from testkit.browser import assert_accessible, log_in

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
