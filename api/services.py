"""Writes of the partner API: making, revoking and rotating API keys."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ApiKey

PREFIX_LENGTH = 8


class ApiKeyRefused(Exception):
    """A key that cannot be made or changed; `message` says why, in Dutch."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field it is about, if any


@dataclass(frozen=True)
class NewKey:
    """A key just made: `plain` is shown once and stored nowhere."""

    api_key: ApiKey
    plain: str


def key_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def max_expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(days=settings.VROEG_API_KEY_MAX_DAYS)


def _check_expiry(expires_at: datetime, now: datetime) -> None:
    if expires_at <= now:
        raise ApiKeyRefused("De vervaldatum moet in de toekomst liggen.", field="expires_on")
    if expires_at > max_expiry(now) + timedelta(days=1):  # the whole last day counts
        raise ApiKeyRefused(
            f"Een API-sleutel is hoogstens {settings.VROEG_API_KEY_MAX_DAYS} dagen geldig; "
            "kies een eerdere vervaldatum.",
            field="expires_on",
        )


@transaction.atomic
def api_key_create(*, partner, name: str, created_by, expires_at: datetime | None = None) -> NewKey:
    """A new key of `partner`, valid until `expires_at` (default: the longest allowed)."""
    now = timezone.now()
    expires_at = expires_at or max_expiry(now)
    _check_expiry(expires_at, now)
    name = name.strip()
    if not name:
        raise ApiKeyRefused("Geef de sleutel een naam.", field="name")
    if len(name) > 100:
        raise ApiKeyRefused(f"De naam is {len(name)} tekens lang; hoogstens 100 mag.", field="name")
    while True:
        plain = secrets.token_urlsafe(32)
        if not ApiKey.objects.filter(prefix=plain[:PREFIX_LENGTH]).exists():
            break
    api_key = ApiKey.objects.create(
        partner=partner,
        name=name,
        prefix=plain[:PREFIX_LENGTH],
        key_hash=key_hash(plain),
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    return NewKey(api_key=api_key, plain=plain)


def _own_key(*, key_id: int, partner) -> ApiKey:
    """The key, locked, if it is `partner`'s (else ApiKey.DoesNotExist)."""
    return ApiKey.objects.select_for_update().get(pk=key_id, partner=partner)


@transaction.atomic
def api_key_revoke(*, key_id: int, partner) -> ApiKey:
    """Stop a key at once. Revoking a revoked key changes nothing."""
    api_key = _own_key(key_id=key_id, partner=partner)
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


@transaction.atomic
def api_key_rotate(*, key_id: int, partner, created_by) -> NewKey:
    """A new key with the old one's name and expiry period; the old one is revoked."""
    old = _own_key(key_id=key_id, partner=partner)
    if old.revoked_at is not None:
        raise ApiKeyRefused("Deze sleutel is ingetrokken; maak een nieuwe sleutel.")
    now = timezone.now()
    period = old.expires_at - old.created_at
    new = api_key_create(
        partner=partner, name=old.name, created_by=created_by, expires_at=min(now + period, max_expiry(now))
    )
    old.revoked_at = now
    old.save(update_fields=["revoked_at"])
    return new


UNKNOWN_KEY = "Onbekende API-sleutel. Geef een geldige sleutel mee als 'Authorization: Bearer <sleutel>'."


def api_key_authenticate(plain: str) -> ApiKey:
    """The active key this plain key is, its use recorded; else ApiKeyRefused saying
    why (unknown, revoked, expired, partner no longer active)."""
    candidate = ApiKey.objects.select_related("partner", "created_by").filter(prefix=plain[:PREFIX_LENGTH]).first()
    if candidate is None or not hmac.compare_digest(candidate.key_hash, key_hash(plain)):
        raise ApiKeyRefused(UNKNOWN_KEY)
    now = timezone.now()
    if candidate.revoked_at is not None:
        raise ApiKeyRefused("Deze API-sleutel is ingetrokken. Maak in het partnerportaal een nieuwe sleutel.")
    if candidate.expires_at <= now:
        raise ApiKeyRefused("Deze API-sleutel is verlopen. Maak in het partnerportaal een nieuwe sleutel.")
    if not candidate.partner.active:
        raise ApiKeyRefused("Deze partner is niet actief; de API-sleutel werkt niet.")
    ApiKey.objects.filter(pk=candidate.pk).update(last_used_at=now)
    candidate.last_used_at = now
    return candidate
