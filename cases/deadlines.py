"""The deadlines of a case (domain.md, "Terms and deadlines").

- legal term (Wgs/Bgs): within 4 weeks of receipt of the earliest open signal:
  `legal_term_end(received_on, 28)`, moved past weekends and holidays (Atw);
- LCV target: first conversation within 2 weeks of receipt (a target, not law);
- crisis term (Wgs art. 4 lid 2): 3 working days from the day the situation was
  judged threatening (or a crisis signal arrived), unless help was offered before.
"""

from datetime import date, timedelta

from vroeg.workdays import WorkCalendar

LEGAL_TERM_DAYS = 28
LCV_TARGET_DAYS = 14
CRISIS_WORKING_DAYS = 3


def contact_due(received_on: date, calendar: WorkCalendar | None = None) -> date:
    return (calendar or WorkCalendar()).legal_term_end(received_on, LEGAL_TERM_DAYS)


def lcv_target(received_on: date) -> date:
    return received_on + timedelta(days=LCV_TARGET_DAYS)


def crisis_due(judged_on: date, calendar: WorkCalendar | None = None) -> date:
    return (calendar or WorkCalendar()).add_working_days(judged_on, CRISIS_WORKING_DAYS)


def met(due: date | None, done_on: date | None) -> bool | None:
    """Whether a deadline was met: None when there was none, False when it passed
    without the contact it asks for."""
    if due is None:
        return None
    return done_on is not None and done_on <= due


def days_left(due: date | None, today: date) -> int | None:
    """Calendar days until the deadline; negative when overdue."""
    return None if due is None else (due - today).days


def describe(due: date | None, today: date, met: bool | None = None) -> dict:
    """What a page shows about one deadline."""
    days = days_left(due, today)
    return {
        "due": due,
        "days": days,
        "overdue": -days if days is not None and days < 0 else 0,
        "met": met,
    }
