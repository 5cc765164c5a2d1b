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
from django.db.models.lookups import GreaterThanOrEqual, IsNull, LessThanOrEqual, Range

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
    """One part of the score, named after its weight. `points(weights, today, due)`: an
    SQL integer over the case row, 0 when the rule does not apply; `due` is the SQL of
    the case's nearest waiting deadline (`open_due_expression`, or a reference to it when
    the query has it already). `reason(case, today)`: the line the case page shows when
    it scores (words only; the points are the SQL's). `due_only`: the points depend on
    nothing but `due` and today, so every case with the same nearest waiting deadline
    gets the same points (`queue_order_rank`)."""

    name: str
    points: Callable[[dict[str, int], date, object], object]
    reason: Callable[[Case, date], str]
    due_only: bool = False


def _points(condition, points: int) -> SqlCase:
    return SqlCase(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def _kinds_points(w: dict[str, int], today: date, due):
    # Each kind is one bit (1 << i): (mask & bit) / bit is 1 when it is set, else 0.
    kinds = sum((F("partner_type_mask").bitand(bit) / bit for bit in PARTNER_TYPE_BITS.values()), Value(0))
    return SqlCase(
        When(Q(partner_type_mask=0), then=Value(0)),
        default=(kinds - 1) * w["per_partner_type"],
        output_field=IntegerField(),
    )


def _amount_points(w: dict[str, int], today: date, due):
    thousands = Cast(Floor(F("total_amount") / 1000), IntegerField())
    return Least(thousands * w["per_1000_euro"], Value(w["amount_cap"]), output_field=IntegerField())


def _nearest_due_in(weight: str, first: int | None, last: int | None):
    """Points while the nearest deadline still waiting for its step (`open_due`:
    cases/deadlines.py, the same the queue shows in red when passed) is from `first`
    to `last` days from today (None: no bound)."""

    def points(w: dict[str, int], today: date, due):
        # A comparison with no deadline (NULL) is never true; `due` is written once,
        # as its SQL is long.
        if first is not None and last is not None:
            waiting = Q(Range(due, (today + timedelta(days=first), today + timedelta(days=last))))
        elif first is not None:
            waiting = Q(GreaterThanOrEqual(due, today + timedelta(days=first)))
        elif last is not None:
            waiting = Q(LessThanOrEqual(due, today + timedelta(days=last)))
        else:
            waiting = Q(IsNull(due, False))
        return _points(waiting, w[weight])

    return points


def _young_adult_range(today: date) -> tuple[date, date]:
    """Birth dates of people aged 18 up to and including 27 today."""
    return today - relativedelta(years=28) + timedelta(days=1), today - relativedelta(years=18)


# Only a case with nothing but health-insurance signals can score the young-adult
# rule, the one rule of the order rank that depends on today (ages): the cases whose
# stored queue rank (cases/queue_keys.py) can change from one day to the next.
DAY_DEPENDENT_Q = Q(partner_type_mask=PARTNER_TYPE_BITS[PartnerType.ZORG])


def _young_adult_points(w: dict[str, int], today: date, due):
    young_adult = Exists(
        Resident.objects.filter(household_id=OuterRef("household_id"), birth_date__range=_young_adult_range(today))
    )
    return _points(DAY_DEPENDENT_Q & young_adult, w["young_adult_health_only"])


def _days(case: Case, today: date) -> int:
    return (case.open_due - today).days


RULES: tuple[Rule, ...] = (
    Rule(
        "per_signal",
        lambda w, today, due: F("signal_count") * w["per_signal"],
        lambda c, today: f"{c.signal_count} signaal" if c.signal_count == 1 else f"{c.signal_count} signalen",
    ),
    Rule("per_partner_type", _kinds_points, lambda c, today: f"{len(c.partner_types)} soorten vaste lasten"),
    Rule("per_1000_euro", _amount_points, lambda c, today: f"totale achterstand {euro(c.total_amount)}"),
    # A judged term, nobody spoken to since.
    Rule(
        "crisis",
        lambda w, today, due: _points(crisis_awaits_conversation_q(), w["crisis"]),
        lambda c, today: "bedreigende situatie (crisistermijn van 3 werkdagen)",
    ),
    # A proposal is no term, but asks for a judgement.
    Rule(
        "crisis_to_judge",
        lambda w, today, due: _points(Q(crisis_proposed_on__isnull=False), w["crisis_to_judge"]),
        lambda c, today: "afsluit-/crisissignaal van een partner, nog te beoordelen",
    ),
    Rule(
        "overdue",
        _nearest_due_in("overdue", None, -1),
        lambda c, today: f"termijn verstreken sinds {-_days(c, today)} dag{'en' if _days(c, today) < -1 else ''}",
        due_only=True,
    ),
    Rule(
        "due_within_3_days",
        _nearest_due_in("due_within_3_days", 0, 3),
        lambda c, today: f"nog {_days(c, today)} dag{'en' if _days(c, today) != 1 else ''} tot de termijn",
        due_only=True,
    ),
    Rule(
        "due_within_7_days",
        _nearest_due_in("due_within_7_days", 4, 7),
        lambda c, today: f"nog {_days(c, today)} dagen tot de termijn",
        due_only=True,
    ),
    Rule(
        "consecutive",
        lambda w, today, due: _points(Q(follows_recent_case=True), w["consecutive"]),
        lambda c, today: "eerder signaal op dit adres in de afgelopen 6 maanden",
    ),
    Rule(
        "young_adult_health_only",
        _young_adult_points,
        lambda c, today: "jongvolwassene (18–27) met alleen een zorgverzekeringssignaal",
    ),
)


def _sum(rules, w: dict[str, int], today: date, due) -> ExpressionWrapper:
    return ExpressionWrapper(reduce(add, (rule.points(w, today, due) for rule in rules)), output_field=IntegerField())


def queue_rank(*, today: date, due=None):
    """The score as an SQL expression over the case row (the sum of RULES): the number
    the queue shows and the case page explains. `due`: the SQL of the nearest waiting
    deadline when the query has it already (F("open_due")), else computed here."""
    return _sum(RULES, weights(), today, open_due_expression() if due is None else due)


def queue_order_rank(*, today: date):
    """What the queue sorts each deadline's cases by: the score without the rules that
    depend only on the nearest waiting deadline (`Rule.due_only`). Those give every
    case of one deadline the same points, so sorting on (open_due, this) is sorting on
    (open_due, queue_rank) (cases/tests/test_queue_order.py), while the database
    works out the deadline's SQL once per case (for the sort), not again for each of
    those rules; the queue computes `queue_rank` only for the rows of its page."""
    return _sum([rule for rule in RULES if not rule.due_only], weights(), today, None)


def queue_rank_from_order_rank(*, today: date, due, order_rank) -> ExpressionWrapper:
    """`queue_rank` for a query that has the order rank and the nearest waiting
    deadline already (the queue: stored or computed): the order rank plus the points
    of the `due_only` rules, which read nothing but `due` and today. The sum of the
    same RULES, so the queue shows the score the case page explains
    (cases/tests/test_queue_order.py)."""
    due_points = _sum([rule for rule in RULES if rule.due_only], weights(), today, due)
    return ExpressionWrapper(order_rank + due_points, output_field=IntegerField())


def with_priority_points(queryset, *, today: date):
    """Each rule's points as `points_<rule name>` on cases read with `open_due`
    (selectors.with_open_due): the case page reads them with the case, so that
    `case_priority` needs no query of its own."""
    w = weights()
    return queryset.annotate(**{f"points_{rule.name}": rule.points(w, today, F("open_due")) for rule in RULES})


def case_priority(case: Case, *, today: date) -> Priority:
    """The score and its explanation for an open case: the database evaluates RULES on
    the case's row (one query, or none for a case read `with_priority_points` for the
    same day), and each rule that scores is a line."""
    if all(hasattr(case, f"points_{rule.name}") for rule in RULES):
        row = case
    else:
        row = with_priority_points(Case.objects.annotate(open_due=open_due_expression()), today=today).get(pk=case.pk)
    p = Priority()
    for rule in RULES:
        if points := int(getattr(row, f"points_{rule.name}")):
            p.add(points, rule.reason(row, today))
    return p
