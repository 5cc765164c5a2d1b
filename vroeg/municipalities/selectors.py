"""Which municipalities' data a user may see."""

from django.db.models import QuerySet

from vroeg.requestmemo import request_memo

from .models import Municipality


def municipalities_for_user(*, user) -> QuerySet[Municipality]:
    """The active municipalities the user belongs to; none for anonymous users.

    There is deliberately no "see everything" shortcut for superusers: residents'
    data is scoped by membership. (The functional admin's configuration lists in
    /beheer/ are installation-wide; they hold no residents' data.)
    """
    if not user.is_authenticated:
        return Municipality.objects.none()
    return user.municipalities.filter(active=True).order_by("name")


def scope_to_user_municipalities(queryset: QuerySet, *, user, field: str = "municipality") -> QuerySet:
    """Filter any queryset with a municipality foreign key to the user's municipalities.

    The ids are fetched first (one small query), so the database sees a constant:
    with one municipality `= id`, which lets an index on (municipality, …) deliver
    rows in order (the queue at national scale)."""
    ids = [m.pk for m in user_municipalities(user=user)]
    return queryset.filter(**{f"{field}__in": ids})


def user_municipalities(*, user) -> list[Municipality]:
    """`municipalities_for_user` as a list, read once per request (the scope of the
    page's queries and its header; vroeg/requestmemo.py)."""
    return request_memo(
        ("user_municipalities", user.pk if user.is_authenticated else None),
        lambda: list(municipalities_for_user(user=user)),
    )
