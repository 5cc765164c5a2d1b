"""The crisis term starts when the municipality JUDGES the situation threatening (Wgs
art. 4 lid 2; NVVK module: "Zodra de gemeente oordeelt dat het ontvangen (afsluit)signaal
op een 'bedreigende situatie' duidt, en via vroegsignalering is niet eerder hulp
aangeboden, dan moet binnen 3 werkdagen hulp en een eerste gesprek aangeboden worden";
"Als een inwoner de aangeboden hulp accepteert en er blijkt sprake van een bedreigende
situatie, dan geldt de wettelijke termijn voor een eerste gesprek van 3 werkdagen").
A partner's crisissignaal=ja is a proposal until then."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.assessment import cases_assess_pending
from cases.models import Case, CaseState, CrisisTerm
from cases.reminders import reminders_deadlines
from cases.services import (
    CaseActionRefused,
    case_mark_threatening,
    crisis_proposal_dismiss,
    crisis_term_withdraw,
)
from testkit.factories import CaseFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditEntry
from vroeg.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _signal(partner, received_on: date, reference: str, crisis: str = "ja") -> Case:
    deliver(
        partner,
        csv_bytes(
            [
                row(
                    partner_referentie=reference,
                    crisissignaal=crisis,
                    signaaldatum=(received_on - timedelta(days=3)).isoformat(),
                )
            ]
        ),
        received_on=received_on,
    )
    return Case.objects.get(closed_at__isnull=True)


def test_intake_proposes_a_new_term_only_when_none_runs(partner, caseworker):
    case = _signal(partner, date(2026, 11, 2), "A")  # Monday 2 November
    assert (case.crisis_proposed_on, case.crisis_due) == (date(2026, 11, 2), None)
    # A second crisis signal while the first still waits keeps the first date.
    case = _signal(partner, date(2026, 11, 3), "B")
    assert case.crisis_proposed_on == date(2026, 11, 2)
    # Judged on Tue 3 Nov: Wed 4, Thu 5, Fri 6 November.
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 3))
    assert (case.crisis_proposed_on, case.crisis_judged_on, case.crisis_due) == (
        None,
        date(2026, 11, 3),
        date(2026, 11, 6),
    )
    # A disconnection signal on the last day of the running term: no new proposal.
    case = _signal(partner, date(2026, 11, 6), "C")
    assert case.crisis_proposed_on is None
    # After the term passed, a new one on the open case is a new proposal; the passed
    # term stays the current one until the municipality judges again.
    case = _signal(partner, date(2026, 11, 9), "D")
    assert (case.crisis_proposed_on, case.crisis_due) == (date(2026, 11, 9), date(2026, 11, 6))


def test_the_judgement_date_is_today_or_an_earlier_day_after_receipt(partner, caseworker):
    case = _signal(partner, date(2026, 11, 2), "A")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(CaseActionRefused, match="niet in de toekomst"):
        case_mark_threatening(case_id=case.pk, user=caseworker, on=tomorrow)
    with pytest.raises(CaseActionRefused, match=r"niet vóór de ontvangst van het signaal \(02-11-2026\)"):
        case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 10, 30))
    case = case_mark_threatening(case_id=case.pk, user=caseworker)  # confirmed today
    term = CrisisTerm.objects.get(case=case)
    assert (term.judged_on, term.judged_by) == (timezone.localdate(), caseworker)
    assert AuditEntry.objects.filter(object_type="cases.crisisterm", object_id=str(term.pk), actor=caseworker).exists()


@pytest.mark.parametrize(
    "state, starts",
    [(CaseState.NEW, True), (CaseState.OUTREACH, True), (CaseState.CONTACT, False), (CaseState.HELP_ACCEPTED, True)],
)
def test_no_term_once_help_was_offered_until_it_is_accepted(municipality, caseworker, state, starts):
    """Help is offered in the first contact (5 Nov in these cases; help accepted 6 Nov)."""
    trait = {CaseState.OUTREACH: "outreach", CaseState.CONTACT: "contact", CaseState.HELP_ACCEPTED: "help_accepted"}
    case = CaseFactory(household__municipality=municipality, **({trait[state]: True} if state in trait else {}))
    judged = date(2026, 11, 20)  # Friday: Mon 23, Tue 24, Wed 25 November
    if starts:
        case = case_mark_threatening(case_id=case.pk, user=caseworker, on=judged)
        assert case.crisis_due == date(2026, 11, 25)
    else:
        with pytest.raises(CaseActionRefused, match="in het eerste contact \\(05-11-2026\\) al hulp aangeboden"):
            case_mark_threatening(case_id=case.pk, user=caseworker, on=judged)
        assert not CrisisTerm.objects.exists()


def test_a_running_term_is_not_started_twice(municipality, caseworker):
    case = CaseFactory(household__municipality=municipality)
    case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 20))  # until Wed 25 Nov
    with pytest.raises(CaseActionRefused, match="loopt al een crisistermijn tot en met 25-11-2026"):
        case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 25))
    # Thursday 26 Nov, the term has passed: a new one, Fri 27, Mon 30 Nov, Tue 1 Dec.
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 26))
    assert case.crisis_due == date(2026, 12, 1)
    assert list(case.crisis_terms.values_list("due", flat=True)) == [date(2026, 11, 25), date(2026, 12, 1)]


def test_the_assessment_judges_itself_when_the_municipality_says_so(partner, municipality):
    case = _signal(partner, date(2026, 11, 2), "A")
    cases_assess_pending()
    case.refresh_from_db()
    assert case.crisis_proposed_on == date(2026, 11, 2) and not case.crisis_terms.exists()  # waits for a caseworker

    municipality.crisis_auto_judgement = True
    municipality.save()
    Case.objects.filter(pk=case.pk).update(needs_assessment=True)
    cases_assess_pending()
    case.refresh_from_db()
    today = timezone.localdate()
    term = case.crisis_terms.get()
    assert (term.judged_on, term.judged_by, case.crisis_proposed_on) == (today, None, None)
    assert (case.crisis_judged_on, case.crisis_due) == (today, term.due)
    assert term.due > today


def test_automatic_judgement_leaves_a_proposal_it_cannot_act_on(municipality, caseworker):
    municipality.crisis_auto_judgement = True
    municipality.save()
    case = CaseFactory(
        household__municipality=municipality, contact=True, crisis_proposed_on=date(2026, 11, 6), has_crisis=True
    )
    cases_assess_pending()
    case.refresh_from_db()
    assert case.crisis_proposed_on == date(2026, 11, 6) and not case.crisis_terms.exists()


def test_case_page_shows_the_proposal_and_the_caseworker_confirms_it(client, partner, caseworker):
    case = _signal(partner, date(2026, 11, 2), "A")
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert (
        "Partner meldt een afsluit-/crisissignaal (ontvangen op 02-11-2026): beoordeel of de situatie bedreigend is."
        in page
    )
    # The caseworker enters the day the situation was judged: Wed 4 Nov → Thu 5, Fri 6, Mon 9 Nov.
    client.post(reverse("case-threatening", args=[case.pk]), {"judged_on": "2026-11-04", "reason": "Afsluiting gas"})
    case.refresh_from_db()
    assert (case.crisis_judged_on, case.crisis_due, case.crisis_proposed_on) == (
        date(2026, 11, 4),
        date(2026, 11, 9),
        None,
    )
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Partner meldt een afsluit-/crisissignaal" not in page
    assert 'data-testid="crisis-terms"' in page and "04-11-2026" in page and "Afsluiting gas" in page


def test_case_page_says_why_no_term_starts_in_contact(client, municipality, caseworker):
    case = CaseFactory(
        household__municipality=municipality, contact=True, crisis_proposed_on=date(2026, 11, 6), has_crisis=True
    )
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Er start geen crisistermijn: de inwoner is in het eerste contact (05-11-2026) al hulp aangeboden." in page
    response = client.post(reverse("crisis-proposal-dismiss", args=[case.pk]), {"reason": ""}, follow=True)
    assert "Geef een reden op waarom de situatie niet bedreigend is." in response.content.decode()
    client.post(reverse("crisis-proposal-dismiss", args=[case.pk]), {"reason": "Hulp loopt al"})
    case.refresh_from_db()
    assert case.crisis_proposed_on is None and not case.crisis_terms.exists()


def test_withdrawing_a_judgement_keeps_the_row_and_clears_the_running_term(municipality, caseworker):
    case = CaseFactory(household__municipality=municipality, contact_due=date(2026, 11, 30))
    case = case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 20))  # until Wed 25 Nov
    assert case.next_due == date(2026, 11, 25)
    term = case.crisis_terms.get()
    with pytest.raises(CaseActionRefused, match="Geef een reden op"):
        crisis_term_withdraw(case_id=case.pk, term_id=term.pk, user=caseworker, reason=" ")
    crisis_term_withdraw(case_id=case.pk, term_id=term.pk, user=caseworker, reason="Verkeerd adres beoordeeld")
    case.refresh_from_db()
    term.refresh_from_db()
    assert (case.crisis_judged_on, case.crisis_due, case.next_due) == (None, None, date(2026, 11, 30))
    assert (term.withdrawn_by, term.withdraw_reason) == (caseworker, "Verkeerd adres beoordeeld")
    assert term.withdrawn_at is not None
    assert AuditEntry.objects.filter(
        object_type="cases.crisisterm", object_id=str(term.pk), reason="Verkeerd adres beoordeeld"
    ).exists()
    with pytest.raises(CaseActionRefused, match="al ingetrokken"):
        crisis_term_withdraw(case_id=case.pk, term_id=term.pk, user=caseworker, reason="nogmaals")


def test_dismissing_a_proposal_needs_a_reason(municipality, caseworker):
    case = CaseFactory(household__municipality=municipality, crisis_proposed_on=date(2026, 11, 6), has_crisis=True)
    with pytest.raises(CaseActionRefused, match="Geef een reden op"):
        crisis_proposal_dismiss(case_id=case.pk, user=caseworker, reason="")
    crisis_proposal_dismiss(case_id=case.pk, user=caseworker, reason="Betalingsregeling al getroffen")
    case.refresh_from_db()
    assert case.crisis_proposed_on is None
    assert AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), reason="Betalingsregeling al getroffen"
    ).exists()


def test_a_term_found_after_help_was_accepted_reminds_until_the_resident_is_reached(municipality, caseworker):
    """Help accepted on 6 Nov; judged threatening Fri 20 Nov: term until Wed 25 Nov. The
    caseworker hears it every working day until a contact attempt reaches the resident."""
    from outreach.services import contact_attempt_record

    case = CaseFactory(
        household__municipality=municipality, help_accepted=True, assigned_to=caseworker, contact_due=date(2026, 11, 30)
    )
    case_mark_threatening(case_id=case.pk, user=caseworker, on=date(2026, 11, 20))
    reminders_deadlines(today=date(2026, 11, 23))  # Monday
    assert Notification.objects.filter(key=f"crisis:{case.pk}:2026-11-23").exists()
    contact_attempt_record(
        case_id=case.pk,
        user=caseworker,
        kind="Telefoon",
        reached=True,
        attempted_at=timezone.make_aware(datetime(2026, 11, 24, 10)),
    )
    reminders_deadlines(today=date(2026, 11, 25))
    assert not Notification.objects.filter(key=f"crisis:{case.pk}:2026-11-25").exists()
    assert CrisisTerm.objects.get(case=case).due == date(2026, 11, 25)


def test_a_term_of_another_case_cannot_be_withdrawn_through_this_one(client, municipality, caseworker):
    ours = CaseFactory(household__municipality=municipality)
    theirs = CaseFactory(household__municipality=municipality)
    case_mark_threatening(case_id=theirs.pk, user=caseworker, on=date(2026, 11, 20))
    term = theirs.crisis_terms.get()
    client.force_login(caseworker)
    url = reverse("crisis-term-withdraw", args=[ours.pk, term.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    term.refresh_from_db()
    assert term.withdrawn_at is None
