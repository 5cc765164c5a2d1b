"""A home-visit day in a real browser: the caseworker plans a round from Vroeg's
proposal (dropping one visit), prints the route sheet without the site around it, and
records the round in one screen; axe-core checks every page."""

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from outreach.models import ContactAttempt, ContactKind
from testkit.browser import assert_accessible, log_in
from visits.models import HomeVisitRound, VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_print_and_record_a_round(page, caseworker, due_visit, last_working_day):
    day = last_working_day
    first = due_visit("3581AB", 1, surname="Bakker", on=day)
    dropped = due_visit("3581AB", 3, surname="Smit", on=day)
    last = due_visit("3581AB", 2, surname="Mulder", on=day)
    due_visit("3590AA", 1, surname="Buiten", on=day)  # outside the area

    log_in(page, "cw")
    page.get_by_role("link", name="Huisbezoeken").click()
    expect(page.get_by_role("heading", name="Huisbezoekrondes")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Ronde plannen").click()
    page.get_by_label("Dag", exact=True).fill(day.isoformat())
    page.get_by_label("Dagdeel").select_option("Middag")
    page.get_by_label("Gebied").fill("3581-3584")
    page.get_by_role("button", name="Voorstel tonen").click()
    rows = page.get_by_test_id("proposed-visit")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_by_role("cell").nth(2).inner_text() for i in range(3)] == [
        "Lange Nieuwstraat 1, 3581AB Voorbeeldstad",
        "Lange Nieuwstraat 3, 3581AB Voorbeeldstad",
        "Lange Nieuwstraat 2, 3581AB Voorbeeldstad",
    ]
    assert_accessible(page)
    page.get_by_label("Lange Nieuwstraat 3, 3581AB Voorbeeldstad meenemen").uncheck()
    page.get_by_role("button", name="Ronde opslaan").click()

    expect(page.get_by_text("De ronde is opgeslagen")).to_be_visible()
    round = HomeVisitRound.objects.get()
    assert [v.case for v in round.visits.order_by("position")] == [first, last]
    sheet = page.get_by_test_id("route-sheet")
    expect(sheet.get_by_role("heading")).to_have_text(f"Looplijst huisbezoeken {date_format(day, 'l j F Y')}, middag")
    expect(page.get_by_test_id("route-visit")).to_have_count(2)
    expect(page.get_by_test_id("route-visit").first).to_contain_text("J. Bakker")
    expect(page.get_by_role("button", name="Afdrukken")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Bezoeken vastleggen")).to_be_hidden()
    expect(page.get_by_role("link", name="Kaartje afdrukken").first).to_be_hidden()
    expect(sheet).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Bezoeken vastleggen").click()
    assert_accessible(page)
    visit_1 = page.get_by_role("group", name="1. Lange Nieuwstraat 1 · J. Bakker")
    visit_1.get_by_label("bereikt", exact=True).check()
    visit_1.get_by_label("Notitie").fill("Afspraak gemaakt voor dinsdag.")
    visit_2 = page.get_by_role("group", name="2. Lange Nieuwstraat 2 · J. Mulder")
    visit_2.get_by_label("niet bereikt").check()
    visit_2.get_by_label("Dagdeel").select_option("Avond")
    page.get_by_role("button", name="Bezoeken vastleggen").click()

    expect(page.get_by_text("De ronde is vastgelegd: 2 contactpogingen.")).to_be_visible()
    expect(page.get_by_test_id("recorded")).to_contain_text("Vastgelegd op")
    expect(page.get_by_test_id("route-visit").nth(1)).to_contain_text("niet bereikt (avond)")
    assert_accessible(page)
    attempts = {a.case_id: (a.kind, a.reached, a.part_of_day, a.note) for a in ContactAttempt.objects.all()}
    assert attempts == {
        first.pk: (ContactKind.HOME_VISIT, True, "Middag", "Afspraak gemaakt voor dinsdag."),
        last.pk: (ContactKind.HOME_VISIT, False, "Avond", ""),
    }
    assert dropped.round_visits.count() == 0
    assert set(round.visits.values_list("status", flat=True)) == {VisitStatus.REACHED, VisitStatus.NOT_REACHED}
    page.get_by_role("link", name="Huisbezoekrondes").click()
    expect(page.get_by_test_id("recorded-rounds").get_by_role("row")).to_have_count(2)
