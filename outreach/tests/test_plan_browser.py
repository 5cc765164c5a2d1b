"""Contact plans in a real browser (Debian's chromium; axe-core on every page): the team
lead defines a plan and attaches it to a work tray, the caseworker sees the next step in
the queue and skips it on the case page, without JavaScript of our own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Approach
from cases.services import case_pick_up, work_tray_save
from testkit.browser import assert_accessible, log_in
from testkit.factories import CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_plan_attached_to_a_tray_gives_the_queue_its_next_step(page, make_user, municipality):
    lead = make_user("teamlead", username="teamleider")
    worker = make_user("caseworker", username="medewerker")
    today = timezone.localdate()
    case = CaseFactory(
        household__municipality=municipality,
        household__street="Lindelaan",
        signal_count=2,
        first_received_on=today - timedelta(days=2),
    )
    case_pick_up(case_id=case.pk, user=worker, on=today)
    work_tray_save(
        user=lead,
        data={
            "municipality": municipality,
            "name": "Meerdere signalen",
            "approach": Approach.HOME_VISIT,
            "min_signals": 2,
        },
    )

    log_in(page, "teamleider")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Werkbakjes").click()
    page.get_by_role("link", name="Contactplannen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Contactplannen"
    assert "Standaard: bellen, huisbezoek, brief" in page.content()  # out of the box
    assert_accessible(page)

    page.get_by_role("link", name="Nieuw contactplan").click()
    page.get_by_label("Naam", exact=True).fill("Huisbezoek eerst")
    page.get_by_label("Soort contact 1", exact=True).select_option("Huisbezoek")
    page.get_by_label("Dagen 1", exact=True).fill("0")
    page.get_by_label("Dagdeel 1", exact=True).select_option("Middag")
    page.get_by_label("Soort contact 2", exact=True).select_option("Kaartje")
    page.get_by_label("Dagen 2", exact=True).fill("0")
    page.get_by_label("Meerdere signalen").check()
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    assert "Het contactplan is opgeslagen." in page.content()
    plan = page.get_by_test_id("contact-plan").filter(has_text="Huisbezoek eerst")
    assert "Meerdere signalen" in plan.inner_text()
    page.get_by_role("button", name="Uitloggen").click()

    log_in(page, "medewerker")
    row = page.get_by_role("row").filter(has_text="Lindelaan")
    assert "Huisbezoek" in row.get_by_test_id("queue-next-step").inner_text()
    assert "middag" in row.get_by_test_id("queue-next-step").inner_text()
    page.get_by_label("Vandaag te doen").check()
    page.get_by_label("Sorteren op").select_option("stap")
    page.get_by_role("button", name="Zoeken").click()
    assert_accessible(page)
    page.get_by_role("link", name="Lindelaan").click()

    panel = page.get_by_test_id("contact-plan")
    assert "Contactplan: Huisbezoek eerst" in panel.inner_text()
    assert "Huisbezoek" in panel.get_by_test_id("plan-next-step").inner_text()
    panel.get_by_text("Een stap overslaan, of een latere stap eerst doen").click()
    assert_accessible(page)
    panel.get_by_label("Reden van de wijziging").fill("Bewoner werkt overdag")
    panel.get_by_role("button", name="Stap overslaan").click()
    assert "De stap is overgeslagen." in page.content()
    assert "Kaartje" in page.get_by_test_id("plan-next-step").inner_text()
    assert "Bewoner werkt overdag" in page.get_by_role("list").filter(has_text="Contactplan: stap 1").inner_text()
