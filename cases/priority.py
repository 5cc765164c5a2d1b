"""Transparent priority (LCV principle c): a score with its explanation in plain Dutch.

Every part of the score is a line the caseworker can read on the case ("3 signalen:
+30"). Weights come from settings (PRIORITY_WEIGHTS); partners are treated equally
(LCV principle a): the kind of partner never weighs, only how many kinds there are,
with one exception the issue names: a young adult with only a health-insurance
signal.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case as When_, Exists, ExpressionWrapper, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Floor, Least
from django.db.models.lookups import GreaterThan

from signals.models import PARTNER_TYPE_BITS, PartnerType
from vroeg.formatting import euro

from .deadlines import crisis_awaits_conversation, crisis_awaits_conversation_q
from .models import Case, Household, Resident

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


def case_priority(case: Case, *, today: date) -> Priority:
    """The score and its explanation for an open case (a small query or two).
    queue_rank() below is the same sum in SQL: keep the two in step."""
    w = weights()
    p = Priority()
    n = case.signal_count
    p.add(w["per_signal"] * n, f"{n} signaal" if n == 1 else f"{n} signalen")
    kinds = len(case.partner_types)
    if kinds > 1:
        p.add(w["per_partner_type"] * (kinds - 1), f"{kinds} soorten vaste lasten")
    thousands = int(case.total_amount // 1000)
    if thousands:
        p.add(
            min(w["per_1000_euro"] * thousands, w["amount_cap"]),
            f"totale achterstand {euro(case.total_amount)}",
        )
    if crisis_awaits_conversation(case):  # a judged term, nobody spoken to since
        p.add(w["crisis"], "bedreigende situatie (crisistermijn van 3 werkdagen)")
    if case.crisis_proposed_on is not None:  # a proposal is no term, but asks for a judgement
        p.add(w["crisis_to_judge"], "afsluit-/crisissignaal van een partner, nog te beoordelen")
    dues = [d for d in (case.contact_due, case.crisis_due) if d]
    if dues and case.first_contact_on is None:
        days = (min(dues) - today).days
        if days < 0:
            p.add(w["overdue"], f"termijn verstreken sinds {-days} dag{'en' if days < -1 else ''}")
        elif days <= 3:
            p.add(w["due_within_3_days"], f"nog {days} dag{'en' if days != 1 else ''} tot de termijn")
        elif days <= 7:
            p.add(w["due_within_7_days"], f"nog {days} dagen tot de termijn")
    if case.follows_recent_case:
        p.add(w["consecutive"], "eerder signaal op dit adres in de afgelopen 6 maanden")
    if case.partner_types == [PartnerType.ZORG] and _young_adult(case, today):
        p.add(w["young_adult_health_only"], "jongvolwassene (18–27) met alleen een zorgverzekeringssignaal")
    return p


def _young_adult_range(today: date) -> tuple[date, date]:
    """Birth dates of people aged 18 up to and including 27 today."""
    return today - relativedelta(years=28) + timedelta(days=1), today - relativedelta(years=18)


def _young_adult(case: Case, today: date) -> bool:
    return Household.objects.filter(
        pk=case.household_id, residents__birth_date__range=_young_adult_range(today)
    ).exists()


def _points(condition, points: int) -> When_:
    return When_(When(condition, then=Value(points)), default=Value(0), output_field=IntegerField())


def queue_rank(*, today: date):
    """case_priority()'s score as an SQL expression over the case row, so the queue
    can sort each deadline's cases by it. The database sorts only the cases of the
    deadlines it reads (index case_open_queue_idx gives the deadline order), so the
    young-adult subquery runs for a page's worth of days, not for every case."""
    w = weights()
    kinds = sum(
        (_points(GreaterThan(F("partner_type_mask").bitand(bit), 0), 1) for bit in PARTNER_TYPE_BITS.values()),
        Value(0),
    )
    kinds_points = When_(
        When(Q(partner_type_mask=0), then=Value(0)),
        default=(kinds - 1) * w["per_partner_type"], output_field=IntegerField(),
    )
    amount_points = Least(
        ExpressionWrapper(Floor(F("total_amount") / 1000) * w["per_1000_euro"], output_field=IntegerField()),
        Value(w["amount_cap"]),
    )
    waiting = Q(first_contact_on__isnull=True, next_due__isnull=False)
    deadline_points = When_(
        When(waiting & Q(next_due__lt=today), then=Value(w["overdue"])),
        When(waiting & Q(next_due__lte=today + timedelta(days=3)), then=Value(w["due_within_3_days"])),
        When(waiting & Q(next_due__lte=today + timedelta(days=7)), then=Value(w["due_within_7_days"])),
        default=Value(0), output_field=IntegerField(),
    )
    young_adult = Exists(
        Resident.objects.filter(household_id=OuterRef("household_id"), birth_date__range=_young_adult_range(today))
    )
    return ExpressionWrapper(
        F("signal_count") * w["per_signal"]
        + kinds_points
        + amount_points
        + _points(crisis_awaits_conversation_q(), w["crisis"])
        + _points(Q(crisis_proposed_on__isnull=False), w["crisis_to_judge"])
        + deadline_points
        + _points(Q(follows_recent_case=True), w["consecutive"])
        + _points(Q(partner_type_mask=PARTNER_TYPE_BITS[PartnerType.ZORG]) & young_adult, w["young_adult_health_only"]),
        output_field=IntegerField(),
    )
