"""Reads for deliveries: who may see which."""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from .models import CAK_PARTNER_TYPES, Delivery, ImportProfile, Partner, ProfileImport, Signal
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


@dataclass(frozen=True)
class LineOutcome:
    """One source line of a profile import: the partner whose delivery took it (empty
    when none could), accepted, repeated or rejected, and why."""

    line: int
    partner: str
    outcome: str
    reasons: list[str]


def profile_import_lines(*, profile_import: ProfileImport) -> list[LineOutcome]:
    """Every line's outcome, by source line number (the deliveries' signals and rejected
    lines, and the lines no delivery took)."""
    outcomes = [LineOutcome(r["line"], "", "rejected", r["reasons"]) for r in profile_import.rejected_lines]
    for delivery in profile_import.deliveries.select_related("partner"):
        code = delivery.partner.code
        outcomes += [
            LineOutcome(line, code, "repeated" if repeat else "accepted", [])
            for line, repeat in delivery.signals.values_list("line_number", "is_repeat")
        ]
        outcomes += [
            LineOutcome(line, code, "rejected", reasons)
            for line, reasons in delivery.rejected_lines.values_list("line_number", "reasons")
        ]
    return sorted(outcomes, key=lambda o: o.line)


def import_profiles_current(*, active_only: bool = True) -> QuerySet[ImportProfile]:
    """The newest version of each profile name (only active ones unless told)."""
    newest = ImportProfile.objects.filter(name=OuterRef("name")).order_by("-version").values("pk")[:1]
    qs = ImportProfile.objects.filter(pk=Subquery(newest)).select_related("partner").order_by("name")
    return qs.filter(active=True) if active_only else qs
