"""Report periods: a month, a quarter, a year or any range of days."""

import calendar
from dataclasses import dataclass
from datetime import date

MONTHS_NL = [
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
]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return months


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(date(year, number, 1), date(year, number, last), f"{MONTHS_NL[number - 1]} {year}")


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(date(year, first, 1), month(year, first + 2).end, f"Q{number} {year}")


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31), str(number))


def custom(start: date, end: date) -> Period:
    return Period(start, end, f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}")


def month_label(day: date) -> str:
    return f"{MONTHS_NL[day.month - 1][:3]} {day.year}"
