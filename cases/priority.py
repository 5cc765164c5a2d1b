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

from signals.models import PartnerType
from vroeg.formatting import euro

from .models import Case, Household

DEFAULT_WEIGHTS = {
    "per_signal": 10,
    "per_partner_type": 10,
    "per_1000_euro": 5,
    "amount_cap": 25,
    "crisis": 50,
    "overdue": 40,
    "due_within_3_days": 30,
    "due_within_7_days": 20,
    "consecutive": 15,
    "young_adult_health_only": 15,
}
CONSECUTIVE_LOOK_BACK = relativedelta(months=6)


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
    """The score and its explanation for an open case (two small queries)."""
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
    if case.crisis_due and case.help_accepted_on is None:
        p.add(w["crisis"], "bedreigende situatie (crisistermijn van 3 werkdagen)")
    dues = [d for d in (case.contact_due, case.crisis_due) if d]
    if dues and case.first_contact_on is None:
        days = (min(dues) - today).days
        if days < 0:
            p.add(w["overdue"], f"termijn verstreken sinds {-days} dag{'en' if days < -1 else ''}")
        elif days <= 3:
            p.add(w["due_within_3_days"], f"nog {days} dag{'en' if days != 1 else ''} tot de termijn")
        elif days <= 7:
            p.add(w["due_within_7_days"], f"nog {days} dagen tot de termijn")
    if _earlier_case_at_address(case):
        p.add(w["consecutive"], "eerder signaal op dit adres in de afgelopen 6 maanden")
    if case.partner_types == [PartnerType.ZORG] and _young_adult(case, today):
        p.add(w["young_adult_health_only"], "jongvolwassene (18–27) met alleen een zorgverzekeringssignaal")
    return p


def _earlier_case_at_address(case: Case) -> bool:
    """Consecutive signals (Divosa): an earlier case of the same household that
    was opened within 6 months before this one."""
    since = case.opened_at - CONSECUTIVE_LOOK_BACK
    return (
        Case.objects.filter(household_id=case.household_id, opened_at__gte=since, opened_at__lt=case.opened_at)
        .exclude(pk=case.pk)
        .exists()
    )


def _young_adult(case: Case, today: date) -> bool:
    youngest = today - relativedelta(years=18)
    oldest = today - relativedelta(years=28) + timedelta(days=1)
    return Household.objects.filter(
        pk=case.household_id, residents__birth_date__range=(oldest, youngest)
    ).exists()
