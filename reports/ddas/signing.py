"""Signed messages of the DDAS pull API (issue 18; ADR 0016): CBS's request signature
checked, our answer signed, and the settings checked for `check --deploy`.

Both directions carry `Digest: SHA-256=<base64>` (RFC 3230) and `nlgov-adr-payload-sig`,
a JWS with detached payload (RFC 7515 appendix F: `BASE64URL(header)..BASE64URL(signature)`,
signed over `BASE64URL(header).BASE64URL(body)`) whose protected header has alg PS256,
typ "JOSE", kid, x5c (end-entity first) and x5t#S256, as the DDAS API specification asks
(JAdES-B, payload only). PyJWT signs and verifies the JWS; reports/ddas/certificates.py
checks the certificates."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlparse

import jwt
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reports.ddas.certificates import (
    CertificateRefused,
    certificates_parse,
    crls_parse,
    read_cached,
    signer_check,
    usage_check,
)

ALGORITHM = "PS256"
MAX_CHAIN = 8  # certificates in x5c
EXPIRY_WARNING = timedelta(days=30)

TITLES = {
    "digest-missing": "De Digest-header ontbreekt",
    "digest-mismatch": "De Digest past niet bij het bericht",
    "signature-missing": "De handtekening ontbreekt",
    "signature-malformed": "De handtekening is niet leesbaar",
    "signature-invalid": "De handtekening past niet bij het bericht",
    "algorithm": "Dit ondertekeningsalgoritme is niet toegestaan",
    "certificate-untrusted": "Het certificaat wordt niet vertrouwd",
    "certificate-expired": "Het certificaat is verlopen",
    "certificate-not-yet-valid": "Het certificaat is nog niet geldig",
    "certificate-revoked": "Het certificaat is ingetrokken",
    "certificate-usage": "Het certificaat is niet bedoeld om mee te ondertekenen",
    "revocation-unknown": "Niet vast te stellen of het certificaat is ingetrokken",
}


@dataclass(frozen=True)
class Signer:
    subject: str  # RFC 4514 string of the end-entity certificate
    serial: str  # hex
    fingerprint_sha256: str  # hex of the DER
    kid: str


class SignatureRefused(Exception):
    """The request's signature or Digest is not accepted. `reason` is a stable slug
    (a key of TITLES); title and detail are Dutch and echo nothing of the request."""

    def __init__(self, *, reason: str, title: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.title = title
        self.detail = detail


def _refused(reason: str, detail: str) -> SignatureRefused:
    return SignatureRefused(reason=reason, title=TITLES[reason], detail=detail)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def body_digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _thumbprint(cert: x509.Certificate) -> str:
    """x5t#S256: base64url of the SHA-256 of the DER."""
    return _b64url(cert.fingerprint(hashes.SHA256()))


# --- CBS's request -----------------------------------------------------------------


def request_signature_verify(
    *, body: bytes, digest: str | None, signature: str | None, now: datetime | None = None
) -> Signer:
    """Check the Digest and nlgov-adr-payload-sig headers of a request over exactly
    `body`, and the signer's certificate at `now`; returns who signed."""
    now = now or datetime.now(UTC)
    if not digest or not digest.strip():
        raise _refused(
            "digest-missing", "Stuur de header Digest mee: SHA-256= en de base64 van de SHA-256 van de body."
        )
    if digest.strip() != body_digest(body):
        raise _refused(
            "digest-mismatch", "De SHA-256 van de ontvangen body is anders dan de waarde in de Digest-header."
        )
    if not signature or not signature.strip():
        raise _refused(
            "signature-missing",
            "Stuur de header nlgov-adr-payload-sig mee: een JWS met losse payload (header..handtekening).",
        )
    parts = signature.strip().split(".")
    if len(parts) != 3 or parts[1] or not parts[0] or not parts[2]:
        raise _refused("signature-malformed", "De handtekening heeft niet de vorm header..handtekening.")
    head, _, sig = parts
    try:
        header = jwt.get_unverified_header(f"{head}..{sig}")
    except jwt.PyJWTError as error:
        raise _refused("signature-malformed", "De protected header van de handtekening is niet te lezen.") from error
    if header.get("alg") != ALGORITHM:
        raise _refused("algorithm", "Alleen PS256 is toegestaan.")
    chain = _x5c(header)
    leaf = chain[0]
    token = f"{head}.{_b64url(body)}.{sig}"
    try:
        jwt.api_jws.decode_complete(token, leaf.public_key(), algorithms=[ALGORITHM])
    except (jwt.PyJWTError, ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise _refused(
            "signature-invalid",
            "De handtekening is niet gezet over precies deze body met de sleutel van het eerste certificaat in x5c.",
        ) from error
    try:
        signer_check(chain, now=now)
    except CertificateRefused as refused:
        raise _refused(refused.reason, refused.detail) from refused
    return Signer(
        subject=leaf.subject.rfc4514_string(),
        serial=format(leaf.serial_number, "x"),
        fingerprint_sha256=leaf.fingerprint(hashes.SHA256()).hex(),
        kid=header["kid"],
    )


def _x5c(header: dict[str, Any]) -> list[x509.Certificate]:
    """The certificates of the protected header, after typ, kid and x5t#S256 are checked."""
    if header.get("typ") != "JOSE":
        raise _refused("signature-malformed", 'De protected header moet typ "JOSE" hebben.')
    if not isinstance(header.get("kid"), str) or not header["kid"]:
        raise _refused("signature-malformed", "De protected header mist kid.")
    x5c = header.get("x5c")
    if not isinstance(x5c, list) or not x5c or len(x5c) > MAX_CHAIN or not all(isinstance(c, str) for c in x5c):
        raise _refused("signature-malformed", "De protected header mist x5c met de certificaatketen.")
    try:
        chain = [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in x5c]
        for cert in chain:
            cert.extensions  # noqa: B018  (parsed now: a broken extension makes the certificate unreadable)
    except (ValueError, binascii.Error) as error:
        raise _refused("signature-malformed", "Een certificaat in x5c is niet te lezen.") from error
    if "x5t#S256" in header and header["x5t#S256"] != _thumbprint(chain[0]):
        raise _refused("signature-malformed", "x5t#S256 hoort niet bij het eerste certificaat in x5c.")
    return chain


# --- our answer ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Identity:
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]


def _key_parse(data: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("PS256 needs an RSA key")
    return key


def _identity() -> _Identity:
    if not settings.DDAS_API_SIGNING_KEY or not settings.DDAS_API_SIGNING_CHAIN:
        raise ImproperlyConfigured("DDAS_API_SIGNING_KEY en DDAS_API_SIGNING_CHAIN zijn nodig om te ondertekenen.")
    try:
        key = read_cached(settings.DDAS_API_SIGNING_KEY, _key_parse)
        chain = read_cached(settings.DDAS_API_SIGNING_CHAIN, certificates_parse)
    except (OSError, ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"De ondertekensleutel of -keten van de DDAS-API is niet te lezen: {error}"
        ) from error
    if not _same_key(key, chain[0]):
        raise ImproperlyConfigured(
            "DDAS_API_SIGNING_KEY hoort niet bij het eerste certificaat in DDAS_API_SIGNING_CHAIN."
        )
    return _Identity(key=key, chain=chain)


def _same_key(key: rsa.RSAPrivateKey, cert: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_key().public_bytes(serialization.Encoding.DER, spki) == cert.public_key().public_bytes(
        serialization.Encoding.DER, spki
    )


def response_sign(body: bytes) -> dict[str, str]:
    """The Digest and nlgov-adr-payload-sig headers for an answer of exactly `body`,
    signed with DDAS_API_SIGNING_KEY; x5c is DDAS_API_SIGNING_CHAIN."""
    identity = _identity()
    thumbprint = _thumbprint(identity.chain[0])
    protected = {
        "typ": "JOSE",
        "kid": thumbprint,
        "x5c": [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in identity.chain],
        "x5t#S256": thumbprint,
    }
    token = jwt.api_jws.encode(body, identity.key, algorithm=ALGORITHM, headers=protected)
    head, _, sig = token.split(".")
    return {"Digest": body_digest(body), "nlgov-adr-payload-sig": f"{head}..{sig}"}


# --- configuration -----------------------------------------------------------------

REQUIRED = [
    "DDAS_API_TOKEN_ISSUER",
    "DDAS_API_TOKEN_AUDIENCE",
    "DDAS_API_TOKEN_JWKS",
    "DDAS_API_TRUST_ANCHORS",
    "DDAS_API_SIGNING_KEY",
    "DDAS_API_SIGNING_CHAIN",
]


def configuration_problems() -> list[str]:
    """What stops the DDAS pull API from working safely, in Dutch sentences for
    `check --deploy` and start-up; [] when it is off or all is well."""
    if not settings.DDAS_API_ENABLED:
        return []
    problems = [f"{name} is leeg; de DDAS-API heeft het nodig." for name in REQUIRED if not getattr(settings, name)]
    problems += _jwks_problems()
    if settings.DDAS_API_TRUST_ANCHORS:
        problems += _file_problems("DDAS_API_TRUST_ANCHORS", certificates_parse, "geen PEM-certificaten")
    if not settings.DDAS_API_CRL and not settings.DDAS_API_OCSP:
        problems.append("Er is geen intrekkingscontrole: stel DDAS_API_CRL in of zet DDAS_API_OCSP aan.")
    if settings.DDAS_API_CRL:
        problems += _crl_problems()
    if settings.DDAS_API_SIGNING_KEY and settings.DDAS_API_SIGNING_CHAIN:
        problems += _signing_problems()
    return problems


def _file_problems(name: str, parse: Any, what: str) -> list[str]:
    try:
        read_cached(getattr(settings, name), parse)
    except OSError:
        return [f"Het bestand in {name} ({getattr(settings, name)}) bestaat niet of is niet te lezen."]
    except (ValueError, TypeError):
        return [f"Het bestand in {name} ({getattr(settings, name)}) bevat {what}."]
    return []


def _jwks_problems() -> list[str]:
    source = settings.DDAS_API_TOKEN_JWKS
    if not source:
        return []
    url = urlparse(source)
    if url.scheme in ("http", "https"):
        if url.scheme == "http" and not _loopback(url.hostname or ""):
            return ["DDAS_API_TOKEN_JWKS moet een https-adres zijn (of een bestand)."]
        return []
    return _file_problems("DDAS_API_TOKEN_JWKS", lambda data: jwt.PyJWKSet.from_json(data.decode()), "geen JWKS (JSON)")


def _loopback(host: str) -> bool:
    try:
        return host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        return False


def _crl_problems() -> list[str]:
    problems = _file_problems("DDAS_API_CRL", crls_parse, "geen CRL (PEM of DER)")
    if problems:
        return problems
    crls = read_cached(settings.DDAS_API_CRL, crls_parse)
    now = datetime.now(UTC)
    if any(crl.next_update_utc is None or crl.next_update_utc < now for crl in crls):
        problems.append("De CRL in DDAS_API_CRL is verouderd: ververs het bestand (bijvoorbeeld dagelijks).")
    return problems


def _signing_problems() -> list[str]:
    problems = _file_problems("DDAS_API_SIGNING_KEY", _key_parse, "geen onversleutelde RSA-sleutel (PEM)")
    problems += _file_problems("DDAS_API_SIGNING_CHAIN", certificates_parse, "geen PEM-certificaten")
    if problems:
        return problems
    key = read_cached(settings.DDAS_API_SIGNING_KEY, _key_parse)
    cert = read_cached(settings.DDAS_API_SIGNING_CHAIN, certificates_parse)[0]
    if not _same_key(key, cert):
        problems.append(
            "De sleutel in DDAS_API_SIGNING_KEY hoort niet bij het eerste certificaat in DDAS_API_SIGNING_CHAIN."
        )
    now = datetime.now(UTC)
    if cert.not_valid_after_utc < now:
        problems.append(f"Het ondertekeningscertificaat is verlopen op {cert.not_valid_after_utc:%Y-%m-%d}.")
    elif cert.not_valid_after_utc < now + EXPIRY_WARNING:
        problems.append(
            f"Het ondertekeningscertificaat verloopt op {cert.not_valid_after_utc:%Y-%m-%d}: vervang het tijdig."
        )
    try:
        usage_check(cert)
    except CertificateRefused:
        problems.append("Het ondertekeningscertificaat is niet bedoeld om mee te ondertekenen (geen digitalSignature).")
    return problems
