"""A partner uploads a file in the browser; a real Celery worker processes it; the
page shows the progress and then the report. The partner's pages, the guides and the
example file in a Dutch and an English browser: Dutch, and clean for axe (every rule)."""

from datetime import UTC, datetime

import pytest

from signals.models import Delivery
from testkit.browser import assert_accessible, log_in
from testkit.factories import PASSWORD
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BROWSER_LANGUAGES = ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))]


@pytest.mark.worker
def test_upload_progress_and_report(page, make_user, partner, tasks_to_test_worker, tmp_path):
    make_user("partner_user", username="priya", partner=partner)
    rows = [row(partner_referentie=f"R{i}", huisnummer=str(i + 1)) for i in range(300)]
    rows[7]["postcode"] = "12345"
    path = tmp_path / "week48.csv"
    path.write_bytes(csv_bytes(rows))

    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("priya")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Nieuwe levering").click()
    page.get_by_label("Signaalbestand (CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Bestand versturen").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Levering week48.csv"
    # The page refreshes itself until the worker is done, then shows the report.
    try:
        page.get_by_test_id("count-accepted").wait_for(timeout=45_000)
    except Exception:
        pytest.fail(f"no report; page: {page.content()[-1500:]}\nworker log:\n{tasks_to_test_worker.log()}")
    assert page.get_by_test_id("count-accepted").inner_text() == "299"
    assert page.get_by_test_id("count-rejected").inner_text() == "1"
    assert "postcode '12345' is geen Nederlandse postcode" in page.get_by_role("table").inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download de afgewezen regels (CSV)").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert content.splitlines()[1].startswith("9;R7;")

    page.get_by_role("link", name="Alle leveringen").click()
    assert "week48.csv" in page.get_by_role("table").inner_text()


@pytest.mark.parametrize("browser_language", BROWSER_LANGUAGES)
def test_partner_pages_guide_and_example_are_dutch_and_accessible(page, make_user, partner, browser_language):
    make_user("partner_user", username="priya", partner=partner)
    delivery = deliver(partner, csv_bytes([row(), row(partner_referentie="R2", bsn="123456789")]), name="week48.csv")
    # 23:30 UTC is 00:30 the next day in Amsterdam: the page and the download agree.
    Delivery.objects.filter(pk=delivery.pk).update(received_at=datetime(2026, 11, 27, 23, 30, tzinfo=UTC))

    log_in(page, "priya")
    assert page.get_by_role("heading", level=1).inner_text() == "Leveringen"
    assert "28-11-2026 00:30" in page.get_by_role("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="week48.csv").click()
    assert page.get_by_test_id("count-rejected").inner_text() == "1"
    with page.expect_download() as download:
        page.get_by_role("link", name="Download de afgewezen regels (CSV)").click()
    assert download.value.suggested_filename == "afgewezen-regels-20261128-0030.csv"
    assert_accessible(page)

    page.get_by_role("link", name="Alle leveringen").click()
    page.get_by_role("link", name="Nieuwe levering").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Voorbeeldbestand voor uw sector: voorbeeld-signalen-huur.csv").click()
    assert download.value.suggested_filename == "voorbeeld-signalen-huur.csv"
    assert_accessible(page)

    page.get_by_role("link", name="Signaal-CSV v1: zo levert u signalen aan").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Signaal-CSV v1: zo levert u signalen aan"
    page.get_by_role("link", name="Wanneer weigert Vroeg het hele bestand?").click()
    assert page.url.endswith("#wanneer-weigert-vroeg-het-hele-bestand")
    assert_accessible(page)
    page.get_by_role("link", name="Informatie voor signaalpartners").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Informatie voor signaalpartners"
    assert_accessible(page)


def test_the_admin_uploads_the_laa_list_with_its_format_a_click_away(page, functional_admin):
    log_in(page, "fb")
    page.goto("/beheer/")
    page.get_by_role("link", name="LAA-lijst uploaden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "LAA-lijst uploaden"
    assert_accessible(page)
    page.get_by_role("link", name="Het formaat van de LAA-lijst").click()
    assert page.get_by_role("heading", level=1).inner_text() == "LAA-lijst: adreskwaliteitssignalen inlezen"
    assert "laa_referentie;postcode;huisnummer" in page.locator("pre").inner_text()
    assert_accessible(page)
