"""Issue 21: the queue sorts each deadline's cases on `queue_order_rank` (the score
without the rules that depend only on the deadline) and shows `queue_rank`; both must
give exactly the order and the numbers of the score the case page explains. Checked
over many varied cases (every rule scoring and not, deadlines shared and not, met and
waiting), generated from a fixed seed."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from cases.deadlines import open_due_expression
from cases.models import Case, QueueKeyStamp
from cases.priority import DAY_DEPENDENT_Q, RULES, case_priority, queue_order_rank, weights
from cases.queue_keys import queue_keys_current, queue_keys_sweep
from cases.selectors import queue_counts, queue_for_user
from signals.models import PARTNER_TYPE_BITS
from testkit.factories import CaseFactory
from testkit.priority_cases import EVERY_KIND, TODAY, resident_born
from testkit.priority_cases import attempt_on as _attempt

pytestmark = pytest.mark.django_db

BITS = list(PARTNER_TYPE_BITS.values())


def _varied_case(rng: random.Random, municipality, caseworker) -> Case:
    """One case with a random mix of everything the score and the deadlines read."""
    day = lambda: TODAY + timedelta(days=rng.choice([-9, -1, 0, 1, 2, 3, 4, 6, 7, 8, 20]))  # noqa: E731
    fields = {
        "signal_count": rng.randint(1, 6),
        "partner_type_mask": rng.choice([0, BITS[0], BITS[1] | BITS[2], PARTNER_TYPE_BITS["Zorg"], BITS[3]]),
        "total_amount": Decimal(rng.choice([0, 850, 1999, 3000, 12000])),
        "contact_due": rng.choice([None, day()]),
        "effort_due": rng.choice([None, None, day()]),
        "follows_recent_case": rng.random() < 0.3,
        "crisis_proposed_on": rng.choice([None, None, TODAY - timedelta(days=1)]),
    }
    if rng.random() < 0.3:
        fields |= {"crisis_judged_on": TODAY - timedelta(days=2), "crisis_due": day(), "has_crisis": True}
    trait = rng.choice([None, None, "outreach", "contact", "help_accepted"])
    if trait:
        fields[trait] = True
    case = CaseFactory(household__municipality=municipality, **fields)
    if rng.random() < 0.3:
        born = rng.choice([date(2003, 1, 1), date(1970, 5, 5), TODAY.replace(year=TODAY.year - 18)])
        resident_born(case, born)
    if rng.random() < 0.2:
        _attempt(case, on=TODAY - timedelta(days=1), reached=rng.random() < 0.5, by=caseworker)
    return case


@pytest.fixture
def varied(municipality, caseworker):
    rng = random.Random(21)
    for fields, _score in EVERY_KIND.values():
        fields = dict(fields)
        born = fields.pop("born", None)
        reached, missed = fields.pop("attempt_reached", None), fields.pop("attempt_missed", None)
        case = CaseFactory(household__municipality=municipality, **fields)
        if born:
            resident_born(case, born)
        for on, hit in ((reached, True), (missed, False)):
            if on:
                _attempt(case, on=on, reached=hit, by=caseworker)
    for _ in range(120):
        _varied_case(rng, municipality, caseworker)
    return list(Case.objects.annotate(open_due=open_due_expression()).order_by("pk"))


@pytest.mark.parametrize("stored", [True, False], ids=["stored key", "computed"])
def test_the_queue_is_in_the_order_of_the_deadline_then_the_explained_score(varied, caseworker, stored):
    """Both ways the queue sorts: on the key stored on the case (the sweep stamped
    the day) and computed per request (before it did)."""
    if stored:
        queue_keys_sweep(today=TODAY, everything=True)
    else:
        QueueKeyStamp.objects.all().delete()
    assert queue_keys_current(today=TODAY) is stored
    explained = {c.pk: case_priority(c, today=TODAY).score for c in varied}
    expected = sorted(varied, key=lambda c: (c.open_due is None, c.open_due, -explained[c.pk], c.pk))
    queue = list(queue_for_user(user=caseworker, today=TODAY))
    assert [c.pk for c in queue] == [c.pk for c in expected]
    assert {c.pk: c.priority_score for c in queue} == explained
    queue_keys_sweep(everything=True)  # back to the stored keys of the real today
    # Not a vacuous check: deadlines are shared by several cases with different scores.
    shared = {}
    for c in varied:
        shared.setdefault(c.open_due, set()).add(explained[c.pk])
    assert sum(len(scores) > 1 for scores in shared.values()) >= 5


def test_rules_marked_due_only_give_every_case_of_one_deadline_the_same_points(varied):
    w = weights()
    due_only = [rule for rule in RULES if rule.due_only]
    assert {rule.name for rule in due_only} == {"overdue", "due_within_3_days", "due_within_7_days"}
    rows = Case.objects.annotate(open_due=open_due_expression()).annotate(
        **{rule.name: rule.points(w, TODAY, F("open_due")) for rule in due_only}
    )
    points: dict = {}
    for row in rows:
        points.setdefault(row.open_due, set()).add(tuple(getattr(row, rule.name) for rule in due_only))
    assert all(len(values) == 1 for values in points.values())
    assert len(points) > 5


def test_only_cases_marked_day_dependent_change_rank_from_day_to_day(varied):
    """The sweep refreshes on a new day only the cases of `DAY_DEPENDENT_Q`: no other
    case's order rank may depend on the day. Compared on days where residents of the
    generated cases turn 18 or 28."""
    days = [TODAY, TODAY - timedelta(days=1), date(2031, 1, 1), date(2036, 1, 1)]
    ranks = [dict(Case.objects.annotate(r=queue_order_rank(today=d)).values_list("pk", "r")) for d in days]
    changed = {pk for pk in ranks[0] if len({r[pk] for r in ranks}) > 1}
    assert changed, "no case changed rank: the days chosen test nothing"
    assert changed <= set(Case.objects.filter(DAY_DEPENDENT_Q).values_list("pk", flat=True))


def test_the_case_page_explains_the_score_the_queue_shows(client, varied, caseworker, monkeypatch):
    """The case page reads the rules' points with the case (one query less); the lines
    it shows are those of case_priority() on a case read on its own."""
    import cases.views

    monkeypatch.setattr(cases.views.timezone, "localdate", lambda *args: TODAY)
    client.force_login(caseworker)
    for case in [c for c in varied if c.state != "closed"][:12]:
        page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
        for line in case_priority(Case.objects.get(pk=case.pk), today=TODAY).reasons:
            assert line in page


def test_due_this_week_counts_cases_with_another_deadline_missing_or_later(municipality, caseworker):
    """The count reads only cases whose latest deadline is ahead (case_last_due_idx);
    a missing deadline of another kind does not hide a case."""
    today = TODAY
    CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=3))  # counted
    CaseFactory(  # counted: its CAK term is this week, no legal term at all
        household__municipality=municipality, contact_due=None, effort_due=today + timedelta(days=5)
    )
    CaseFactory(  # counted: the crisis term is this week, the legal term later
        household__municipality=municipality,
        crisis_judged_on=today - timedelta(days=1),
        crisis_due=today + timedelta(days=2),
        contact_due=today + timedelta(days=20),
    )
    CaseFactory(household__municipality=municipality, contact_due=today - timedelta(days=1))  # late
    CaseFactory(household__municipality=municipality, contact_due=today + timedelta(days=20))  # later
    CaseFactory(household__municipality=municipality, contact=True, contact_due=today + timedelta(days=2))  # met
    counts = queue_counts(queue_for_user(user=caseworker, today=today), today=today)
    assert counts["this_week"] == 3
    assert counts["overdue"] == 1
