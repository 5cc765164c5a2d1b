"""Reads for deliveries: who may see which."""

from django.db.models import QuerySet

from .models import CAK_PARTNER_TYPES, Delivery, Partner, Signal
from .referrals import REFERRAL_PARTNER_CODES


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


def creditor_signals(signals: QuerySet[Signal]) -> QuerySet[Signal]:
    """Only the signals of creditors: not the CAK list (not a creditor's signal) and
    not referrals (signals/referrals.py). Used for feedback and the "partners" source."""
    return signals.exclude(partner__partner_type__in=CAK_PARTNER_TYPES).exclude(
        partner__code__in=REFERRAL_PARTNER_CODES
    )
