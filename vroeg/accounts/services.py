"""Writes for user accounts."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from vroeg.municipalities.models import Municipality
from vroeg.partners.models import Partner

from .models import User, validate_phone
from .roles import PARTNER_USER, STAFF_ROLES


@transaction.atomic
def user_upsert(
    *,
    username: str,
    password: str,
    role: str,
    municipalities: Iterable[Municipality] = (),
    partner: Partner | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    is_demo: bool = False,
) -> User:
    """Create the user, or bring an existing one in line, with exactly one role."""
    if (role == PARTNER_USER) != (partner is not None):
        raise ValidationError("A partner user belongs to exactly one partner; other roles to none.")
    if phone:
        validate_phone(phone)
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email, user.phone = first_name, last_name, email, phone
    user.partner = partner
    user.is_demo = is_demo
    user.is_staff = role in STAFF_ROLES
    if created:
        user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    user.municipalities.set(municipalities)
    return user
