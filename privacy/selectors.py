"""Reads of the audit trail, for the privacy officer's search page and its export."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.models import Case, Household
from vroeg.accounts.models import User
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.municipalities.selectors import municipalities_for_user, scope_to_user_municipalities

# The caseworker's queue search logs its search term as detail["q"] (cases/views.py).
QUEUE_SEARCH = "cases.queue"
# At most this many cases, or accounts matching a partial username, are looked for.
_LOOKUP_CAP = 1000


@dataclass(frozen=True)
class AuditSearch:
    """The entries that match, newest first; `case_ids` are the resident's cases when
    the search was by resident (None otherwise)."""

    entries: QuerySet[AuditEntry]
    case_ids: list[int] | None = None


@cache
def _case_part_types() -> tuple[str, ...]:
    """Object types of the parts of a case (findings, contact attempts, notes, action
    plans, …): models with a `case` foreign key. Their entries name the case in detail."""
    return tuple(
        sorted(
            model._meta.label_lower
            for model in apps.get_models()
            if any(f.name == "case" and f.is_relation and f.related_model is Case for f in model._meta.fields)
        )
    )


def resident_case_ids(*, viewer: User, bsn: str = "", postcode: str = "", house_number: int | None = None) -> list[int]:
    """The cases of the households where a resident with this BSN lives, or of the
    address (postcode + house number, any suffix), in the viewer's municipalities."""
    households = scope_to_user_municipalities(Household.objects.all(), user=viewer)
    if bsn:
        households = households.filter(residents__bsn=bsn)
    else:
        households = households.filter(postcode=postcode, house_number=house_number)
    cases = Case.objects.filter(household__in=households).order_by("pk").values_list("pk", flat=True)
    return list(cases[:_LOOKUP_CAP])


def _about_resident(case_ids: list[int], *, bsn: str, postcode: str, house_number: int | None) -> Q:
    """Entries about these cases or their parts, and queue searches for this resident."""
    condition = Q(object_type="cases.case", object_id__in=[str(pk) for pk in case_ids])
    if case_ids:
        condition |= Q(object_type__in=_case_part_types(), detail__case__in=case_ids)
    if bsn:
        # The queue search accepts a BSN with or without its leading zero.
        terms = [bsn, bsn[1:]] if bsn.startswith("0") else [bsn]
        condition |= Q(object_type=QUEUE_SEARCH, detail__q__in=terms)
    else:
        digits, letters = re.escape(postcode[:4]), re.escape(postcode[4:])
        pattern = rf"^\s*{digits}\s?{letters}\s+0*{int(house_number or 0)}\s*$"
        condition |= Q(object_type=QUEUE_SEARCH, detail__q__iregex=pattern)
    return condition


def _by_user(username: str) -> Q:
    """Entries by an account whose username contains this text (now, or when the entry
    was written), and failed logins with such a username."""
    accounts = User.objects.filter(username__icontains=username).values_list("pk", flat=True)
    return (
        Q(actor_username__icontains=username)
        | Q(actor_id__in=list(accounts[:_LOOKUP_CAP]))
        | Q(action=AuditAction.LOGIN_FAILED, detail__username__icontains=username)
    )


def visible_to(viewer: User) -> Q:
    """The entries a privacy officer may see: those of their municipalities, and those
    of no one municipality written by an account of theirs (a login, a search across
    the account's municipalities) or by no account (a failed login, the nightly purge)."""
    mine = municipalities_for_user(user=viewer)
    their_accounts = User.objects.filter(municipalities__in=mine).values("pk")
    return Q(municipality__in=mine) | Q(municipality__isnull=True) & (
        Q(actor__isnull=True) | Q(actor_id__in=their_accounts)
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_search(
    *,
    viewer: User,
    username: str = "",
    bsn: str = "",
    postcode: str = "",
    house_number: int | None = None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> AuditSearch:
    """Audit entries the viewer may see (`visible_to`), newest first, narrowed by every
    criterion given.

    `bsn` (nine digits) or `postcode` (`1234AB`) + `house_number` select a resident:
    entries about the cases of their household(s), about parts of those cases, and the
    caseworkers' queue searches for that BSN or address. Dates are local days, both
    inclusive.
    """
    entries = AuditEntry.objects.filter(visible_to(viewer)).order_by("-at", "-id")
    case_ids = None
    if username:
        entries = entries.filter(_by_user(username))
    if bsn or (postcode and house_number):
        case_ids = resident_case_ids(viewer=viewer, bsn=bsn, postcode=postcode, house_number=house_number)
        entries = entries.filter(_about_resident(case_ids, bsn=bsn, postcode=postcode, house_number=house_number))
    if action:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return AuditSearch(entries=entries, case_ids=case_ids)
