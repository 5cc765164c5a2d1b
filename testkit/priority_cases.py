"""Every kind of case the priority rules score, with the score worked out by hand:
shared by the priority tests and the queue-order tests (cases/tests)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from cases.models import Resident
from cases.queue_keys import cases_queue_refresh
from signals.models import PARTNER_TYPE_BITS

TODAY = date(2026, 11, 27)
BITS = PARTNER_TYPE_BITS


def attempt_on(case, *, on: date, reached: bool, by):
    """A contact attempt, through the reverse relation outreach declares (the case's
    stored queue key follows, as outreach's service keeps it)."""
    attempt = case.contact_attempts.create(
        kind="Telefoon",
        reached=reached,
        part_of_day="Ochtend",
        recorded_by=by,
        attempted_at=timezone.make_aware(timezone.datetime(on.year, on.month, on.day, 10)),
    )
    cases_queue_refresh(case_ids=[case.pk])
    return attempt


def resident_born(case, born: date) -> Resident:
    """A resident of the case's household born on `born` (the young-adult rule); the
    case's stored queue key follows, as intake keeps it."""
    resident = Resident.objects.create(household=case.household, person_key="x", surname="Jong", birth_date=born)
    cases_queue_refresh(case_ids=[case.pk])
    return resident


# Every kind of case with the score worked out by hand from DEFAULT_WEIGHTS (TODAY is
# Friday 27-11-2026): signals 10 each, +10 per extra kind of partner, 5 per full 1,000
# euro (at most 25), running crisis term 50, crisis proposal 25, the nearest deadline
# (`next_due`: crisis, 4-week or CAK term) passed 40 / within 3 days 30 / within 7
# days 20 until the first contact, earlier case 15, young adult with only health
# insurance 15.
EVERY_KIND = {
    "wgs signal, term far off": ({"contact_due": TODAY + timedelta(days=20)}, 10),
    "wgs signal, term passed 2 days ago": ({"contact_due": TODAY - timedelta(days=2)}, 10 + 40),
    "wgs signal, term in 6 days, 1,999.99 euro": (
        {"contact_due": TODAY + timedelta(days=6), "total_amount": Decimal("1999.99")},
        10 + 20 + 5,
    ),
    "4 signals, 2 kinds, 8,000 euro (amount capped)": (
        {
            "signal_count": 4,
            "partner_type_mask": BITS["Huur"] | BITS["Water"],
            "total_amount": Decimal(8000),
            "contact_due": TODAY + timedelta(days=20),
        },
        40 + 10 + 25,
    ),
    # The issue's example: the queue said 50, the case page 10.
    "CAK only, own term passed 3 days ago": (
        {
            "partner_type_mask": BITS["CAK Zorgverzekeringen"],
            "contact_due": None,
            "lcv_target": None,
            "effort_due": TODAY - timedelta(days=3),
        },
        10 + 40,
    ),
    "CAK only, own term in 2 days": (
        {
            "partner_type_mask": BITS["CAK Zorgverzekeringen"],
            "contact_due": None,
            "lcv_target": None,
            "effort_due": TODAY + timedelta(days=2),
        },
        10 + 30,
    ),
    "CAK only, own term in 7 days": (
        {
            "partner_type_mask": BITS["CAK Eigen bijdrage"],
            "contact_due": None,
            "lcv_target": None,
            "effort_due": TODAY + timedelta(days=7),
        },
        10 + 20,
    ),
    "CAK only, own term passed, resident reached": (
        {
            "partner_type_mask": BITS["CAK Zorgverzekeringen"],
            "contact_due": None,
            "lcv_target": None,
            "effort_due": TODAY - timedelta(days=3),
            "contact": True,
        },
        10,
    ),
    "CAK + rent, CAK term passed yesterday, legal term in 4 days": (
        {
            "signal_count": 2,
            "partner_type_mask": BITS["CAK Zorgverzekeringen"] | BITS["Huur"],
            "contact_due": TODAY + timedelta(days=4),
            "effort_due": TODAY - timedelta(days=1),
        },
        20 + 10 + 40,
    ),
    "crisis judged yesterday, term in 2 days": (
        {
            "crisis_judged_on": TODAY - timedelta(days=1),
            "crisis_due": TODAY + timedelta(days=2),
            "has_crisis": True,
            "contact_due": TODAY + timedelta(days=20),
        },
        10 + 50 + 30,
    ),
    "crisis judged, resident reached after the judgement": (
        {
            "crisis_judged_on": TODAY - timedelta(days=2),
            "crisis_due": TODAY + timedelta(days=1),
            "has_crisis": True,
            "contact": True,
            "first_contact_on": TODAY - timedelta(days=1),
            "contact_due": TODAY + timedelta(days=20),
        },
        10,
    ),
    "crisis judged after help was accepted, nobody spoken to since": (
        {
            "crisis_judged_on": TODAY - timedelta(days=1),
            "crisis_due": TODAY + timedelta(days=2),
            "has_crisis": True,
            "help_accepted": True,
            "signal_count": 3,
        },
        # 3 signals, the crisis, and its term due in 2 days: it still waits for a
        # conversation, so it is the deadline the queue shows (issue 16: one definition).
        30 + 50 + 30,
    ),
    "crisis judged after help was accepted, reached by telephone since": (
        {
            "crisis_judged_on": TODAY - timedelta(days=2),
            "crisis_due": TODAY + timedelta(days=1),
            "has_crisis": True,
            "help_accepted": True,
            "attempt_reached": TODAY - timedelta(days=1),
        },
        10,
    ),
    "crisis judged, an attempt since that did not reach": (
        {
            "crisis_judged_on": TODAY - timedelta(days=2),
            "crisis_due": TODAY + timedelta(days=1),
            "has_crisis": True,
            "attempt_missed": TODAY - timedelta(days=1),
            "contact_due": TODAY + timedelta(days=20),
        },
        10 + 50 + 30,
    ),
    "crisis proposal only (no term)": (
        {
            "crisis_proposed_on": TODAY - timedelta(days=1),
            "has_crisis": True,
            "signal_count": 6,
            "contact_due": TODAY + timedelta(days=20),
        },
        60 + 25,
    ),
    "referral (partner type Overige), term in 3 days": (
        {"partner_type_mask": BITS["Overige"], "total_amount": Decimal(850), "contact_due": TODAY + timedelta(days=3)},
        10 + 30,
    ),
    "help accepted, term passed": (
        {
            "help_accepted": True,
            "signal_count": 3,
            "total_amount": Decimal(3000),
            "contact_due": TODAY - timedelta(days=5),
        },
        30 + 15,
    ),
    "contact made, term passed 9 days ago": (
        {"contact": True, "contact_due": TODAY - timedelta(days=9), "signal_count": 2},
        20,
    ),
    "earlier case, young adult with only health insurance": (
        {
            "follows_recent_case": True,
            "partner_type_mask": BITS["Zorg"],
            "contact_due": TODAY + timedelta(days=20),
            "born": date(2003, 1, 1),
        },
        10 + 15 + 15,
    ),
    "no deadline at all": ({"contact_due": None, "lcv_target": None}, 10),
}
