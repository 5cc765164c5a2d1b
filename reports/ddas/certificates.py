"""The checks of a request signer's certificate for the DDAS pull API (ADR 0016):
key usage, validity, the chain to the configured trust anchors and revocation (the
operator's CRL file and, when DDAS_API_OCSP, the OCSP responder the certificate names).

Everything is parsed and verified by cryptography: chain building by its
`x509.verification` module (the webpki rules for the CA certificates, but for their
extended key usage, which need not name TLS client authentication; the end-entity
certificate may carry any extension but must not be a CA, as PKIoverheid signing
certificates have no subjectAltName and no TLS key purpose), CRLs with
`x509.load_*_x509_crl`, OCSP with `x509.ocsp`. A failed check raises CertificateRefused with a reason slug of
signing.SignatureRefused and a Dutch detail."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError
from django.conf import settings

OCSP_TIMEOUT = 5  # seconds
OCSP_CLOCK_SKEW = timedelta(minutes=5)
T = TypeVar("T")


class CertificateRefused(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _unknown(detail: str) -> CertificateRefused:
    return CertificateRefused("revocation-unknown", detail)


# --- files, read again when they change --------------------------------------------

_cache: dict[tuple[str, Callable[[bytes], Any]], tuple[tuple[int, int, int], Any]] = {}


def read_cached(path: str, parse: Callable[[bytes], T]) -> T:
    """`parse` of the file's bytes, kept until the file changes (inode, mtime, size), so
    an operator can replace a CRL or key file without a restart. Raises OSError when
    the file cannot be read and whatever `parse` raises."""
    stat = os.stat(path)
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    hit = _cache.get((path, parse))
    if hit and hit[0] == stamp:
        return hit[1]
    value = parse(Path(path).read_bytes())
    _cache[(path, parse)] = (stamp, value)
    return value


def certificates_parse(data: bytes) -> list[x509.Certificate]:
    certificates = x509.load_pem_x509_certificates(data)
    if not certificates:
        raise ValueError("no certificates")
    return certificates


_PEM_CRL = re.compile(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", re.DOTALL)


def crls_parse(data: bytes) -> list[x509.CertificateRevocationList]:
    """One DER CRL, or one or more PEM CRLs (e.g. of the issuing CA and of the CA above it)."""
    blocks = _PEM_CRL.findall(data)
    if blocks:
        return [x509.load_pem_x509_crl(block) for block in blocks]
    return [x509.load_der_x509_crl(data)]


# --- the checks --------------------------------------------------------------------


def signer_check(chain: list[x509.Certificate], *, now: datetime) -> list[x509.Certificate]:
    """Check the certificates of x5c (end-entity first) at `now`; returns the verified
    chain from the end-entity certificate to a trust anchor."""
    leaf = chain[0]
    usage_check(leaf)
    if now < leaf.not_valid_before_utc:
        raise CertificateRefused(
            "certificate-not-yet-valid",
            f"Het certificaat is geldig vanaf {leaf.not_valid_before_utc:%Y-%m-%d %H:%M} UTC.",
        )
    if now > leaf.not_valid_after_utc:
        raise CertificateRefused(
            "certificate-expired", f"Het certificaat was geldig tot {leaf.not_valid_after_utc:%Y-%m-%d %H:%M} UTC."
        )
    verified = chain_verify(leaf, chain[1:], now=now)
    revocation_check(verified, now=now)
    return verified


def usage_check(cert: x509.Certificate) -> None:
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not usage.digital_signature:
        raise CertificateRefused(
            "certificate-usage", "Het sleutelgebruik (key usage) van het certificaat bevat geen digitalSignature."
        )


def _not_a_ca(policy: Any, cert: x509.Certificate, constraints: x509.BasicConstraints | None) -> None:
    if constraints is not None and constraints.ca:
        raise ValueError("an end-entity certificate must not be a CA")


def chain_verify(
    leaf: x509.Certificate, intermediates: list[x509.Certificate], *, now: datetime
) -> list[x509.Certificate]:
    try:
        anchors = read_cached(settings.DDAS_API_TRUST_ANCHORS, certificates_parse)
    except (OSError, ValueError) as error:
        raise CertificateRefused(
            "certificate-untrusted", "De vertrouwde basiscertificaten (DDAS_API_TRUST_ANCHORS) zijn niet te lezen."
        ) from error
    # A CA's key purposes are not held against the TLS client purpose this verifier
    # checks by default: a CA for signing certificates need not list clientAuth.
    ca = ExtensionPolicy.webpki_defaults_ca().may_be_present(x509.ExtendedKeyUsage, Criticality.AGNOSTIC, None)
    end_entity = ExtensionPolicy.permit_all().may_be_present(x509.BasicConstraints, Criticality.AGNOSTIC, _not_a_ca)
    verifier = (
        PolicyBuilder()
        .store(Store(anchors))
        .time(now)
        .extension_policies(ca_policy=ca, ee_policy=end_entity)
        .build_client_verifier()
    )
    try:
        return verifier.verify(leaf, intermediates).chain
    except (VerificationError, ValueError, UnsupportedAlgorithm) as error:
        raise CertificateRefused(
            "certificate-untrusted",
            "De certificaatketen in x5c leidt niet naar een vertrouwd basiscertificaat, of een certificaat "
            "in de keten is niet geldig.",
        ) from error


def revocation_check(verified: list[x509.Certificate], *, now: datetime) -> None:
    if not settings.DDAS_API_CRL and not settings.DDAS_API_OCSP:
        raise _unknown("Er is geen intrekkingscontrole ingesteld (DDAS_API_CRL of DDAS_API_OCSP).")
    if settings.DDAS_API_CRL:
        crl_check(verified, now=now)
    if settings.DDAS_API_OCSP and len(verified) > 1:  # (a certificate that is itself an anchor has no issuer)
        ocsp_check(verified[0], verified[1], now=now)


def crl_check(verified: list[x509.Certificate], *, now: datetime) -> None:
    """Every certificate below the anchor whose issuer has a CRL in the file is checked
    against it; the end-entity certificate must be covered."""
    try:
        crls = read_cached(settings.DDAS_API_CRL, crls_parse)
    except (OSError, ValueError) as error:
        raise _unknown("De CRL (DDAS_API_CRL) is niet te lezen.") from error
    for position, (cert, issuer) in enumerate(zip(verified, verified[1:], strict=False)):
        own = [crl for crl in crls if crl.issuer == issuer.subject]
        if not own:
            if position == 0:
                raise _unknown("De CRL is niet van de uitgever van het certificaat.")
            continue
        crl = max(own, key=lambda c: c.last_update_utc)
        if not crl.is_signature_valid(issuer.public_key()):
            raise _unknown("De CRL is niet ondertekend door de uitgever van het certificaat.")
        if crl.next_update_utc is None or crl.next_update_utc < now:
            raise _unknown("De CRL is verouderd: haal een nieuwe op bij de uitgever.")
        if crl.get_revoked_certificate_by_serial_number(cert.serial_number) is not None:
            raise CertificateRefused("certificate-revoked", "Het certificaat staat op de intrekkingslijst (CRL).")


def ocsp_check(cert: x509.Certificate, issuer: x509.Certificate, *, now: datetime) -> None:
    """Ask the OCSP responder named in the certificate's AIA extension (RFC 6960)."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        url = next(d.access_location.value for d in access if d.access_method == AuthorityInformationAccessOID.OCSP)
    except (x509.ExtensionNotFound, StopIteration) as error:
        raise _unknown("Het certificaat noemt geen OCSP-dienst.") from error
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    try:
        answer = requests.post(
            url,
            data=request.public_bytes(serialization.Encoding.DER),
            headers={"Content-Type": "application/ocsp-request"},
            timeout=OCSP_TIMEOUT,
            allow_redirects=False,
        )
        answer.raise_for_status()
        response = ocsp.load_der_ocsp_response(answer.content)
    except (requests.RequestException, ValueError) as error:
        raise _unknown("De OCSP-dienst is niet bereikbaar of gaf geen leesbaar antwoord.") from error
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise _unknown("De OCSP-dienst gaf geen antwoord over het certificaat.")
    _ocsp_signature_check(response, issuer, now=now)
    single = next((r for r in response.responses if r.serial_number == cert.serial_number), None)
    if single is None or single.this_update_utc > now + OCSP_CLOCK_SKEW:
        raise _unknown("Het OCSP-antwoord gaat niet over dit certificaat.")
    if single.next_update_utc is not None and single.next_update_utc < now - OCSP_CLOCK_SKEW:
        raise _unknown("Het OCSP-antwoord is verouderd.")
    if single.certificate_status == ocsp.OCSPCertStatus.REVOKED:
        raise CertificateRefused("certificate-revoked", "De OCSP-dienst meldt dat het certificaat is ingetrokken.")
    if single.certificate_status != ocsp.OCSPCertStatus.GOOD:
        raise _unknown("De OCSP-dienst kent het certificaat niet.")


def _ocsp_signature_check(response: ocsp.OCSPResponse, issuer: x509.Certificate, *, now: datetime) -> None:
    """The answer is signed by the issuer itself or by a responder certificate the issuer
    issued for OCSP signing (RFC 6960 4.2.2.2)."""
    responder = None
    for candidate in [issuer, *response.certificates]:
        names_it = response.responder_name == candidate.subject or (
            response.responder_key_hash == x509.SubjectKeyIdentifier.from_public_key(candidate.public_key()).digest
        )
        if names_it and (candidate is issuer or _ocsp_delegate(candidate, issuer, now=now)):
            responder = candidate
            break
    if responder is None:
        raise _unknown("Het OCSP-antwoord is niet ondertekend door de uitgever van het certificaat.")
    key, algorithm = responder.public_key(), response.signature_hash_algorithm
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm:
            key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm:
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        else:
            raise InvalidSignature
    except InvalidSignature as error:
        raise _unknown("De handtekening onder het OCSP-antwoord klopt niet.") from error


def _ocsp_delegate(candidate: x509.Certificate, issuer: x509.Certificate, *, now: datetime) -> bool:
    try:
        candidate.verify_directly_issued_by(issuer)
        purposes = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    valid = candidate.not_valid_before_utc <= now <= candidate.not_valid_after_utc
    return valid and ExtendedKeyUsageOID.OCSP_SIGNING in purposes
