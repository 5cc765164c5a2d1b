"""Reads for deliveries: who may see which."""

from django.db.models import QuerySet

from .models import Delivery, Partner


def can_upload(user) -> bool:
    return user.has_perm("signals.upload_for_any_partner") or (
        user.has_perm("accounts.use_partner_portal") and user.partner_id is not None
    )


def deliveries_for_user(*, user) -> QuerySet[Delivery]:
    """A partner user sees only their own partner's deliveries; a functional admin
    (who uploads on partners' behalf) sees all; anyone else none."""
    qs = Delivery.objects.select_related("partner", "uploaded_by")
    if user.has_perm("signals.upload_for_any_partner"):
        return qs
    if user.has_perm("accounts.use_partner_portal") and user.partner_id is not None:
        return qs.filter(partner_id=user.partner_id)
    return qs.none()


def partners_for_upload(*, user) -> QuerySet[Partner]:
    """The partners a functional admin may upload for."""
    if user.has_perm("signals.upload_for_any_partner"):
        return Partner.objects.filter(active=True)
    return Partner.objects.none()
