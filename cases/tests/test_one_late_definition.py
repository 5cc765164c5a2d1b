"""One definition of "late" (cases/deadlines.py late_q) behind everything that says
so: the queue, the priority score and the team lead's digest (issue 16). A case
approached by letter within its 4-week term met that term: it is not late anywhere."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.priority import case_priority
from cases.reminders import reminders_overdue_digest
from testkit.factories import CaseFactory
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)  # a working day


def days(n: int) -> date:
    return MONDAY + timedelta(days=n)


@pytest.fixture
def two_cases(municipality):
    late = CaseFactory(household__municipality=municipality, household__house_number=1, contact_due=days(-3))
    met_by_letter = CaseFactory(
        household__municipality=municipality,
        household__house_number=2,
        outreach=True,
        first_attempt_on=days(-10),
        contact_due=days(-3),
        lcv_target=None,
    )
    return late, met_by_letter


def test_only_the_late_case_scores_points_for_a_passed_term(two_cases):
    late, met_by_letter = two_cases
    assert "termijn verstreken sinds 3 dagen: +40" in case_priority(late, today=MONDAY).reasons
    assert not any("termijn" in reason for reason in case_priority(met_by_letter, today=MONDAY).reasons)


def test_the_digest_counts_what_the_queue_it_links_to_shows_as_late(two_cases, teamlead):
    late, met_by_letter = two_cases
    late.assigned_to = met_by_letter.assigned_to = teamlead
    late.save(update_fields=["assigned_to"])
    met_by_letter.save(update_fields=["assigned_to"])

    assert reminders_overdue_digest(today=MONDAY) == 1
    digest = Notification.objects.get(user=teamlead)
    assert digest.subject == "1 zaak te laat, 0 niet toegewezen en bijna verlopen"
    assert f"(zaak {late.pk})" in digest.body and f"(zaak {met_by_letter.pk})" not in digest.body
    assert digest.url == reverse("caseworker-dashboard") + "?deadline=overdue"


def test_the_queue_sorts_by_the_deadline_it_shows(municipality, caseworker):
    """A term met long ago (help accepted 35 days after its last day passed) must not
    sort above a case that is late now, nor above one due next week."""
    from django.utils import timezone

    from cases.selectors import queue_for_user

    today = timezone.localdate()
    m = {"household__municipality": municipality}
    met_long_ago = CaseFactory(
        **m,
        household__house_number=1,
        help_accepted=True,
        first_contact_on=today - timedelta(days=40),
        help_accepted_on=today - timedelta(days=38),
        contact_due=today - timedelta(days=35),
    )
    late = CaseFactory(**m, household__house_number=2, contact_due=today - timedelta(days=3))
    next_week = CaseFactory(**m, household__house_number=3, contact_due=today + timedelta(days=6))
    order = list(queue_for_user(user=caseworker, today=today).values_list("pk", flat=True))
    assert order == [late.pk, next_week.pk, met_long_ago.pk]


def test_a_withdrawn_crisis_term_is_neither_met_nor_missed_on_the_case_page(client, municipality, caseworker):
    """A judgement withdrawn (wrong address judged) no longer counts: its term, passed
    without a conversation, must not read "niet gehaald" on the case page."""
    from django.utils import timezone

    from cases.services import case_mark_threatening, crisis_term_withdraw

    today = timezone.localdate()
    case = CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=20))
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=today - timedelta(days=10))
    term = case.crisis_terms.get()
    crisis_term_withdraw(case_id=case.pk, term_id=term.pk, user=caseworker, reason="Verkeerd adres beoordeeld")
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    terms = page.split('data-testid="crisis-terms"')[1].split("</table>")[0]
    assert f"{term.due:%d-%m-%Y}" in terms
    assert "niet gehaald" not in terms and "te laat" not in terms
