"""The privacy officer's audit trail in a real browser (Dutch whatever the browser's
language), with axe-core checking WCAG 2.1 AA and its other rules."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from testkit.browser import assert_accessible, log_in
from testkit.case_steps import case_walk_to
from testkit.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_officer_searches_by_resident_and_is_told_about_a_wrong_period(page, make_user, partner, municipality):
    make_user("caseworker", username="medewerker")
    make_user("privacy_officer", username="fg")
    case = CaseFactory(household__municipality=municipality, signals=[partner])  # J. de Vries, BSN 999999990

    log_in(page, "medewerker")
    page.goto(reverse("case-detail", args=[case.pk]))
    page.context.clear_cookies()

    log_in(page, "fg")
    assert page.url.endswith(reverse("audit-search"))  # the privacy officer's start page
    assert_accessible(page)
    page.get_by_label("BSN").fill("999999990")
    page.get_by_label("BSN").press("Enter")
    rows = page.get_by_test_id("audit-row")
    assert rows.count() == 1
    assert "medewerker" in rows.first.inner_text() and str(case.pk) in rows.first.inner_text()
    assert_accessible(page)

    page.get_by_label("Vanaf").fill("2026-11-27")
    page.get_by_label("Tot en met").fill("2026-11-01")
    page.get_by_role("button", name="Zoeken").click()
    error = page.locator("#id_date_to_error")
    assert error.inner_text() == "Deze datum ligt vóór de begindatum."
    assert page.get_by_label("Tot en met").get_attribute("aria-invalid") == "true"
    assert_accessible(page)


def _all_axe_rules_pass(page):
    """Every rule axe has, best practices too (such as "region"), not only WCAG 2.1 AA."""
    violations = Axe().run(page).response["violations"]
    assert [f"{v['id']}: {v['help']} ({v['nodes'][0]['target']})" for v in violations] == [], page.url


@pytest.mark.parametrize(
    "browser_language", ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))]
)
def test_the_audit_trail_reads_as_dutch_words_in_a_form_that_fits(
    page, make_user, partner, municipality, browser_language
):
    problems = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    worker = make_user("caseworker", username="medewerker")
    make_user("privacy_officer", username="fg")
    case = CaseFactory(household__municipality=municipality, signals=[partner])  # BSN 999999990
    case_walk_to("outreach", case, worker, on=case.first_received_on)
    log_in(page, "medewerker")
    page.goto(reverse("case-detail", args=[case.pk]))
    page.context.clear_cookies()

    log_in(page, "fg")
    assert page.url.endswith(reverse("audit-search"))
    assert page.locator("html").get_attribute("lang") == "nl"  # whatever the browser asks for
    _all_axe_rules_pass(page)
    page.get_by_label("BSN").fill("999999990")
    page.get_by_role("button", name="Zoeken").click()
    headers = page.get_by_test_id("audit-table").locator("thead th").all_inner_texts()
    assert headers == ["Wanneer", "Wie", "Wat", "Welk object", "IP-adres", "Reden", "Details"]
    rows = [row.locator("td").all_inner_texts() for row in page.get_by_test_id("audit-row").all()]
    assert [row[1:4] for row in rows] == [
        ["medewerker", "bekeken", f"zaak {case.pk}"],
        ["medewerker", "opgepakt", f"zaak {case.pk}"],
    ]
    assert rows[0][4] == "127.0.0.1" and rows[1][6] == "vorige status: nieuw"
    _all_axe_rules_pass(page)

    # Labels above their fields, fields side by side, the buttons on one line.
    bsn, postcode = page.get_by_label("BSN"), page.get_by_label("Postcode")
    assert page.locator("label[for=id_bsn]").bounding_box()["y"] < bsn.bounding_box()["y"]
    assert (
        bsn.bounding_box()["y"] == postcode.bounding_box()["y"]
        and bsn.bounding_box()["x"] < postcode.bounding_box()["x"]
    )
    search, download = page.get_by_role("button", name="Zoeken"), page.get_by_test_id("audit-export")
    assert abs(search.bounding_box()["y"] - download.bounding_box()["y"]) < 2
    page.set_viewport_size({"width": 360, "height": 740})
    assert bsn.bounding_box()["y"] < postcode.bounding_box()["y"]
    # A phone: one column; the form fits, the table scrolls inside its own box.
    for part in (page.get_by_role("search"), page.locator(".audit-entries")):
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, part
    _all_axe_rules_pass(page)
    assert problems == []
