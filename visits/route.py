"""The order of a home-visit round and the area it covers: by postcode and house
number only. No map service is asked and no address leaves the installation.

The route (`route_order`), a serpentine through each postcode:

1. Postcodes in order: the four digits (PC4, the neighbourhood) ascending, then the
   two letters ascending. A six-character postcode is one side, or a stretch, of one
   street, and neighbouring letters are usually neighbouring stretches.
2. Within one postcode the odd house numbers first, ascending, then the even ones,
   descending: the walker goes up one side of the street and comes back down the other.
3. Within one house number the additions in order on the way up (11, 11A, 11B) and in
   reverse on the way back (12B, 12A, 12). Numeric additions count as numbers
   (12-2 before 12-10) and come before letters.

An address occurs once in a round (one open case per household). Anything left equal
(impossible for real addresses) keeps the order it came in.

The area (`parse_area`): postcodes by their four digits, single or as a range, in any
mix: "3581-3584", "3581, 3583", "3581–3582 3590" (commas, semicolons or spaces between;
a hyphen, en dash or "t/m" in a range). Empty: the whole municipality."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


def _addition_key(addition: str) -> tuple[int, int, str]:
    addition = addition.strip().upper()
    if not addition:
        return (0, 0, "")
    if addition.isdigit():
        return (1, int(addition), "")
    return (2, 0, addition)


def route_order(items: Iterable[T], address: Callable[[T], tuple[str, int, str]]) -> list[T]:
    """`items` in the order of the route; `address(item)` gives its postcode
    ("3581AB"), house number and addition ("" when none)."""
    by_postcode: dict[str, list[tuple[int, tuple, int, T]]] = {}
    for arrival, item in enumerate(items):
        postcode, number, addition = address(item)
        by_postcode.setdefault(postcode.replace(" ", "").upper(), []).append(
            (number, _addition_key(addition), arrival, item)
        )
    ordered: list[T] = []
    for postcode in sorted(by_postcode):
        entries = by_postcode[postcode]
        odd = sorted((e for e in entries if e[0] % 2), key=lambda e: (e[0], e[1], e[2]))
        # The way back: the exact reverse of the ascending order (ties still as they came).
        even = sorted((e for e in entries if not e[0] % 2), key=lambda e: (e[0], e[1], -e[2]), reverse=True)
        ordered += [e[3] for e in odd + even]
    return ordered


class AreaError(ValueError):
    """The area text has a part that is not a postcode area (`part`), or a range whose
    first postcode is above its last (`reversed`)."""

    def __init__(self, part: str, *, reversed_range: bool = False):
        super().__init__(part)
        self.part = part
        self.reversed_range = reversed_range


@dataclass(frozen=True)
class Area:
    """PC4 ranges, inclusive, sorted and without overlap; none: everywhere."""

    ranges: tuple[tuple[int, int], ...] = ()

    def __str__(self) -> str:
        return ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in self.ranges)

    def __bool__(self) -> bool:
        return bool(self.ranges)


_PC4 = r"[1-9][0-9]{3}"
_PART = re.compile(rf"^({_PC4})(?:-({_PC4}))?$")
_DASHES = re.compile(r"\s*(?:-|–|—|t/m|tot en met)\s*", re.I)


def parse_area(text: str) -> Area:
    """The area in `text` (see the module's docstring); AreaError for a part that is
    not a postcode area."""
    text = _DASHES.sub("-", text.strip())
    ranges: list[tuple[int, int]] = []
    for part in filter(None, re.split(r"[\s,;]+", text)):
        match = _PART.match(part)
        if not match:
            raise AreaError(part)
        lo = int(match.group(1))
        hi = int(match.group(2) or lo)
        if hi < lo:
            raise AreaError(part, reversed_range=True)
        ranges.append((lo, hi))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return Area(tuple(merged))
