"""Writes of the partner API: making, revoking and rotating API keys and OAuth2
clients, and recognising a key or an access token when a call comes in."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from .models import ApiKey, OAuthClient

PREFIX_LENGTH = 8


class ApiKeyRefused(Exception):
    """A key or client that cannot be made, changed or used; `message` says why, in Dutch."""

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


def _check_expiry(expires_at: datetime, now: datetime, what: str = "Een API-sleutel") -> None:
    if expires_at <= now:
        raise ApiKeyRefused("De vervaldatum moet in de toekomst liggen.", field="expires_on")
    if expires_at > max_expiry(now) + timedelta(days=1):  # the whole last day counts
        raise ApiKeyRefused(
            f"{what} is hoogstens {settings.VROEG_API_KEY_MAX_DAYS} dagen geldig; kies een eerdere vervaldatum.",
            field="expires_on",
        )


def _checked_name(name: str, missing: str) -> str:
    name = name.strip()
    if not name:
        raise ApiKeyRefused(missing, field="name")
    if len(name) > 100:
        raise ApiKeyRefused(f"De naam is {len(name)} tekens lang; hoogstens 100 mag.", field="name")
    return name


@transaction.atomic
def api_key_create(*, partner, name: str, created_by, expires_at: datetime | None = None) -> NewKey:
    """A new key of `partner`, valid until `expires_at` (default: the longest allowed)."""
    now = timezone.now()
    expires_at = expires_at or max_expiry(now)
    _check_expiry(expires_at, now)
    name = _checked_name(name, "Geef de sleutel een naam.")
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


# --- OAuth2 clients (client credentials; django-oauth-toolkit) -----------------------

# The one scope there is: all the partner API offers, for the client's own partner.
SCOPE = "partner-api"
# Access tokens past their expiry are kept this long (so a late call hears "verlopen"
# rather than "onbekend"), then removed when a next token is issued.
EXPIRED_TOKENS_KEPT = timedelta(days=1)
UNKNOWN_TOKEN = "Onbekend toegangstoken. Vraag een nieuw token op bij /api/v1/oauth/token/."
UNKNOWN_CLIENT = (
    "Onbekende client of onjuist geheim. Stuur client_id en client_secret mee (HTTP Basic of in het formulier)."
)


class OAuthTokenRefused(ApiKeyRefused):
    """An access token that cannot be used (now); `client_id` names its client ("" if none)."""

    def __init__(self, message: str, client_id: str = ""):
        super().__init__(message)
        self.client_id = client_id


@dataclass(frozen=True)
class NewClient:
    """A client just made, or its secret just replaced: `secret` is shown once and
    stored only hashed."""

    client: OAuthClient
    secret: str


@transaction.atomic
def oauth_client_create(*, partner, name: str, created_by, expires_at: datetime | None = None) -> NewClient:
    """A new OAuth2 client of `partner` (client credentials only), valid until
    `expires_at` (default: the longest allowed, as for keys)."""
    now = timezone.now()
    expires_at = expires_at or max_expiry(now)
    _check_expiry(expires_at, now, "Een client")
    name = _checked_name(name, "Geef de client een naam.")
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{partner.code}: {name}",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed on save (hash_client_secret)
        hash_client_secret=True,
        redirect_uris="",
    )
    client = OAuthClient.objects.create(
        application=application,
        partner=partner,
        name=name,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
    )
    return NewClient(client=client, secret=secret)


def _own_client(*, client_pk: int, partner) -> OAuthClient:
    """The client, locked, if it is `partner`'s (else OAuthClient.DoesNotExist)."""
    return OAuthClient.objects.select_for_update().select_related("application").get(pk=client_pk, partner=partner)


def _end_tokens(client: OAuthClient, now: datetime) -> None:
    AccessToken.objects.filter(application=client.application, expires__gt=now).update(expires=now)


@transaction.atomic
def oauth_client_revoke(*, client_pk: int, partner) -> OAuthClient:
    """Stop a client at once: no new tokens, and its tokens stop working."""
    client = _own_client(client_pk=client_pk, partner=partner)
    if client.revoked_at is None:
        now = timezone.now()
        client.revoked_at = now
        client.save(update_fields=["revoked_at"])
        _end_tokens(client, now)
    return client


@transaction.atomic
def oauth_client_rotate_secret(*, client_pk: int, partner) -> NewClient:
    """A new secret for the same client id; the old secret and the tokens fetched
    with it stop working at once."""
    client = _own_client(client_pk=client_pk, partner=partner)
    now = timezone.now()
    if client.revoked_at is not None:
        raise ApiKeyRefused("Deze client is ingetrokken; maak een nieuwe client.")
    if client.expires_at <= now:
        raise ApiKeyRefused("Deze client is verlopen; maak een nieuwe client.")
    secret = generate_client_secret()
    client.application.client_secret = secret  # hashed on save
    client.application.save(update_fields=["client_secret", "updated"])
    client.secret_changed_at = now
    client.save(update_fields=["secret_changed_at"])
    _end_tokens(client, now)
    return NewClient(client=client, secret=secret)


def oauth_client_refusal(client: OAuthClient, now: datetime | None = None) -> str:
    """Why this client may not get or use a token now, in Dutch; "" if it may."""
    now = now or timezone.now()
    if client.revoked_at is not None:
        return "Deze client is ingetrokken. Maak in het partnerportaal een nieuwe client."
    if client.expires_at <= now:
        return "Deze client is verlopen. Maak in het partnerportaal een nieuwe client."
    if not client.partner.active:
        return "Deze partner is niet actief; de client werkt niet."
    return ""


def oauth_token_issued(*, client: OAuthClient) -> None:
    """After a token was issued: the client's use recorded, and tokens long expired
    (of any client) removed, so the table stays small without a scheduled job."""
    now = timezone.now()
    OAuthClient.objects.filter(pk=client.pk).update(last_used_at=now)
    AccessToken.objects.filter(expires__lt=now - EXPIRED_TOKENS_KEPT).delete()


def oauth_token_authenticate(plain: str) -> OAuthClient | None:
    """The client whose valid access token this is, its use recorded; None if no
    such token exists (it may be an API key); OAuthTokenRefused saying why if the
    token expired or its client was revoked, expired or is no longer active."""
    token = (
        AccessToken.objects.select_related(
            "application__partner_client__partner", "application__partner_client__created_by"
        )
        .filter(token_checksum=hashlib.sha256(plain.encode()).hexdigest())
        .first()
    )
    if token is None:
        return None
    client = getattr(token.application, "partner_client", None) if token.application else None
    if client is None:  # a token of no partner's client: not one of ours
        raise OAuthTokenRefused(UNKNOWN_TOKEN)
    now = timezone.now()
    if refusal := oauth_client_refusal(client, now):
        raise OAuthTokenRefused(refusal, client_id=client.client_id)
    if token.is_expired():
        raise OAuthTokenRefused(
            "Dit toegangstoken is verlopen. Vraag een nieuw token op bij /api/v1/oauth/token/.",
            client_id=client.client_id,
        )
    if not token.allow_scopes([SCOPE]):
        raise OAuthTokenRefused(UNKNOWN_TOKEN, client_id=client.client_id)
    OAuthClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
    return client
