"""The order of a round's route and the area a round covers: pure, by postcode and
house number only (visits/route.py)."""

import pytest

from visits.route import AreaError, parse_area, route_order


def _order(addresses):
    return route_order(addresses, lambda a: a)


def test_one_street_up_the_odd_side_and_back_down_the_even_side():
    hand_ordered = [
        ("3581AB", 1, ""),
        ("3581AB", 3, ""),
        ("3581AB", 11, ""),
        ("3581AB", 11, "A"),
        ("3581AB", 11, "B"),
        ("3581AB", 15, ""),
        ("3581AB", 14, ""),
        ("3581AB", 12, "B"),
        ("3581AB", 12, "A"),
        ("3581AB", 12, ""),
        ("3581AB", 4, ""),
        ("3581AB", 2, ""),
    ]
    shuffled = [hand_ordered[i] for i in (9, 0, 5, 11, 3, 7, 1, 10, 2, 8, 4, 6)]
    assert _order(shuffled) == hand_ordered


def test_postcodes_in_order_digits_then_letters_each_its_own_serpentine():
    hand_ordered = [
        ("1011AB", 7, ""),
        ("1011AB", 2, ""),
        ("3581AA", 40, ""),
        ("3581AB", 3, ""),
        ("3581AB", 8, ""),
        ("3581BA", 1, ""),
        ("3582AA", 5, ""),
        ("3582AA", 9, ""),
        ("3582AA", 10, ""),
        ("3582AA", 6, ""),
    ]
    assert _order(list(reversed(hand_ordered))) == hand_ordered


def test_additions_numbers_before_letters_numeric_ones_as_numbers_lower_case_as_upper():
    hand_ordered = [
        ("3581AB", 13, ""),
        ("3581AB", 13, "2"),
        ("3581AB", 13, "10"),
        ("3581AB", 13, "a"),
        ("3581AB", 13, "BIS"),
        ("3581AB", 20, "C"),
        ("3581AB", 20, "b"),
        ("3581AB", 20, "10"),
        ("3581AB", 20, "2"),
        ("3581AB", 20, ""),
    ]
    assert _order(sorted(hand_ordered)) == hand_ordered


def test_postcode_written_with_a_space_or_in_lower_case_is_the_same_postcode():
    assert _order([("3581 ab", 4, ""), ("3581AB", 1, ""), ("3581ab", 2, "")]) == [
        ("3581AB", 1, ""),
        ("3581 ab", 4, ""),
        ("3581ab", 2, ""),
    ]


def test_nothing_to_order():
    assert _order([]) == []


@pytest.mark.parametrize(
    ("text", "ranges", "shown"),
    [
        ("", (), ""),
        ("3581-3584", ((3581, 3584),), "3581-3584"),
        ("3581–3584", ((3581, 3584),), "3581-3584"),
        ("3581 t/m 3584", ((3581, 3584),), "3581-3584"),
        (" 3583, 3581;3590 ", ((3581, 3581), (3583, 3583), (3590, 3590)), "3581, 3583, 3590"),
        ("3581 3582 3583-3585, 3590", ((3581, 3585), (3590, 3590)), "3581-3585, 3590"),
        ("3581-3584, 3583-3586", ((3581, 3586),), "3581-3586"),
        ("9999", ((9999, 9999),), "9999"),
    ],
)
def test_area_text(text, ranges, shown):
    area = parse_area(text)
    assert area.ranges == ranges
    assert str(area) == shown


@pytest.mark.parametrize("text", ["358", "35810", "0581", "3581AB", "Utrecht", "3581-", "3581--3584", "\x00"])
def test_not_an_area(text):
    with pytest.raises(AreaError) as refused:
        parse_area(text)
    assert not refused.value.reversed_range


def test_a_range_written_high_to_low_is_refused_as_such():
    with pytest.raises(AreaError) as refused:
        parse_area("3581, 3584-3581")
    assert refused.value.reversed_range and refused.value.part == "3584-3581"
