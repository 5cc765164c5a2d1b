"""Paging and counting that stay fast on very long lists."""

from dataclasses import dataclass

from django.db.models import QuerySet

COUNT_CAP = 1000
MAX_PAGE = 100_000  # far past any real list; a larger number would overflow the OFFSET


def capped_count(queryset: QuerySet, cap: int = COUNT_CAP) -> int:
    """The count, but at most cap + 1 (shown as "1000+"): the database stops early."""
    return queryset.order_by()[: cap + 1].count()


@dataclass
class Page:
    """A page without a total count: previous/next only (the list can be 300,000 long)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value: str | None) -> int:
    """The page asked for in `?pagina=`: 1 for anything that is not a whole number, at
    most MAX_PAGE (a page past the end of the list is simply empty)."""
    try:
        return min(MAX_PAGE, max(1, int(value or 1)))
    except (TypeError, ValueError):
        return 1


def page_of(queryset: QuerySet, number: str | None, size: int = 25) -> Page:
    n = page_number(number)
    rows = list(queryset[(n - 1) * size : n * size + 1])
    return Page(rows[:size], n, len(rows) > size)
