"""The partner's feedback pages and the caseworker's pause prompt and bell in a real
browser, with axe-core checking WCAG 2.1 AA."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases.models import CaseState, Outcome
from cases.services import case_close
from feedback.models import CollectionPause, Feedback
from feedback.reminders import reminders_collection_pauses
from testkit.browser import assert_accessible, log_in
from testkit.case_steps import case_walk_to
from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ON = date(2026, 11, 20)  # the day each step is taken


def test_partner_reads_filters_and_downloads_feedback(page, make_user, partner, municipality, caseworker):
    make_user("partner_user", username="priya", partner=partner)
    delivery = DeliveryFactory(partner=partner)
    first, second = (CaseFactory(household__municipality=municipality, household__house_number=n) for n in (1, 2))
    SignalFactory(case=first, partner=partner, delivery=delivery, partner_referentie="HUUR-A")
    SignalFactory(case=second, partner=partner, delivery=delivery, partner_referentie="HUUR-B")
    case_walk_to(CaseState.HELP_ACCEPTED, first, caseworker, on=ON)
    case_close(case_id=second.pk, user=caseworker, outcome=Outcome.KNOWN_TO_DEBT_HELP)

    log_in(page, "priya")
    page.get_by_role("link", name="Terugkoppeling").click()
    table = page.get_by_test_id("feedback-table")
    assert "Hulp geaccepteerd" in table.inner_text() and "20-12-2026" in table.inner_text()
    assert "Niet opgepakt" in table.inner_text() and "schuldhulpverlening" not in page.content()
    assert_accessible(page)

    today = timezone.localdate()
    page.get_by_label("Vanaf").fill((today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Filteren").click()
    assert "Geen terugkoppeling in deze periode." in page.content()
    page.get_by_label("Vanaf").fill(today.isoformat())
    page.get_by_role("button", name="Filteren").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Downloaden als CSV").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 3 and lines[0].startswith("partner_referentie;")

    page.get_by_role("link", name="Cijfers").click()
    assert page.get_by_test_id("figures-table").locator("td").first.inner_text() == "2"
    assert_accessible(page)


def test_caseworker_follows_the_bell_to_an_ended_pause_and_records_the_follow_up(
    page, partner, municipality, caseworker
):
    case = CaseFactory(household__municipality=municipality, assigned_to=caseworker)
    SignalFactory(case=case, partner=partner, partner_referentie="HUUR-P")
    case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=ON)
    # The partner paused "tot en met" yesterday: today the pause has ended.
    CollectionPause.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    reminders_collection_pauses(today=timezone.localdate())

    log_in(page, "cw")
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    page.get_by_test_id("bell").click()
    assert_accessible(page)
    page.get_by_role("button", name="Openen").click()
    assert page.get_by_test_id("pause-prompt").is_visible()
    assert_accessible(page)
    field = page.get_by_label("Wat is er geregeld")
    field.focus()
    page.keyboard.type("Betalingsregeling met Woonstichting Test")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "opgevolgd: Betalingsregeling met Woonstichting Test" in page.content()
    assert page.get_by_test_id("pause-prompt").count() == 0
    assert page.get_by_test_id("bell-count").count() == 0


@pytest.mark.parametrize(
    "browser_language", ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))]
)
def test_partner_reads_which_pauses_run_and_which_ended(
    page, make_user, partner, municipality, caseworker, browser_language
):
    make_user("partner_user", username="priya", partner=partner)
    today = timezone.localdate()
    for n in (1, 2):
        case = CaseFactory(household__municipality=municipality, household__house_number=n)
        SignalFactory(case=case, partner=partner, partner_referentie=f"HUUR-{n}")
        case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=ON)
    Feedback.objects.filter(signal__partner_referentie="HUUR-2").update(pause_ends_on=today - timedelta(days=3))
    Feedback.objects.filter(signal__partner_referentie="HUUR-1").update(pause_ends_on=today + timedelta(days=4))

    log_in(page, "priya")
    page.get_by_role("link", name="Terugkoppeling").click()
    table = page.get_by_test_id("feedback-table")
    assert table.get_by_role("columnheader").last.inner_text() == "Incassopauze"
    ended = table.get_by_role("row").filter(has_text="HUUR-2").get_by_test_id("collection-pause")
    running = table.get_by_role("row").filter(has_text="HUUR-1").get_by_test_id("collection-pause")
    assert ended.inner_text() == f"Pauze liep af op {today - timedelta(days=3):%d-%m-%Y}"
    assert running.inner_text() == f"Incasso pauzeren tot en met {today + timedelta(days=4):%d-%m-%Y}"
    assert_accessible(page)
    page.get_by_role("link", name="Wat u hoort, en waarom").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Terugkoppeling: wat u van de gemeente hoort"
    assert_accessible(page)
