"""A team lead reads the report "Bereik" in a real browser: from the reports page to the
chart and the tables; axe-core finds nothing (WCAG 2.1 AA and best practices)."""

import pytest
from django.utils import timezone

from testkit.browser import assert_accessible, log_in
from testkit.reach_world import DUTCH_MONTHS, reach_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_team_lead_reads_the_reach_report_with_its_chart(page, municipality, caseworker, teamlead):
    reach_world(municipality, caseworker)
    log_in(page, "tl")
    page.get_by_role("navigation").get_by_role("link", name="Rapportages").click()
    page.get_by_role("link", name="Bereik: wat hier werkt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Bereik"
    today = timezone.localdate()
    this_month = f"Voorbeeldstad, {DUTCH_MONTHS[today.month - 1]} {today.year}"
    assert page.get_by_test_id("reach-title").inner_text() == this_month
    assert page.get_by_test_id("chart-empty").is_visible()  # nothing tried this month
    page.get_by_label("Maand", exact=True).select_option(label="oktober")
    page.get_by_label("Jaar", exact=True).fill("2026")
    page.get_by_role("button", name="Tonen").click()
    assert page.get_by_test_id("reach-title").inner_text() == "Voorbeeldstad, oktober 2026"
    chart = page.get_by_role("img", name="Pogingen per soort contact: bereikt en niet bereikt")
    assert chart.is_visible()
    bars = page.locator("svg.chart rect")
    assert bars.count() == 2 and all(bars.nth(i).bounding_box()["height"] > 0 for i in range(2))
    assert "Telefoon\t12\t4\t33,3 %" in page.get_by_test_id("table-bereik-per-soort").inner_text()
    per_case = page.get_by_test_id("table-bereik-per-zaak").inner_text()
    assert "Minstens één huisbezoek\t< 10\t< 10\t–\t46 %" in per_case
    assert page.get_by_test_id("sources").get_by_role("link").count() == 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle tabellen downloaden (Excel)").click()
    assert download.value.suggested_filename == "vroeg-9999-20261001-20261031-bereik.xlsx"
