"""Hand-counted worlds for the reach figures (outreach/reach.py, the report "Bereik" and
the suggestion on the case page): cases with contact attempts of known kinds, times and
outcomes. `reach_world` records its attempts through the real service; `many_attempts`
writes a batch at once (the suggestion needs dozens) with the part of the day the
service would give them."""

from datetime import date, datetime, time

from django.utils import timezone

from cases.models import Case
from cases.services import case_make_contact
from outreach.models import ContactAttempt, ContactKind, part_of_day
from outreach.services import contact_attempt_record
from testkit.factories import CaseFactory

RECEIVED = date(2026, 10, 1)  # every case's first signal: legal term ends 29 October
PICKED_UP = date(2026, 10, 2)

PHONE, VISIT, LETTER, CARD = ContactKind.PHONE, ContactKind.HOME_VISIT, ContactKind.LETTER, ContactKind.CARD
YES, NO = True, False


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def october(day: int) -> date:
    return date(2026, 10, day)


# The attempts of cases 1 to 12 (case 13 has none; 14 and 15 were reached without an
# attempt): (kind, reached, day in October, hour). 9 and 10 o'clock are morning, 14 and
# 15 afternoon, 19 evening.
ATTEMPTS = {
    1: [(PHONE, NO, 5, 9), (PHONE, YES, 6, 14), (VISIT, YES, 20, 14)],  # the visit came after contact
    2: [(PHONE, NO, 5, 9), (PHONE, YES, 6, 14)],
    3: [(PHONE, NO, 5, 9), (PHONE, YES, 6, 14)],
    4: [(PHONE, NO, 5, 9), (PHONE, YES, 6, 14)],
    5: [(PHONE, NO, 5, 9), (PHONE, NO, 6, 14), (VISIT, YES, 7, 19)],
    6: [(PHONE, NO, 5, 9), (PHONE, NO, 6, 14), (VISIT, NO, 7, 19), (LETTER, NO, 8, 10), (CARD, NO, 9, 10)],
    7: [(LETTER, NO, 5, 10)],  # the resident called back on 10 October
    8: [(LETTER, NO, 5, 10)],
    9: [(LETTER, NO, 5, 10), (VISIT, YES, 6, 15)],
    10: [(LETTER, NO, 5, 10), (VISIT, YES, 6, 15)],
    11: [(LETTER, NO, 5, 10), (VISIT, NO, 6, 15)],
    12: [(LETTER, NO, 5, 10), (VISIT, NO, 6, 15)],
}
# Contact made without a reaching attempt (the resident called): case → day in October.
CALLED_BACK = {7: 10, 14: 20, 15: 30}


def reach_world(municipality, caseworker) -> dict[int, Case]:
    """Fifteen cases received on 1 October 2026 and picked up on 2 October, numbered 1 to
    15 (house numbers too), with the attempts of ATTEMPTS and the contacts of CALLED_BACK.

    Hand counts (October 2026) — per attempt: 27 attempts, 8 reached; phone 12/4, home
    visit 7/4, letter 7/0, card 1/0; morning 14/0, afternoon 11/7, evening 2/1; 1st
    attempts 12/0, 2nd 10/6, 3rd 3/2, 4th or later 2/0. Per case (attempts up to first
    contact): all 15/10; home visit 6/3 (5, 6, 9–12: not 1, visited after contact); phone
    6/5; written only 2/1 (7, 8); kinds combined 6/3; no attempt 3/2 (13–15); 1–2
    attempts 10/7; 3 attempts 1/1 (5); 4 or more 1/0 (6). Days to first contact: 5 (1–4,
    9, 10), 6 (5), 9 (7), 19 (14), 29 (15): median 5. Legal term (29 October): 15
    ended, 13 approached (not 13, 15), 9 reached by then (1–5, 7, 9, 10, 14)."""
    cases = {}
    for n in range(1, 16):
        cases[n] = CaseFactory(
            outreach=True,
            household__municipality=municipality,
            household__postcode="3581AB",
            household__house_number=n,
            first_received_on=RECEIVED,
            picked_up_on=PICKED_UP,
            assigned_to=caseworker,
        )
    for n, attempts in ATTEMPTS.items():
        for kind, reached, day, hour in attempts:
            contact_attempt_record(
                case_id=cases[n].pk, user=caseworker, kind=kind, reached=reached, attempted_at=at(october(day), hour)
            )
    for n, day in CALLED_BACK.items():
        case_make_contact(case_id=cases[n].pk, user=caseworker, on=october(day))
    return cases


def many_attempts(
    case: Case,
    user,
    *,
    kind: str,
    hour: int,
    reached: int,
    not_reached: int,
    on: date,
    plan=None,
    position=None,
    via_reply: bool = False,
) -> None:
    """`reached + not_reached` attempts of one kind at one hour on one day, written at
    once (for the suggestion's basis), the part of the day as the service sets it; as
    steps of `plan` (at `position`) when given; as answers on the reply page when
    `via_reply`."""
    when = at(on, hour)
    ContactAttempt.objects.bulk_create(
        ContactAttempt(
            case=case,
            kind=kind,
            reached=i < reached,
            attempted_at=when,
            part_of_day=part_of_day(hour),
            recorded_by=user,
            plan=plan,
            plan_position=position,
            via_reply=via_reply,
        )
        for i in range(reached + not_reached)
    )


# The month names as a Dutch reader sees them in page titles ("november 2026").
DUTCH_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
