"""A throw-away PKI for the DDAS pull API's tests (issue 18; ADR 0016), built with
cryptography: a root and an intermediate CA, the request signers CBS might present
(a good one, a revoked one in the CRL, an expired one, one under a root nobody trusts,
one whose key usage is not signing), our own response-signing identity and a token
issuer's key with its JWKS file. Plus two small real HTTP servers: a JWKS endpoint and
an OCSP responder built with cryptography's OCSPResponseBuilder.

`Pki.signed_headers` signs a request as CBS does; `Pki.verify_response` checks our
signed answer as CBS would, with PyJWT and cryptography only (it shares no code with
reports/ddas/signing.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import EllipsisType
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import ExtensionPolicy, PolicyBuilder, Store, VerificationError

ISSUER = "https://auth.ddas.test/"
AUDIENCE = "vroeg-ddas-test"
ISSUER_KID = "ddas-auth-test-1"
CLIENT_ID = "cbs-ddas-test"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def digest_of(body: bytes) -> str:
    """The Digest header value (RFC 3230) of a body."""
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def x5t_s256(cert: x509.Certificate) -> str:
    return _b64url(cert.fingerprint(hashes.SHA256()))


@dataclass
class Identity:
    """A certificate with its key; `chain` is what goes in x5c: the certificate and
    the intermediates above it, end-entity first (a root's chain is itself)."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey
    chain: list[x509.Certificate]


@dataclass
class Pki:
    directory: Path
    root: Identity
    intermediate: Identity
    signer: Identity
    revoked_signer: Identity
    expired_signer: Identity
    untrusted_signer: Identity
    no_signing_usage_signer: Identity
    server: Identity
    issuer_key: rsa.RSAPrivateKey
    issuer: str = ISSUER
    audience: str = AUDIENCE
    issuer_kid: str = ISSUER_KID
    anchors_path: Path = field(init=False)
    crl_path: Path = field(init=False)
    jwks_path: Path = field(init=False)
    signing_key_path: Path = field(init=False)
    signing_chain_path: Path = field(init=False)

    def __post_init__(self) -> None:
        d = self.directory
        self.anchors_path, self.crl_path, self.jwks_path = d / "anchors.pem", d / "crl.pem", d / "jwks.json"
        self.signing_key_path, self.signing_chain_path = d / "signing-key.pem", d / "signing-chain.pem"
        self.anchors_path.write_bytes(_pem(self.root.cert))
        self.write_crl(self.crl_path, revoked=[self.revoked_signer])
        self.jwks_path.write_text(json.dumps(self.jwks()))
        self.signing_key_path.write_bytes(
            self.server.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.signing_chain_path.write_bytes(b"".join(_pem(c) for c in self.server.chain))

    # --- settings and certificates --------------------------------------------------

    def settings(self) -> dict[str, object]:
        """The DDAS_API_* settings of a complete configuration with these files."""
        return {
            "DDAS_API_ENABLED": True,
            "DDAS_API_TOKEN_ISSUER": self.issuer,
            "DDAS_API_TOKEN_AUDIENCE": self.audience,
            "DDAS_API_TOKEN_JWKS": str(self.jwks_path),
            "DDAS_API_TRUST_ANCHORS": str(self.anchors_path),
            "DDAS_API_CRL": str(self.crl_path),
            "DDAS_API_OCSP": False,
            "DDAS_API_SIGNING_KEY": str(self.signing_key_path),
            "DDAS_API_SIGNING_CHAIN": str(self.signing_chain_path),
        }

    def issue(
        self,
        name: str,
        *,
        issuer: Identity | None = None,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        usage: str = "signing",
        ocsp_url: str | None = None,
    ) -> Identity:
        """Another end-entity certificate (by default a signer under the intermediate)."""
        return issue(
            name,
            issuer=issuer or self.intermediate,
            not_before=not_before,
            not_after=not_after,
            usage=usage,
            ocsp_url=ocsp_url,
        )

    def write_crl(
        self,
        path: Path,
        *,
        revoked: tuple[Identity, ...] | list[Identity] = (),
        issuer: Identity | None = None,
        signing_key: rsa.RSAPrivateKey | None = None,
        last_update: datetime | None = None,
        next_update: datetime | None = None,
        der: bool = False,
    ) -> Path:
        """A CRL of `issuer` (the intermediate) listing `revoked`, signed by `signing_key`
        (the issuer's own unless a test wants a forged one)."""
        issuer = issuer or self.intermediate
        now = datetime.now(UTC)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(issuer.cert.subject)
            .last_update(last_update or now - timedelta(hours=1))
            .next_update(next_update or now + timedelta(days=7))
        )
        for identity in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(identity.cert.serial_number)
                .revocation_date(now - timedelta(hours=1))
                .build()
            )
        crl = builder.sign(signing_key or issuer.key, hashes.SHA256())
        path.write_bytes(crl.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM))
        return path

    # --- tokens ---------------------------------------------------------------------

    def jwks(self, key: rsa.RSAPrivateKey | None = None, kid: str | None = None) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk((key or self.issuer_key).public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": kid or self.issuer_kid, "use": "sig", "alg": "RS256"}]}

    def token(
        self,
        *,
        key: rsa.RSAPrivateKey | None = None,
        algorithm: str = "RS256",
        headers: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A bearer JWT as the DDAS authorization server issues it (client credentials,
        scope "read", five minutes). A claim given as None is left out."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": CLIENT_ID,
            "client_id": CLIENT_ID,
            "scope": "read",
            "iat": now,
            "exp": now + 300,
            "jti": _b64url(hashlib.sha256(str(time.perf_counter_ns()).encode()).digest()[:12]),
        }
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(
            payload, key or self.issuer_key, algorithm=algorithm, headers={"kid": self.issuer_kid, **(headers or {})}
        )

    # --- signed messages ------------------------------------------------------------

    def signed_headers(
        self,
        body: bytes,
        signer: Identity | None = None,
        *,
        digest: str | None | EllipsisType = ...,
        signed_body: bytes | None = None,
        alg: str = "PS256",
        header: dict[str, Any] | None = None,
        signature: str | None | EllipsisType = ...,
    ) -> dict[str, str]:
        """The headers CBS sends with `body`: Digest and nlgov-adr-payload-sig, a JWS
        with detached payload (RFC 7515 appendix F) signed by `signer` (the good one).
        Tampering for the failure tests: `digest` (a value, or None for none),
        `signed_body` (sign other bytes), `alg`, `header` (protected header entries
        to change; None removes one), `signature` (a whole value, or None for none)."""
        signer = signer or self.signer
        protected: dict[str, Any] = {
            "typ": "JOSE",
            "kid": x5t_s256(signer.cert),
            "x5c": [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in signer.chain],
            "x5t#S256": x5t_s256(signer.cert),
        }
        for name, value in (header or {}).items():
            if value is None:
                protected.pop(name, None)
            else:
                protected[name] = value
        if "typ" not in protected:
            protected["typ"] = None  # PyJWT would add "JWT"; None makes it leave typ out
        token = jwt.api_jws.encode(signed_body if signed_body is not None else body, signer.key, alg, protected)
        head, _, sig = token.split(".")
        headers: dict[str, str | None] = {
            "Content-Type": "application/json",
            "Digest": digest_of(body),
            "nlgov-adr-payload-sig": f"{head}..{sig}",
        }
        if digest is not ...:
            headers["Digest"] = digest
        if signature is not ...:
            headers["nlgov-adr-payload-sig"] = signature
        return {k: v for k, v in headers.items() if v is not None}

    def verify_response(self, body: bytes, headers: Any) -> dict[str, Any]:
        """Check a signed answer as CBS would: the Digest, the chain in x5c to our root
        (now), x5t#S256, and the PS256 signature over exactly `body`. Returns the
        protected header; any failure is an AssertionError."""
        assert _header(headers, "Digest") == digest_of(body), "Digest does not match the body"
        value = _header(headers, "nlgov-adr-payload-sig")
        assert value, "no nlgov-adr-payload-sig header"
        head, middle, sig = value.split(".")
        assert middle == "", "the payload is not detached"
        token = f"{head}.{_b64url(body)}.{sig}"
        protected = jwt.get_unverified_header(token)
        assert protected["alg"] == "PS256" and protected["typ"] == "JOSE" and protected.get("kid")
        chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in protected["x5c"]]
        assert protected["x5t#S256"] == x5t_s256(chain[0]), "x5t#S256 is not the first certificate's"
        verifier = (
            PolicyBuilder()
            .store(Store([self.root.cert]))
            .time(datetime.now(UTC))
            .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(), ee_policy=ExtensionPolicy.permit_all())
            .build_client_verifier()
        )
        try:
            verifier.verify(chain[0], chain[1:])
        except VerificationError as error:
            raise AssertionError(f"the chain in x5c does not lead to our root: {error}") from error
        try:
            jwt.api_jws.decode_complete(token, chain[0].public_key(), algorithms=["PS256"])
        except jwt.PyJWTError as error:
            raise AssertionError(f"the signature does not fit the body: {error}") from error
        return protected


def _header(headers: Any, name: str) -> str | None:
    if isinstance(headers, Mapping):
        for key, value in headers.items():
            if key.lower() == name.lower():
                return value
        return None
    return headers.get(name)  # an HttpResponse, requests' headers


# --- building the PKI ---------------------------------------------------------------


def issue(
    name: str,
    *,
    issuer: Identity | None,
    ca: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
    usage: str = "signing",
    ocsp_url: str | None = None,
    purposes: list[x509.ObjectIdentifier] | None = None,
    organisation: str = "Centraal Bureau voor de Statistiek (test)",
) -> Identity:
    """A certificate for `name` issued by `issuer` (None: self-signed root). `usage`:
    "signing" (digitalSignature and nonRepudiation), "encipherment" (keyEncipherment
    only) or "ocsp" (a delegated OCSP responder); CA certificates get keyCertSign and
    cRLSign. `purposes`: extended key usages (an "ocsp" certificate gets OCSPSigning)."""
    key = _key()
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=3650 if ca else 365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None if issuer is None or not ca else 0), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signing_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=ca or usage in ("signing", "ocsp"),
                content_commitment=not ca and usage == "signing",
                key_encipherment=not ca and usage == "encipherment",
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    if usage == "ocsp" and purposes is None:
        purposes = [ExtendedKeyUsageOID.OCSP_SIGNING]
    if purposes:
        builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=False)
    if ocsp_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))]
            ),
            critical=False,
        )
    cert = builder.sign(signing_key, hashes.SHA256())
    chain = [cert] if issuer is None else [cert, *(c for c in issuer.chain if c.subject != c.issuer)]
    return Identity(cert=cert, key=key, chain=chain)


def pki_build(directory: Path) -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    root = issue("Staat der Testlanden Root CA", issuer=None, ca=True, organisation="Staat der Testlanden")
    intermediate = issue("Testlanden Services CA", issuer=root, ca=True, organisation="Staat der Testlanden")
    other_root = issue("Onbekende Root CA", issuer=None, ca=True, organisation="Onbekend")
    return Pki(
        directory=directory,
        root=root,
        intermediate=intermediate,
        signer=issue("CBS DDAS ondertekening", issuer=intermediate),
        revoked_signer=issue("CBS DDAS ondertekening (ingetrokken)", issuer=intermediate),
        expired_signer=issue(
            "CBS DDAS ondertekening (verlopen)",
            issuer=intermediate,
            not_before=now - timedelta(days=400),
            not_after=now - timedelta(days=30),
        ),
        untrusted_signer=issue("CBS DDAS ondertekening (onbekende root)", issuer=other_root),
        no_signing_usage_signer=issue("CBS DDAS versleuteling", issuer=intermediate, usage="encipherment"),
        server=issue("Vroeg DDAS ondertekening", issuer=intermediate, organisation="Gemeente Voorbeeldstad (test)"),
        issuer_key=_key(),
    )


# --- small real HTTP servers ----------------------------------------------------------


class _Server:
    """A ThreadingHTTPServer on a free local port, answering `answer(path, body)`."""

    def __init__(self) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _reply(self, body: bytes) -> None:
                status, content_type, data = outer.answer(self.path, body)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._reply(b"")

            def do_POST(self) -> None:  # noqa: N802
                self._reply(self.rfile.read(int(self.headers.get("Content-Length", 0))))

        self.calls = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class JwksServer(_Server):
    """The authorization server's published keys at `url`."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self.jwks = jwks
        super().__init__()
        self.url = f"{self.base_url}/.well-known/jwks.json"

    def answer(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        self.calls += 1
        if path != "/.well-known/jwks.json":
            return 404, "text/plain", b"not found"
        return 200, "application/json", json.dumps(self.jwks).encode()


class OcspResponder(_Server):
    """An OCSP responder (RFC 6960, POST) for certificates of `issuer`, its answers
    signed by `signer` (the issuer itself, or a delegated responder whose certificate
    goes along). `statuses` maps a serial number to "good" or "revoked"; any other
    serial is "unknown"."""

    def __init__(self, issuer: Identity, signer: Identity | None = None) -> None:
        self.issuer = issuer
        self.signer = signer or issuer
        self.statuses: dict[int, str] = {}
        super().__init__()
        self.url = f"{self.base_url}/ocsp"

    def answer(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        self.calls += 1
        request = ocsp.load_der_ocsp_request(body)
        now = datetime.now(UTC)
        status = self.statuses.get(request.serial_number, "unknown")
        cert_status = {"good": ocsp.OCSPCertStatus.GOOD, "revoked": ocsp.OCSPCertStatus.REVOKED}.get(
            status, ocsp.OCSPCertStatus.UNKNOWN
        )
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response_by_hash(
                issuer_name_hash=request.issuer_name_hash,
                issuer_key_hash=request.issuer_key_hash,
                serial_number=request.serial_number,
                algorithm=request.hash_algorithm,
                cert_status=cert_status,
                this_update=now - timedelta(minutes=5),
                next_update=now + timedelta(hours=1),
                revocation_time=now - timedelta(days=1) if status == "revoked" else None,
                revocation_reason=x509.ReasonFlags.key_compromise if status == "revoked" else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, self.signer.cert)
        )
        if self.signer is not self.issuer:
            builder = builder.certificates([self.signer.cert])
        response = builder.sign(self.signer.key, hashes.SHA256())
        return 200, "application/ocsp-response", response.public_bytes(serialization.Encoding.DER)
