"""The notification list in a real browser: the reminders about one case come as one
entry, with the earlier one under it (issue 16); axe-core checks every rule."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import CaseState
from cases.reminders import reminders_deadlines
from feedback.reminders import reminders_collection_pauses
from signals.models import PartnerType
from testkit.browser import assert_accessible, log_in
from testkit.case_steps import case_walk_to
from testkit.factories import CaseFactory, PartnerFactory, SignalFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ON = date(2026, 11, 20)  # help accepted: both partners pause t/m 20 December


@pytest.mark.parametrize(
    "browser_language", ["nl-NL", pytest.param("en-US", marks=pytest.mark.browser_locale("en-US"))]
)
def test_notifications_about_one_case_are_grouped(page, partner, municipality, make_user, browser_language):
    worker = make_user("caseworker", username="medewerker")
    water = PartnerFactory(code="test-water", name="Waterbedrijf Test", partner_type=PartnerType.WATER)
    water.municipalities.add(municipality)
    helped = CaseFactory(household__municipality=municipality, household__house_number=12, assigned_to=worker)
    SignalFactory(case=helped, partner=partner, partner_referentie="HUUR-7")
    SignalFactory(case=helped, partner=water, partner_referentie="WATER-3", signal_type="drinkwater")
    case_walk_to(CaseState.HELP_ACCEPTED, helped, worker, on=ON)
    assert reminders_collection_pauses(today=ON + timedelta(days=25)) == 1  # both partners in one
    assert reminders_collection_pauses(today=ON + timedelta(days=31)) == 1
    monday = date(2026, 11, 23)
    waiting = CaseFactory(
        household__municipality=municipality,
        household__house_number=99,
        assigned_to=worker,
        contact_due=monday + timedelta(days=2),
    )
    assert reminders_deadlines(today=monday) == 1

    log_in(page, "medewerker")
    assert page.get_by_test_id("bell-count").inner_text() == "3"
    page.get_by_test_id("bell").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    entries = page.get_by_test_id("notification-group")
    assert entries.count() == 2  # one per case
    assert entries.nth(0).get_by_role("heading").first.inner_text().startswith("Termijn verloopt over 2 dagen")
    grouped = entries.nth(1)
    both = "Waterbedrijf Test en Woonstichting Test"
    heading = grouped.get_by_role("heading", level=2).inner_text()
    assert heading.startswith(f"Incassopauzes van {both} zijn voorbij: {helped.household}")
    assert grouped.get_by_role("heading", level=3).inner_text() == "Eerder hierover: 1 melding"
    assert (
        f"Incassopauzes van {both} lopen t/m 20-12-2026" in grouped.get_by_test_id("notification-earlier").inner_text()
    )
    assert_accessible(page)

    grouped.get_by_role("button", name="Openen").click()
    assert page.url.endswith(reverse("case-detail", args=[helped.pk]))
    assert page.get_by_test_id("bell-count").inner_text() == "1"  # both of the case read; the other case's not
    page.get_by_test_id("bell").click()
    assert page.get_by_test_id("notification-group").nth(1).locator(".tag").count() == 0
    assert page.get_by_test_id("notification-group").nth(0).locator(".tag").count() == 1
    assert_accessible(page)
    assert str(waiting.household) in page.get_by_test_id("notification-group").nth(0).inner_text()
