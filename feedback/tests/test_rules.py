"""The one definition of "the collection pause is over"."""

from datetime import date

from feedback.rules import pause_is_over


def test_a_pause_is_over_from_the_day_after_its_last_day():
    last_day = date(2026, 12, 20)  # the partner paused "tot en met" 20 December
    assert not pause_is_over(last_day, today=date(2026, 12, 19))
    assert not pause_is_over(last_day, today=last_day)
    assert pause_is_over(last_day, today=date(2026, 12, 21))
