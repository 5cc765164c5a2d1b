"""The privacy officer's audit trail in a real browser, with axe-core checking WCAG 2.1 AA."""

import pytest
from django.urls import reverse

from testkit.browser import assert_accessible, log_in
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
