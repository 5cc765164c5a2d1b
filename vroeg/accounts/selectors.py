from django.db.models import QuerySet

from vroeg.municipalities.selectors import municipalities_for_user

from .models import User


def caseworkers_for_user(*, user) -> QuerySet[User]:
    """Active users who work cases in (one of) the user's municipalities."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="work_cases",
            groups__permissions__content_type__app_label="accounts",
            municipalities__in=municipalities_for_user(user=user),
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def team_leads_of(*, municipality_ids) -> QuerySet[User]:
    """Active team leads who belong to one of these municipalities."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="lead_team",
            groups__permissions__content_type__app_label="accounts",
            municipalities__in=municipality_ids,
        )
        .distinct()
        .order_by("pk")
    )
