"""Reads of cases, always scoped to the user's municipalities."""

from django.db.models import F, QuerySet

from vroeg.municipalities.selectors import scope_to_user_municipalities

from .models import OPEN_STATES, Case


def cases_for_user(*, user) -> QuerySet[Case]:
    if not user.has_perm("accounts.work_cases"):
        return Case.objects.none()
    return scope_to_user_municipalities(Case.objects.all(), user=user)


def queue_for_user(*, user) -> QuerySet[Case]:
    """Open cases, nearest deadline first (crisis term before the legal term), then
    the heaviest (most signals, highest arrears)."""
    return (
        cases_for_user(user=user)
        .filter(state__in=OPEN_STATES)
        .select_related("household", "assigned_to")
        .order_by(
            F("crisis_due").asc(nulls_last=True),
            F("contact_due").asc(nulls_last=True),
            "-signal_count",
            "-total_amount",
            "pk",
        )
    )
