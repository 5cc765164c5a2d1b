"""Transparent priority (LCV principle c): a score with its explanation in plain Dutch.

Every part of the score is a line the caseworker can read on the case ("3 signalen:
+30"). Weights come from settings (PRIORITY_WEIGHTS); partners are treated equally
(LCV principle a): the kind of partner never weighs, only how many kinds there are,
with one exception the issue names: a young adult with only a health-insurance
signal.

One table, RULES, is the priority: each rule is its points as an SQL expression over
the case row, and the line that explains them. The queue sorts by their sum
(`queue_rank`); the case page (`case_priority`) has the database evaluate the same
expressions on its case's row and shows a line for each rule that scores. The score a
case page explains is therefore the rank the queue sorted it by: there is no second
definition to drift from (issue 14: a CAK case past its own term ranked 50 in the
queue while its page explained 10).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import add

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import (
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor, Least
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, IsNull, LessThanOrEqual

from signals.models import PARTNER_TYPE_BITS, PartnerType
from vroeg.formatting import euro

from .deadlines import crisis_awaits_conversation_q, open_due_expression
from .models import Case, Resident

DEFAULT_WEIGHTS = {
    "per_signal": 10,
    "per_partner_type": 10,
    "per_1000_euro": 5,
    "amount_cap": 25,
    "crisis": 50,
    "crisis_to_judge": 25,
    "overdue": 40,
    "due_within_3_days": 30,
    "due_within_7_days": 20,
    "consecutive": 15,
    "young_adult_health_only": 15,
}


@dataclass
class Priority:
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        if points:
            self.score += points
            self.reasons.append(f"{reason}: +{points}")


def weights() -> dict[str, int]:
    return {**DEFAULT_WEIGHTS, **getattr(settings, "VROEG_PRIORITY_WEIGHTS", {})}


@dataclass(frozen=True)
class Rule:
    """One part of the score, named after its weight. `points(weights, today)`: an SQL
    integer over the case row, 0 when the rule does not apply. `reason(case, today)`:
    the line the case page shows when it scores (words only; the points are the SQL's)."""

    name: str
    points: Callable[[dict[str, int], date], object]
    reason: Callable[[Case, date], str]


def _points(condition, points: int) -> SqlCase:
    return SqlCase(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _kinds_points(w: dict[str, int], today: date):
    kinds = sum(
        (_points(GreaterThan(F("partner_type_mask").bitand(bit), 0), 1) for bit in PARTNER_TYPE_BITS.values()),
        Value(0),
    )
    return SqlCase(
        When(Q(partner_type_mask=0), then=Value(0)),
        default=(kinds - 1) * w["per_partner_type"],
        output_field=IntegerField(),
    )


def _amount_points(w: dict[str, int], today: date):
    thousands = Cast(Floor(F("total_amount") / 1000), IntegerField())
    return Least(thousands * w["per_1000_euro"], Value(w["amount_cap"]), output_field=IntegerField())


def _nearest_due_in(weight: str, first: int | None, last: int | None):
    """Points while the nearest deadline still waiting for its step (`open_due`:
    cases/deadlines.py, the same the queue shows in red when passed) is from `first`
    to `last` days from today (None: no bound)."""

    def points(w: dict[str, int], today: date):
        due = open_due_expression()
        waiting = Q(IsNull(due, False))
        if first is not None:
            waiting &= Q(GreaterThanOrEqual(due, today + timedelta(days=first)))
        if last is not None:
            waiting &= Q(LessThanOrEqual(due, today + timedelta(days=last)))
        return _points(waiting, w[weight])

    return points


def _young_adult_range(today: date) -> tuple[date, date]:
    """Birth dates of people aged 18 up to and including 27 today."""
    return today - relativedelta(years=28) + timedelta(days=1), today - relativedelta(years=18)


def _young_adult_points(w: dict[str, int], today: date):
    young_adult = Exists(
        Resident.objects.filter(household_id=OuterRef("household_id"), birth_date__range=_young_adult_range(today))
    )
    health_only = Q(partner_type_mask=PARTNER_TYPE_BITS[PartnerType.ZORG])
    return _points(health_only & young_adult, w["young_adult_health_only"])


def _days(case: Case, today: date) -> int:
    return (case.open_due - today).days


RULES: tuple[Rule, ...] = (
    Rule(
        "per_signal",
        lambda w, today: F("signal_count") * w["per_signal"],
        lambda c, today: f"{c.signal_count} signaal" if c.signal_count == 1 else f"{c.signal_count} signalen",
    ),
    Rule("per_partner_type", _kinds_points, lambda c, today: f"{len(c.partner_types)} soorten vaste lasten"),
    Rule("per_1000_euro", _amount_points, lambda c, today: f"totale achterstand {euro(c.total_amount)}"),
    # A judged term, nobody spoken to since.
    Rule(
        "crisis",
        lambda w, today: _points(crisis_awaits_conversation_q(), w["crisis"]),
        lambda c, today: "bedreigende situatie (crisistermijn van 3 werkdagen)",
    ),
    # A proposal is no term, but asks for a judgement.
    Rule(
        "crisis_to_judge",
        lambda w, today: _points(Q(crisis_proposed_on__isnull=False), w["crisis_to_judge"]),
        lambda c, today: "afsluit-/crisissignaal van een partner, nog te beoordelen",
    ),
    Rule(
        "overdue",
        _nearest_due_in("overdue", None, -1),
        lambda c, today: f"termijn verstreken sinds {-_days(c, today)} dag{'en' if _days(c, today) < -1 else ''}",
    ),
    Rule(
        "due_within_3_days",
        _nearest_due_in("due_within_3_days", 0, 3),
        lambda c, today: f"nog {_days(c, today)} dag{'en' if _days(c, today) != 1 else ''} tot de termijn",
    ),
    Rule(
        "due_within_7_days",
        _nearest_due_in("due_within_7_days", 4, 7),
        lambda c, today: f"nog {_days(c, today)} dagen tot de termijn",
    ),
    Rule(
        "consecutive",
        lambda w, today: _points(Q(follows_recent_case=True), w["consecutive"]),
        lambda c, today: "eerder signaal op dit adres in de afgelopen 6 maanden",
    ),
    Rule(
        "young_adult_health_only",
        _young_adult_points,
        lambda c, today: "jongvolwassene (18–27) met alleen een zorgverzekeringssignaal",
    ),
)


def queue_rank(*, today: date):
    """The score as an SQL expression over the case row (the sum of RULES), so the
    queue can sort each deadline's cases by it. The database sorts only the cases of
    the deadlines it reads (index case_open_queue_idx gives the deadline order), so the
    young-adult subquery runs for a page's worth of days, not for every case."""
    w = weights()
    return ExpressionWrapper(reduce(add, (rule.points(w, today) for rule in RULES)), output_field=IntegerField())


def case_priority(case: Case, *, today: date) -> Priority:
    """The score and its explanation for an open case: the database evaluates RULES on
    the case's row (one query), and each rule that scores is a line."""
    w = weights()
    row = (
        Case.objects.annotate(open_due=open_due_expression())
        .annotate(**{f"points_{rule.name}": rule.points(w, today) for rule in RULES})
        .get(pk=case.pk)
    )
    p = Priority()
    for rule in RULES:
        if points := int(getattr(row, f"points_{rule.name}")):
            p.add(points, rule.reason(row, today))
    return p
