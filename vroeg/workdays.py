"""Working days and legal terms under the Algemene termijnenwet (Atw).

- Art. 3 lid 1: the generally recognised holidays (Nieuwjaarsdag, tweede Paasdag,
  tweede Pinksterdag, both Christmas days, Hemelvaartsdag, Koningsdag, 5 mei);
  lid 2: Goede Vrijdag is equal to them; lid 3: days equal to them by decree,
  which an admin records as `ClosureDay`.
- Art. 1: a legal term ending on a Saturday, Sunday or such a day runs on to
  the next day that is none of those.
- Art. 2: a term of at least three days is extended where needed so that it
  holds at least two days that are not a Saturday, Sunday or such a day.

Koningsdag is 27 April, or 26 April when the 27th is a Sunday (Wet viering
Koningsdag). 5 May counts every year for the Atw, unlike many holiday libraries.
"""

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from vroeg.calendar.models import ClosureDay

__all__ = ["WorkCalendar", "holidays", "is_working_day", "add_working_days", "legal_term_end"]

SATURDAY = 5


@lru_cache(maxsize=64)
def holidays(year: int) -> dict[date, str]:
    """The Atw art. 3 lid 1 and 2 holidays of `year`, with their Dutch names."""
    easter_sunday = easter(year)
    kingsday = date(year, 4, 27)
    if kingsday.weekday() == 6:
        kingsday = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        easter_sunday - timedelta(days=2): "Goede Vrijdag",
        easter_sunday + timedelta(days=1): "Tweede Paasdag",
        kingsday: "Koningsdag",
        date(year, 5, 5): "Bevrijdingsdag",
        easter_sunday + timedelta(days=39): "Hemelvaartsdag",
        easter_sunday + timedelta(days=50): "Tweede Pinksterdag",
        date(year, 12, 25): "Eerste Kerstdag",
        date(year, 12, 26): "Tweede Kerstdag",
    }


class WorkCalendar:
    """Working days with the decreed closure days loaded once per year touched.

    The module functions below build a fresh one per call, so they always see the
    latest closure days. Code that computes many deadlines in one go (an import of
    a whole delivery) makes one WorkCalendar and reuses it: one query per year
    instead of one per deadline.
    """

    def __init__(self) -> None:
        self._closures: dict[int, set[date]] = {}

    def _closure_days(self, year: int) -> set[date]:
        if year not in self._closures:
            self._closures[year] = set(ClosureDay.objects.filter(date__year=year).values_list("date", flat=True))
        return self._closures[year]

    def is_working_day(self, day: date) -> bool:
        if day.weekday() >= SATURDAY:
            return False
        if day in holidays(day.year):
            return False
        return day not in self._closure_days(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def next_working_day_from(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def legal_term_end(self, start: date, days: int) -> date:
        if days < 0:
            raise ValueError("days must not be negative")
        end = self.next_working_day_from(start + timedelta(days=days))
        if days >= 3:
            while not self._holds_two_working_days(start, end):
                end = self.next_working_day_from(end + timedelta(days=1))
        return end

    def _holds_two_working_days(self, start: date, end: date) -> bool:
        """Whether (start, end] holds at least two working days."""
        found = 0
        day = start + timedelta(days=1)
        while day <= end:
            found += self.is_working_day(day)
            if found == 2:
                return True
            day += timedelta(days=1)
        return False


def is_working_day(day: date) -> bool:
    """False on Saturdays, Sundays, Atw holidays and decreed closure days."""
    return WorkCalendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (`start` itself does not count).

    Used for the 3-working-day term of a threatening situation (Wgs art. 4 lid 2).
    """
    return WorkCalendar().add_working_days(start, n)


def legal_term_end(start: date, days: int) -> date:
    """Last day of a legal term of `days` calendar days that starts on `start`.

    `start + days`, moved to the next working day if it lands on a non-working
    day (Atw art. 1); a term of three days or more also holds at least two
    working days (Atw art. 2).
    """
    return WorkCalendar().legal_term_end(start, days)
