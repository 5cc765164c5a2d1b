"""The admin's partner pages in a real browser: axe (every rule) finds nothing, and
the functional admin goes from a partner's page to uploading on its behalf."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from testkit.browser import assert_accessible, log_in
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_admin_form_accessible(page):
    """axe with every rule on a Django admin form. Django's admin/css/forms.css starts
    with `@import url('widgets.css')`; axe's CSS preload re-creates such an import as an
    inline <style>, which the Content-Security-Policy refuses, so the browser reports an
    error of axe's making. The preload is off here: it serves one rule,
    css-orientation-lock, and Django's admin styles lock no orientation."""
    results = Axe().run(page, options={"preload": False})
    violations = [f"{v['id']}: {v['help']}" for v in results.response["violations"]]
    assert violations == [], f"{page.url}: {violations}"


def test_admin_partner_pages_are_accessible_and_lead_to_an_upload(page, functional_admin, partner):
    log_in(page, "fb")
    page.goto("/beheer/")
    assert_accessible(page)
    page.goto("/beheer/partners/partner/")
    assert_accessible(page)
    page.get_by_role("link", name="test-huur", exact=True).click()
    assert page.get_by_role("checkbox", name="Voorbeeldstad (9999)").is_checked()
    assert_admin_form_accessible(page)  # aria-prohibited-attr was here (issue 16)
    page.goto("/beheer/partners/partner/add/")
    assert_admin_form_accessible(page)
    page.goto(f"/beheer/partners/partner/{partner.pk}/change/")
    page.get_by_role("link", name="Levering uploaden namens deze partner").click()
    assert page.get_by_label("Partner").evaluate("select => select.selectedOptions[0].text") == "Woonstichting Test"
    assert_accessible(page)


def test_admin_municipality_pages_are_accessible(page, functional_admin, municipality):
    log_in(page, "fb")
    page.goto("/beheer/municipalities/municipality/")
    assert_accessible(page)
    page.goto(f"/beheer/municipalities/municipality/{municipality.pk}/change/")
    assert_admin_form_accessible(page)
    page.goto("/beheer/municipalities/municipality/add/")
    assert_admin_form_accessible(page)


def test_admin_delivery_pages_are_accessible(page, functional_admin, partner):
    delivery = deliver(partner, csv_bytes([row()]))
    log_in(page, "fb")
    page.goto("/beheer/signals/delivery/")
    assert_accessible(page)
    page.goto(f"/beheer/signals/delivery/{delivery.pk}/change/")
    assert_admin_form_accessible(page)  # link-in-text-block in the breadcrumbs was here
