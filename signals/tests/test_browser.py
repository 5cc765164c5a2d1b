"""A partner uploads a file in the browser; a real Celery worker processes it; the
page shows the progress and then the report."""

import pytest

from testkit.factories import PASSWORD
from testkit.signal_files import csv_bytes, row

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
