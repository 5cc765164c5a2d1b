"""A caseworker sees the suggestion for the next attempt on the case page in a real
browser, with its basis; axe-core finds nothing."""

from datetime import date

import pytest

from outreach.models import ContactKind
from testkit.browser import assert_accessible, log_in
from testkit.factories import CaseFactory
from testkit.reach_world import many_attempts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_reads_the_suggestion_on_the_case_page(page, municipality, caseworker):
    tried = CaseFactory(
        outreach=True,
        household__municipality=municipality,
        household__postcode="3581KL",
        first_received_on=date(2026, 10, 1),
    )
    many_attempts(
        tried, caseworker, kind=ContactKind.HOME_VISIT, hour=14, reached=26, not_reached=24, on=date(2026, 11, 10)
    )
    case = CaseFactory(
        outreach=True,
        household__municipality=municipality,
        household__postcode="3581AB",
        first_received_on=date(2026, 10, 1),
        assigned_to=caseworker,
    )
    log_in(page, "cw")
    page.goto(f"/zaken/{case.pk}/")
    suggestion = page.get_by_test_id("reach-suggestion").inner_text()
    assert "Bij signalen in 3581: huisbezoek 's middags bereikt 52 % (26 van 50 pogingen" in suggestion
    assert "u beslist wat u probeert" in suggestion
    assert_accessible(page)
