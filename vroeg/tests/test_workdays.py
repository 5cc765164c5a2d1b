from datetime import date, timedelta

import pytest

from vroeg.calendar.models import ClosureDay
from vroeg.workdays import WorkCalendar, add_working_days, holidays, is_working_day, legal_term_end


@pytest.mark.parametrize(
    "year, expected",
    [
        (
            2024,
            {
                date(2024, 1, 1),
                date(2024, 3, 29),
                date(2024, 4, 1),
                date(2024, 4, 27),
                date(2024, 5, 5),
                date(2024, 5, 9),
                date(2024, 5, 20),
                date(2024, 12, 25),
                date(2024, 12, 26),
            },
        ),
        (
            # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April.
            2025,
            {
                date(2025, 1, 1),
                date(2025, 4, 18),
                date(2025, 4, 21),
                date(2025, 4, 26),
                date(2025, 5, 5),
                date(2025, 5, 29),
                date(2025, 6, 9),
                date(2025, 12, 25),
                date(2025, 12, 26),
            },
        ),
        (
            2026,
            {
                date(2026, 1, 1),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 4, 27),
                date(2026, 5, 5),
                date(2026, 5, 14),
                date(2026, 5, 25),
                date(2026, 12, 25),
                date(2026, 12, 26),
            },
        ),
    ],
)
def test_atw_holidays_per_year(year, expected):
    assert set(holidays(year)) == expected


def test_koningsdag_moves_to_26_april_when_27_is_a_sunday():
    assert holidays(2014)[date(2014, 4, 26)] == "Koningsdag"
    assert date(2014, 4, 27) not in holidays(2014)
    assert holidays(2025)[date(2025, 4, 26)] == "Koningsdag"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 11, 27), True),  # a Friday
        (date(2026, 11, 28), False),  # Saturday
        (date(2026, 11, 29), False),  # Sunday
        (date(2026, 4, 3), False),  # Goede Vrijdag (Atw art. 3 lid 2)
        (date(2026, 5, 5), False),  # 5 mei counts every year, not only every five
        (date(2026, 4, 27), False),  # Koningsdag on a Monday
        (date(2025, 4, 28), True),  # the Monday after Koningsdag on Saturday
        (date(2027, 5, 6), False),  # Hemelvaartsdag 2027
        (date(2027, 5, 7), True),  # Friday after Ascension: working unless decreed
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.django_db
def test_closure_day_by_decree_is_not_a_working_day():
    friday_after_ascension = date(2026, 5, 15)
    assert is_working_day(friday_after_ascension)
    ClosureDay.objects.create(date=friday_after_ascension, reason="Besluit gelijkgestelde dagen")
    assert not is_working_day(friday_after_ascension)
    # Thursday 14 May (Hemelvaartsdag) + 1 working day skips the decreed Friday and the weekend.
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start, n, expected",
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday → Monday
        (date(2026, 11, 27), 0, date(2026, 11, 27)),
        (date(2026, 11, 24), 3, date(2026, 11, 27)),  # Tuesday → Friday
        (date(2026, 4, 2), 3, date(2026, 4, 9)),  # over Goede Vrijdag, Easter and tweede Paasdag
        (date(2025, 12, 23), 3, date(2025, 12, 30)),  # over Christmas and a weekend
        (date(2024, 4, 26), 2, date(2024, 4, 30)),  # Koningsdag on a Saturday does not move
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.django_db
def test_add_working_days_refuses_negative():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 2), 28, date(2026, 11, 30)),  # a Monday, no shift
        (date(2025, 11, 29), 28, date(2025, 12, 29)),  # lands on Saturday 27 Dec → Monday
        (date(2026, 4, 7), 28, date(2026, 5, 6)),  # lands on 5 mei → 6 May
        (date(2025, 3, 29), 28, date(2025, 4, 28)),  # lands on Koningsdag (Sat 26 Apr) → Monday
        (date(2026, 3, 6), 28, date(2026, 4, 7)),  # lands on Goede Vrijdag → after Easter Monday
        (date(2024, 11, 28), 28, date(2024, 12, 27)),  # lands on tweede Kerstdag
    ],
)
def test_legal_term_end_moves_past_non_working_days(start, days, expected):
    assert legal_term_end(start, days) == expected


@pytest.mark.django_db
def test_legal_term_holds_two_working_days():  # Atw art. 2
    # 24 Dec 2025 + 3 = Saturday 27 Dec → Monday 29 Dec holds only one working day,
    # so the term runs on to Tuesday 30 Dec.
    assert legal_term_end(date(2025, 12, 24), 3) == date(2025, 12, 30)


@pytest.mark.django_db
def test_legal_term_end_skips_decreed_closure_day():
    ClosureDay.objects.create(date=date(2026, 5, 15), reason="Vrijdag na Hemelvaart")
    # 17 April + 28 = Friday 15 May, decreed closed → Monday 18 May.
    assert legal_term_end(date(2026, 4, 17), 28) == date(2026, 5, 18)


@pytest.mark.django_db
def test_shared_calendar_loads_closure_days_once_per_year(django_assert_num_queries):
    ClosureDay.objects.create(date=date(2026, 5, 15), reason="Vrijdag na Hemelvaart")
    calendar = WorkCalendar()
    with django_assert_num_queries(2):  # 2026 and 2027, however many deadlines
        ends = [calendar.legal_term_end(date(2026, 1, 1) + timedelta(days=i), 28) for i in range(365)]
    assert date(2026, 5, 15) not in ends
    assert ends[106] == date(2026, 5, 18)  # 17 April + 28 = the decreed Friday → Monday
