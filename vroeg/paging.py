"""Paging and counting that stay fast on very long lists."""

from dataclasses import dataclass

from django.db.models import QuerySet

COUNT_CAP = 1000


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


def page_of(queryset: QuerySet, number: str | None, size: int = 25) -> Page:
    try:
        n = max(1, int(number or 1))
    except ValueError:
        n = 1
    rows = list(queryset[(n - 1) * size : n * size + 1])
    return Page(rows[:size], n, len(rows) > size)
