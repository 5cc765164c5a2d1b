from django.db.models import QuerySet

from vroeg.municipalities.selectors import municipalities_for_user

from .models import User


def users_holding(capability: str, **filters) -> QuerySet[User]:
    """Active users whose role grants this capability (an `accounts.<codename>`
    permission, see roles.py), narrowed by `filters`; each user once."""
    return User.objects.filter(
        is_active=True,
        groups__permissions__codename=capability,
        groups__permissions__content_type__app_label="accounts",
        **filters,
    ).distinct()


def caseworkers_for_user(*, user) -> QuerySet[User]:
    """Active users who work cases in (one of) the user's municipalities."""
    return users_holding("work_cases", municipalities__in=municipalities_for_user(user=user)).order_by(
        "first_name", "last_name"
    )


def team_leads_of(*, municipality_ids) -> QuerySet[User]:
    """Active team leads who belong to one of these municipalities."""
    return users_holding("lead_team", municipalities__in=municipality_ids).order_by("pk")


def partner_users(*, partner_id: int) -> QuerySet[User]:
    """The active users of a partner who use the partner pages."""
    return users_holding("use_partner_portal", partner_id=partner_id).order_by("pk")


def functional_admins_of(*, municipality_ids) -> QuerySet[User]:
    """Active users who may upload for any partner (functional admins) in one of these
    municipalities: they are told when a delivery fails, and may have it retried."""
    return (
        User.objects.filter(
            is_active=True,
            groups__permissions__codename="upload_for_any_partner",
            groups__permissions__content_type__app_label="signals",
            municipalities__in=municipality_ids,
        )
        .distinct()
        .order_by("pk")
    )
