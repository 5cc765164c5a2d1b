"""The bearer token of a DDAS pull API call (issue 18; ADR 0016): a JWT of the DDAS
authorization server (OAuth 2.0 client credentials), checked with PyJWT against the
issuer's published keys (DDAS_API_TOKEN_JWKS: a file, read again when it changes, or
a URL fetched by PyJWKClient), issuer, audience, expiry and scope "read".

Only asymmetric algorithms are accepted (RS256, PS256, ES256); "none" and HMAC never,
so a token "signed" with the public key as an HMAC secret is refused. Expiry and
not-before are compared with `now` (60 seconds' leeway), so tests need no clock tricks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from django.conf import settings

from reports.ddas.certificates import read_cached

ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY = 60  # seconds
JWKS_TIMEOUT = 5  # seconds
JWKS_LIFESPAN = 300  # seconds a fetched key set is kept

MISSING = "ERROR_CODE_ACCESS_TOKEN_MISSING"
INVALID = "ERROR_CODE_ACCESS_TOKEN_INVALID"
EXPIRED = "ERROR_CODE_ACCESS_TOKEN_EXPIRED"


@dataclass(frozen=True)
class TokenClaims:
    issuer: str
    subject: str  # "sub"
    client_id: str  # "client_id" or "azp" claim, else sub
    scopes: frozenset[str]
    expires_at: datetime  # aware UTC


class TokenRefused(Exception):
    """The call is not authorised: status 401 (fsc_code MISSING, INVALID, EXPIRED) or
    403 (scope "read" missing). Title and detail are Dutch and echo nothing of the token."""

    def __init__(self, *, status: int, fsc_code: str, title: str, detail: str):
        super().__init__(f"{status} {fsc_code}: {detail}")
        self.status = status
        self.fsc_code = fsc_code
        self.title = title
        self.detail = detail


class TokenServiceUnavailable(Exception):
    """The issuer's keys cannot be had (URL unreachable, file missing, not configured)."""


def _invalid(detail: str) -> TokenRefused:
    return TokenRefused(status=401, fsc_code=INVALID, title="Ongeldig toegangstoken", detail=detail)


def token_verify(authorization: str | None, *, now: datetime | None = None) -> TokenClaims:
    """The claims of the bearer token in an Authorization header value."""
    now = now or datetime.now(UTC)
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise TokenRefused(
            status=401,
            fsc_code=MISSING,
            title="Toegangstoken ontbreekt",
            detail="Stuur een toegangstoken van de DDAS-autorisatieserver mee: Authorization: Bearer <token>.",
        )
    issuer, audience = settings.DDAS_API_TOKEN_ISSUER, settings.DDAS_API_TOKEN_AUDIENCE
    if not issuer or not audience or not settings.DDAS_API_TOKEN_JWKS:
        raise TokenServiceUnavailable("De controle van toegangstokens is niet ingesteld (DDAS_API_TOKEN_*).")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise _invalid("Het toegangstoken is geen leesbare JWT.") from error
    if header.get("alg") not in ALGORITHMS:
        raise _invalid("Het toegangstoken is ondertekend met een algoritme dat niet is toegestaan.")
    key = _signing_key(header.get("kid"))
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            # exp and nbf are checked below against `now`
            options={"require": ["exp", "iss", "aud"], "verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except jwt.InvalidAudienceError as error:
        raise _invalid("Het toegangstoken is niet voor deze dienst bedoeld (aud).") from error
    except jwt.InvalidIssuerError as error:
        raise _invalid("Het toegangstoken komt niet van de ingestelde autorisatieserver (iss).") from error
    except jwt.InvalidSignatureError as error:
        raise _invalid("De handtekening van het toegangstoken klopt niet.") from error
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise _invalid("Het toegangstoken is niet geldig.") from error
    return _claims(claims, now)


def _claims(claims: dict[str, Any], now: datetime) -> TokenClaims:
    exp, nbf = claims.get("exp"), claims.get("nbf", 0)
    if not _number(exp) or not _number(nbf):
        raise _invalid("Het toegangstoken heeft een ongeldige exp of nbf.")
    if exp + LEEWAY < now.timestamp():
        raise TokenRefused(
            status=401,
            fsc_code=EXPIRED,
            title="Het toegangstoken is verlopen",
            detail="Vraag een nieuw toegangstoken aan bij de DDAS-autorisatieserver.",
        )
    if nbf - LEEWAY > now.timestamp():
        raise _invalid("Het toegangstoken is nog niet geldig (nbf).")
    subject = claims.get("sub") or claims.get("client_id") or claims.get("azp")
    if not isinstance(subject, str):
        raise _invalid("Het toegangstoken noemt geen client (sub of client_id).")
    scopes = claims.get("scope", claims.get("scp", ""))
    scopes = frozenset(scopes.split() if isinstance(scopes, str) else scopes if isinstance(scopes, list) else [])
    if "read" not in scopes:
        raise TokenRefused(
            status=403,
            fsc_code=INVALID,
            title='Het toegangstoken geeft geen leesrecht (scope "read" ontbreekt)',
            detail="Vraag bij de DDAS-autorisatieserver een toegangstoken aan met scope read.",
        )
    return TokenClaims(
        issuer=claims["iss"],
        subject=subject,
        client_id=str(claims.get("client_id") or claims.get("azp") or subject),
        scopes=scopes,
        expires_at=datetime.fromtimestamp(exp, UTC),
    )


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# --- the issuer's keys ---------------------------------------------------------------

_clients: dict[str, jwt.PyJWKClient] = {}


def _signing_key(kid: Any) -> Any:
    """The public key for `kid` (or the only signing key when the token names none)."""
    source: str = settings.DDAS_API_TOKEN_JWKS
    try:
        if source.startswith(("https://", "http://")):
            client = _clients.setdefault(source, jwt.PyJWKClient(source, lifespan=JWKS_LIFESPAN, timeout=JWKS_TIMEOUT))
            if isinstance(kid, str):
                return client.get_signing_key(kid).key
            keys = client.get_jwk_set()
        else:
            keys = read_cached(source, _jwks_parse)
    except jwt.PyJWKClientConnectionError as error:
        raise TokenServiceUnavailable("De sleutels van de DDAS-autorisatieserver zijn niet op te halen.") from error
    except jwt.PyJWKClientError as error:  # a kid the issuer does not publish (also after a refresh)
        raise _invalid("Het toegangstoken is ondertekend met een onbekende sleutel.") from error
    except (OSError, ValueError, jwt.PyJWKSetError) as error:
        raise TokenServiceUnavailable("De sleutels van de DDAS-autorisatieserver zijn niet te lezen.") from error
    signing = [k for k in keys.keys if k.public_key_use in (None, "sig")]
    found = [k for k in signing if k.key_id == kid] if isinstance(kid, str) else signing
    if len(found) != 1:
        raise _invalid("Het toegangstoken is ondertekend met een onbekende sleutel.")
    return found[0].key


def _jwks_parse(data: bytes) -> jwt.PyJWKSet:
    return jwt.PyJWKSet.from_json(data.decode())
