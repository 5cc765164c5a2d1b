"""Priority: the score is the sum of the lines it shows, in plain Dutch."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Case, Outcome
from cases.priority import case_priority, queue_rank
from testkit.factories import CaseFactory
from testkit.priority_cases import BITS, EVERY_KIND, TODAY, resident_born
from testkit.priority_cases import attempt_on as _attempt

pytestmark = pytest.mark.django_db


def test_explanation_adds_up_to_the_score(municipality):
    case = CaseFactory(
        household__municipality=municipality,
        signal_count=3,
        partner_type_mask=BITS["Huur"] | BITS["Energie"] | BITS["Water"],
        total_amount=Decimal("2400.50"),
        crisis_due=TODAY + timedelta(days=2),
        contact_due=TODAY + timedelta(days=20),
    )
    p = case_priority(case, today=TODAY)
    assert p.reasons == [
        "3 signalen: +30",
        "3 soorten vaste lasten: +20",
        "totale achterstand € 2.400,50: +10",
        "bedreigende situatie (crisistermijn van 3 werkdagen): +50",
        "nog 2 dagen tot de termijn: +30",
    ]
    assert p.score == 140


def test_overdue_and_single_signal(municipality):
    case = CaseFactory(household__municipality=municipality, contact_due=TODAY - timedelta(days=3))
    p = case_priority(case, today=TODAY)
    assert p.reasons == ["1 signaal: +10", "termijn verstreken sinds 3 dagen: +40"]


def test_contact_made_means_no_deadline_points(municipality):
    case = CaseFactory(household__municipality=municipality, contact=True, contact_due=TODAY)
    assert case_priority(case, today=TODAY).reasons == ["1 signaal: +10"]


def test_consecutive_signals_at_the_same_address(municipality, partner, caseworker):
    """Intake marks a new case when the household had another case opened in the 6
    months before; the score explains it."""
    from cases.services import case_close
    from testkit.signal_files import csv_bytes, deliver, row

    deliver(partner, csv_bytes([row(partner_referentie="A-1"), row(partner_referentie="B-1", postcode="5678CD")]))
    first, far = Case.objects.order_by("household__postcode")
    Case.objects.filter(pk=far.pk).update(opened_at=timezone.now() - timedelta(days=200))
    for case in (first, far):
        case_close(case_id=case.pk, outcome=Outcome.NOT_PICKED_UP_OTHER, user=caseworker)
    deliver(partner, csv_bytes([row(partner_referentie="A-2"), row(partner_referentie="B-2", postcode="5678CD")]))
    again, later = Case.objects.filter(closed_at__isnull=True).order_by("household__postcode")
    assert again.follows_recent_case and not later.follows_recent_case
    assert "eerder signaal op dit adres in de afgelopen 6 maanden: +15" in case_priority(again, today=TODAY).reasons
    assert not any("eerder signaal" in r for r in case_priority(later, today=TODAY).reasons)


def test_queue_rank_is_the_score_of_the_case_page(municipality):
    """The queue's SQL sum equals case_priority() for cases that use every part."""
    variants = [
        {},
        {"signal_count": 4, "partner_type_mask": BITS["Huur"] | BITS["Water"], "total_amount": Decimal("8000")},
        {"crisis_due": TODAY + timedelta(days=1), "has_crisis": True},
        {"crisis_due": TODAY, "help_accepted": True},
        # a term judged after help was accepted, nobody spoken to since (Wgs art. 4 lid 2)
        {
            "crisis_judged_on": TODAY - timedelta(days=1),
            "crisis_due": TODAY + timedelta(days=2),
            "help_accepted": True,
            "signal_count": 3,
        },
        # a partner's crisis signal still to judge: no term, but it asks for a judgement
        {"crisis_proposed_on": TODAY - timedelta(days=1), "has_crisis": True, "signal_count": 6},
        {"contact_due": TODAY - timedelta(days=2)},
        {"contact_due": TODAY + timedelta(days=6), "total_amount": Decimal("1999.99")},
        {"contact": True, "contact_due": TODAY - timedelta(days=9), "signal_count": 2},
        {"follows_recent_case": True, "partner_type_mask": BITS["Zorg"]},
    ]
    cases = [CaseFactory(household__municipality=municipality, **v) for v in variants]
    resident_born(cases[-1], date(2003, 1, 1))
    ranked = dict(Case.objects.annotate(rank=queue_rank(today=TODAY)).values_list("pk", "rank"))
    assert [ranked[c.pk] for c in cases] == [case_priority(c, today=TODAY).score for c in cases]
    assert len(set(ranked.values())) == len(cases)  # the variants really differ


@pytest.mark.parametrize(
    "born, counts", [(date(2004, 6, 1), True), (date(1990, 6, 1), False), (date(2009, 6, 1), False)]
)
def test_young_adult_with_only_a_health_insurance_signal(municipality, born, counts):
    case = CaseFactory(
        household__municipality=municipality, partner_type_mask=BITS["Zorg"], contact_due=TODAY + timedelta(days=20)
    )
    resident_born(case, born)
    reasons = case_priority(case, today=TODAY).reasons
    assert ("jongvolwassene (18–27) met alleen een zorgverzekeringssignaal: +15" in reasons) is counts


def test_weights_come_from_settings(municipality, settings):
    settings.VROEG_PRIORITY_WEIGHTS = {"per_signal": 1}
    case = CaseFactory(household__municipality=municipality, signal_count=4, contact_due=TODAY + timedelta(days=20))
    assert case_priority(case, today=TODAY).reasons == ["4 signalen: +4"]


def test_partners_are_treated_equally(municipality):
    """The kind of partner does not weigh: rent or health insurance, the same score."""
    rent = CaseFactory(
        household__municipality=municipality, partner_type_mask=BITS["Huur"], contact_due=TODAY + timedelta(days=20)
    )
    water = CaseFactory(
        household__municipality=municipality, partner_type_mask=BITS["Water"], contact_due=TODAY + timedelta(days=20)
    )
    assert case_priority(rent, today=TODAY).score == case_priority(water, today=TODAY).score


def test_queue_sorts_each_deadline_by_the_score_the_case_page_explains(client, caseworker, municipality):
    """Same deadline: the crisis case with one signal (score 100) comes before the
    case with three signals (30 + deadline points), which comes before the plain one."""
    from django.urls import reverse

    today = timezone.localdate()
    due = today + timedelta(days=2)
    plain = CaseFactory(household__municipality=municipality, next_due=due, contact_due=due)
    heavy = CaseFactory(household__municipality=municipality, next_due=due, contact_due=due, signal_count=3)
    crisis = CaseFactory(
        household__municipality=municipality,
        next_due=due,
        contact_due=due + timedelta(days=20),
        crisis_due=due,
        has_crisis=True,
    )
    earlier = CaseFactory(household__municipality=municipality, next_due=today, contact_due=today)
    client.force_login(caseworker)
    page = client.get(reverse("caseworker-dashboard")).content.decode()
    order = [page.index(f'href="/zaken/{c.pk}/"') for c in (earlier, crisis, heavy, plain)]
    assert order == sorted(order)
    for c in (earlier, crisis, heavy, plain):
        c.refresh_from_db()
    shown = [int(s.split("<")[0]) for s in page.split('data-testid="queue-priority">')[1:]]
    assert shown == [case_priority(c, today=today).score for c in (earlier, crisis, heavy, plain)]


def test_a_crisis_signal_to_judge_weighs_less_than_a_running_crisis_term(municipality):
    """A partner's crisissignaal=ja is a proposal, not a term: it asks for a judgement
    (+25) but not yet for the 3-working-day conversation (+50)."""
    proposed = CaseFactory(
        household__municipality=municipality,
        crisis_proposed_on=TODAY,
        has_crisis=True,
        contact_due=TODAY + timedelta(days=20),
    )
    assert case_priority(proposed, today=TODAY).reasons == [
        "1 signaal: +10",
        "afsluit-/crisissignaal van een partner, nog te beoordelen: +25",
    ]
    judged = CaseFactory(
        household__municipality=municipality,
        crisis_judged_on=TODAY,
        contact_due=TODAY + timedelta(days=20),
        crisis_due=TODAY + timedelta(days=5),
        has_crisis=True,
    )
    assert case_priority(judged, today=TODAY).reasons == [
        "1 signaal: +10",
        "bedreigende situatie (crisistermijn van 3 werkdagen): +50",
        "nog 5 dagen tot de termijn: +20",
    ]


def test_queue_rank_equals_the_explained_score_for_every_kind_of_case(municipality, caseworker):
    """Every kind of case: the queue's SQL rank, the case page's score and the sum of
    the lines it explains are the same hand-computed number."""
    cases = {}
    for name, (fields, _expected) in EVERY_KIND.items():
        fields = dict(fields)
        born = fields.pop("born", None)
        reached, missed = fields.pop("attempt_reached", None), fields.pop("attempt_missed", None)
        case = CaseFactory(household__municipality=municipality, **fields)
        if born:
            resident_born(case, born)
        if reached:
            _attempt(case, on=reached, reached=True, by=caseworker)
        if missed:
            _attempt(case, on=missed, reached=False, by=caseworker)
        cases[name] = case
    ranked = dict(Case.objects.annotate(rank=queue_rank(today=TODAY)).values_list("pk", "rank"))
    expected = {name: score for name, (_fields, score) in EVERY_KIND.items()}
    assert {name: ranked[case.pk] for name, case in cases.items()} == expected
    explained = {name: case_priority(case, today=TODAY) for name, case in cases.items()}
    assert {name: p.score for name, p in explained.items()} == expected
    for name, p in explained.items():
        assert sum(int(line.rsplit("+", 1)[1]) for line in p.reasons) == p.score, name


def test_a_cak_case_past_its_own_term_explains_the_score_the_queue_gives(municipality, client, caseworker):
    """Issue 14: a CAK list entry (no legal term) whose own term passed 3 days ago
    scores 1 signal (+10) and the passed term (+40) on the case page, as in the queue."""
    case = CaseFactory(
        household__municipality=municipality,
        partner_type_mask=BITS["CAK Zorgverzekeringen"],
        contact_due=None,
        lcv_target=None,
        effort_due=TODAY - timedelta(days=3),
    )
    assert case.next_due == TODAY - timedelta(days=3)
    p = case_priority(case, today=TODAY)
    assert p.reasons == ["1 signaal: +10", "termijn verstreken sinds 3 dagen: +40"]
    assert p.score == 50
    assert Case.objects.annotate(rank=queue_rank(today=TODAY)).get(pk=case.pk).rank == 50
