"""The signatures of the DDAS pull API (issue 18): CBS's request is accepted only with a
Digest of exactly its body and a PS256 signature over it by a certificate that chains
to the trust anchors, is valid, meant for signing and not revoked (CRL, OCSP); our
answer is signed so that CBS can check it; check --deploy names every broken setting."""

import base64
import json
import os
import socket
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ObjectIdentifier
from cryptography.x509.oid import ExtendedKeyUsageOID

from reports.ddas.signing import (
    SignatureRefused,
    configuration_problems,
    request_signature_verify,
    response_sign,
)
from testkit.pki import OcspResponder, digest_of, issue, x5t_s256

BODY = json.dumps(
    {"aanleverperiodeStartdatum": "2026-01-01", "aanleverperiodeEinddatum": "2026-03-31", "page": 1, "pageSize": 25000}
).encode()


def verify(headers, body=BODY, **kwargs):
    return request_signature_verify(
        body=body, digest=headers.get("Digest"), signature=headers.get("nlgov-adr-payload-sig"), **kwargs
    )


def refusal(headers, body=BODY, **kwargs) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        verify(headers, body, **kwargs)
    return caught.value


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def free_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/ocsp"


# --- a request as CBS sends it --------------------------------------------------------


def test_a_correctly_signed_request_names_its_signer(ddas_settings, ddas_pki):
    signer = verify(ddas_pki.signed_headers(BODY))

    cert = ddas_pki.signer.cert
    assert signer.subject == cert.subject.rfc4514_string() and "CBS DDAS ondertekening" in signer.subject
    assert int(signer.serial, 16) == cert.serial_number
    assert signer.fingerprint_sha256 == cert.fingerprint(cert.signature_hash_algorithm).hex()
    assert signer.kid == x5t_s256(cert)


def test_a_body_changed_by_one_byte_is_refused(ddas_settings, ddas_pki):
    headers = ddas_pki.signed_headers(BODY)
    changed = BODY.replace(b"25000", b"25001")

    assert refusal(headers, changed).reason == "digest-mismatch"
    # the Digest made to fit the changed body: the signature still covers the old one
    refused = refusal({**headers, "Digest": digest_of(changed)}, changed)
    assert refused.reason == "signature-invalid"
    assert refused.title == "De handtekening past niet bij het bericht"


def test_the_digest_must_be_there_and_of_this_body(ddas_settings, ddas_pki):
    assert refusal(ddas_pki.signed_headers(BODY, digest=None)).reason == "digest-missing"
    assert refusal(ddas_pki.signed_headers(BODY, digest=digest_of(b"{}"))).reason == "digest-mismatch"
    assert refusal(ddas_pki.signed_headers(BODY, digest="SHA-512=abc")).reason == "digest-mismatch"


def test_a_missing_or_unreadable_signature_is_refused(ddas_settings, ddas_pki):
    assert refusal(ddas_pki.signed_headers(BODY, signature=None)).reason == "signature-missing"
    assert refusal(ddas_pki.signed_headers(BODY, signature="  ")).reason == "signature-missing"
    for garbage in ["abc", "a.b.c", "a..", "..b", "!!!..???", f"{b64url(b'[1]')}..c2ln"]:
        refused = refusal(ddas_pki.signed_headers(BODY, signature=garbage))
        assert refused.reason == "signature-malformed", garbage
        assert garbage not in refused.detail


def test_a_signature_over_other_bytes_is_refused(ddas_settings, ddas_pki):
    headers = ddas_pki.signed_headers(BODY, signed_body=b'{"page": 2}')

    assert refusal(headers).reason == "signature-invalid"


def test_a_signature_whose_x5c_holds_someone_elses_certificate_is_refused(ddas_settings, ddas_pki):
    """Signed with CBS's key, but x5c claims another (trusted) certificate."""
    x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in ddas_pki.server.chain]
    headers = ddas_pki.signed_headers(BODY, header={"x5c": x5c, "x5t#S256": x5t_s256(ddas_pki.server.cert)})

    assert refusal(headers).reason == "signature-invalid"


def test_only_ps256_is_accepted(ddas_settings, ddas_pki):
    assert refusal(ddas_pki.signed_headers(BODY, alg="RS256")).reason == "algorithm"
    # alg none: a header without signature
    x5c = [base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in ddas_pki.signer.chain]
    protected = {"alg": "none", "typ": "JOSE", "kid": "k", "x5c": x5c}
    unsigned = f"{b64url(json.dumps(protected).encode())}..AA"
    refused = refusal({"Digest": digest_of(BODY), "nlgov-adr-payload-sig": unsigned})
    assert refused.reason == "algorithm" and refused.detail == "Alleen PS256 is toegestaan."


def test_the_protected_header_needs_x5c_kid_and_typ(ddas_settings, ddas_pki):
    for header in [
        {"x5c": None},
        {"x5c": []},
        {"x5c": ["bm90IGEgY2VydA=="]},
        {"x5c": "abc"},
        {"kid": None},
        {"typ": None},
    ]:
        assert refusal(ddas_pki.signed_headers(BODY, header=header)).reason == "signature-malformed", header


def test_an_x5t_that_is_not_the_first_certificates_is_refused(ddas_settings, ddas_pki):
    headers = ddas_pki.signed_headers(BODY, header={"x5t#S256": x5t_s256(ddas_pki.server.cert)})

    refused = refusal(headers)
    assert refused.reason == "signature-malformed" and "x5t#S256" in refused.detail
    # x5t#S256 is recommended, not required
    assert verify(ddas_pki.signed_headers(BODY, header={"x5t#S256": None}))


# --- the signer's certificate ---------------------------------------------------------


def test_a_chain_to_a_root_we_do_not_trust_is_refused(ddas_settings, ddas_pki):
    assert refusal(ddas_pki.signed_headers(BODY, ddas_pki.untrusted_signer)).reason == "certificate-untrusted"


def test_a_forged_intermediate_with_the_right_name_is_refused(ddas_settings, ddas_pki):
    fake = issue("Testlanden Services CA", issuer=None, ca=True, organisation="Staat der Testlanden")
    assert fake.cert.subject == ddas_pki.intermediate.cert.subject
    signer = issue("CBS DDAS ondertekening", issuer=fake)
    signer.chain = [signer.cert, fake.cert]

    assert refusal(ddas_pki.signed_headers(BODY, signer)).reason == "certificate-untrusted"


def test_a_signing_ca_need_not_list_the_tls_client_purpose(ddas_settings, ddas_pki, tmp_path):
    """An issuing CA restricted to e-mail and document signing, as a signing hierarchy may be."""
    document_signing = ObjectIdentifier("1.3.6.1.5.5.7.3.36")
    ca = issue(
        "Testlanden Ondertekening CA",
        issuer=ddas_pki.root,
        ca=True,
        purposes=[ExtendedKeyUsageOID.EMAIL_PROTECTION, document_signing],
    )
    signer = issue("CBS DDAS ondertekening", issuer=ca)
    ddas_settings.DDAS_API_CRL = str(ddas_pki.write_crl(tmp_path / "crl.pem", issuer=ca))

    assert verify(ddas_pki.signed_headers(BODY, signer)).subject == signer.cert.subject.rfc4514_string()


def test_a_ca_certificate_cannot_sign_a_request(ddas_settings, ddas_pki):
    """The intermediate may sign certificates and CRLs, not messages as if it were CBS."""
    assert refusal(ddas_pki.signed_headers(BODY, ddas_pki.intermediate)).reason == "certificate-untrusted"


def test_an_expired_or_not_yet_valid_certificate_is_refused(ddas_settings, ddas_pki):
    refused = refusal(ddas_pki.signed_headers(BODY, ddas_pki.expired_signer))
    assert refused.reason == "certificate-expired" and refused.title == "Het certificaat is verlopen"

    later = ddas_pki.issue("CBS DDAS later", not_before=datetime.now(UTC) + timedelta(days=2))
    assert refusal(ddas_pki.signed_headers(BODY, later)).reason == "certificate-not-yet-valid"
    # judged at the moment given
    assert refusal(ddas_pki.signed_headers(BODY), now=datetime.now(UTC) + timedelta(days=400)).reason == (
        "certificate-expired"
    )


def test_a_certificate_not_meant_for_signing_is_refused(ddas_settings, ddas_pki):
    refused = refusal(ddas_pki.signed_headers(BODY, ddas_pki.no_signing_usage_signer))
    assert refused.reason == "certificate-usage" and "digitalSignature" in refused.detail


def test_a_certificate_revoked_in_the_crl_is_refused(ddas_settings, ddas_pki):
    refused = refusal(ddas_pki.signed_headers(BODY, ddas_pki.revoked_signer))
    assert refused.reason == "certificate-revoked" and refused.title == "Het certificaat is ingetrokken"


def test_a_der_crl_works_too(ddas_settings, ddas_pki, tmp_path):
    ddas_settings.DDAS_API_CRL = str(
        ddas_pki.write_crl(tmp_path / "crl.der", revoked=[ddas_pki.revoked_signer], der=True)
    )

    assert verify(ddas_pki.signed_headers(BODY))
    assert refusal(ddas_pki.signed_headers(BODY, ddas_pki.revoked_signer)).reason == "certificate-revoked"


def test_a_crl_that_cannot_be_relied_on_leaves_revocation_unknown(ddas_settings, ddas_pki, tmp_path):
    now = datetime.now(UTC)
    stale = ddas_pki.write_crl(
        tmp_path / "stale.pem", last_update=now - timedelta(days=9), next_update=now - timedelta(days=2)
    )
    forged = ddas_pki.write_crl(tmp_path / "forged.pem", signing_key=ddas_pki.server.key)
    of_root = ddas_pki.write_crl(tmp_path / "root.pem", issuer=ddas_pki.root)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("geen CRL")
    cases = {
        stale: "verouderd",
        forged: "niet ondertekend door de uitgever",
        of_root: "niet van de uitgever",
        garbage: "niet te lezen",
        tmp_path / "missing.pem": "niet te lezen",
    }
    for path, words in cases.items():
        ddas_settings.DDAS_API_CRL = str(path)
        refused = refusal(ddas_pki.signed_headers(BODY))
        assert refused.reason == "revocation-unknown" and words in refused.detail, path
    # the CRL passes its nextUpdate
    ddas_settings.DDAS_API_CRL = str(ddas_pki.crl_path)
    assert refusal(ddas_pki.signed_headers(BODY), now=now + timedelta(days=8)).reason == "revocation-unknown"


def test_without_crl_and_ocsp_revocation_is_unknown(ddas_settings, ddas_pki):
    ddas_settings.DDAS_API_CRL = ""

    assert refusal(ddas_pki.signed_headers(BODY)).reason == "revocation-unknown"


@pytest.fixture
def ocsp_on(ddas_settings):
    ddas_settings.DDAS_API_CRL = ""
    ddas_settings.DDAS_API_OCSP = True
    return ddas_settings


@pytest.fixture
def responder(ddas_pki):
    server = OcspResponder(ddas_pki.intermediate)
    yield server
    server.close()


def test_ocsp_good_passes_and_revoked_is_refused(ocsp_on, ddas_pki, responder):
    signer = ddas_pki.issue("CBS DDAS ondertekening (OCSP)", ocsp_url=responder.url)
    responder.statuses[signer.cert.serial_number] = "good"
    assert verify(ddas_pki.signed_headers(BODY, signer))
    assert responder.calls == 1

    responder.statuses[signer.cert.serial_number] = "revoked"
    refused = refusal(ddas_pki.signed_headers(BODY, signer))
    assert refused.reason == "certificate-revoked" and "OCSP" in refused.detail


def test_ocsp_unknown_unreachable_or_absent_leaves_revocation_unknown(ocsp_on, ddas_pki, responder):
    unknown = ddas_pki.issue("CBS DDAS onbekend bij OCSP", ocsp_url=responder.url)
    unreachable = ddas_pki.issue("CBS DDAS OCSP weg", ocsp_url=free_port_url())
    no_aia = ddas_pki.signer
    for signer, words in [
        (unknown, "kent het certificaat niet"),
        (unreachable, "niet bereikbaar"),
        (no_aia, "geen OCSP"),
    ]:
        refused = refusal(ddas_pki.signed_headers(BODY, signer))
        assert refused.reason == "revocation-unknown" and words in refused.detail


def test_ocsp_answers_by_a_delegated_responder_count_a_stranger_s_do_not(ocsp_on, ddas_pki):
    delegate = ddas_pki.issue("Testlanden OCSP", usage="ocsp")
    stranger = ddas_pki.server  # issued by the same CA, but not for OCSP
    for responder_identity, accepted in [(delegate, True), (stranger, False)]:
        responder = OcspResponder(ddas_pki.intermediate, signer=responder_identity)
        try:
            signer = ddas_pki.issue("CBS DDAS ondertekening (OCSP)", ocsp_url=responder.url)
            responder.statuses[signer.cert.serial_number] = "good"
            if accepted:
                assert verify(ddas_pki.signed_headers(BODY, signer))
            else:
                assert refusal(ddas_pki.signed_headers(BODY, signer)).reason == "revocation-unknown"
        finally:
            responder.close()


def test_with_crl_and_ocsp_both_are_asked(ddas_settings, ddas_pki, responder):
    ddas_settings.DDAS_API_OCSP = True
    signer = ddas_pki.issue("CBS DDAS ondertekening (OCSP)", ocsp_url=responder.url)
    responder.statuses[signer.cert.serial_number] = "good"
    assert verify(ddas_pki.signed_headers(BODY, signer))
    assert responder.calls == 1


# --- our answer -------------------------------------------------------------------------


def test_an_answer_is_signed_so_that_cbs_can_check_it(ddas_settings, ddas_pki):
    body = b'{"gegevens": {"codeGegevensleverancier": "VROEG"}}'

    headers = response_sign(body)

    protected = ddas_pki.verify_response(body, headers)
    assert protected["alg"] == "PS256" and protected["typ"] == "JOSE"
    assert protected["kid"] == protected["x5t#S256"] == x5t_s256(ddas_pki.server.cert)
    assert protected["x5c"] == [
        base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in ddas_pki.server.chain
    ]
    assert "b64" not in protected  # the payload is base64url'd in the signing input (RFC 7515 appendix F)
    with pytest.raises(AssertionError, match="Digest"):
        ddas_pki.verify_response(body.replace(b"VROEG", b"VROEH"), headers)
    with pytest.raises(AssertionError, match="signature"):
        ddas_pki.verify_response(b"{}", {**headers, "Digest": digest_of(b"{}")})
    with pytest.raises(AssertionError, match="root"):
        ddas_pki.verify_response(body, ddas_pki.signed_headers(body, ddas_pki.untrusted_signer))
    # the same format both ways: our own check accepts our answer
    assert verify(headers, body).subject == ddas_pki.server.cert.subject.rfc4514_string()


def test_a_replaced_signing_key_is_used_without_a_restart(ddas_settings, ddas_pki, tmp_path):
    key_path, chain_path = tmp_path / "key.pem", tmp_path / "chain.pem"

    def install(identity):
        for path, data in [
            (key_path, identity.key.private_bytes(*PKCS8)),
            (chain_path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in identity.chain)),
        ]:
            (tmp_path / "new").write_bytes(data)
            os.replace(tmp_path / "new", path)  # as an operator would: write, then move into place

    install(ddas_pki.server)
    ddas_settings.DDAS_API_SIGNING_KEY, ddas_settings.DDAS_API_SIGNING_CHAIN = str(key_path), str(chain_path)
    first = ddas_pki.verify_response(BODY, response_sign(BODY))
    renewed = ddas_pki.issue("Vroeg DDAS ondertekening (vernieuwd)")
    install(renewed)

    second = ddas_pki.verify_response(BODY, response_sign(BODY))
    assert first["kid"] == x5t_s256(ddas_pki.server.cert) and second["kid"] == x5t_s256(renewed.cert)


PKCS8 = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


# --- configuration --------------------------------------------------------------------


def test_nothing_to_check_while_the_api_is_off(settings):
    settings.DDAS_API_ENABLED = False
    settings.DDAS_API_SIGNING_KEY = "/nergens/sleutel.pem"

    assert configuration_problems() == []


def test_a_complete_configuration_has_no_problems(ddas_settings):
    assert configuration_problems() == []


@pytest.mark.parametrize(
    "name",
    [
        "DDAS_API_TOKEN_ISSUER",
        "DDAS_API_TOKEN_AUDIENCE",
        "DDAS_API_TOKEN_JWKS",
        "DDAS_API_TRUST_ANCHORS",
        "DDAS_API_SIGNING_KEY",
        "DDAS_API_SIGNING_CHAIN",
    ],
)
def test_each_empty_required_setting_is_named(ddas_settings, name):
    setattr(ddas_settings, name, "")

    assert configuration_problems() == [f"{name} is leeg; de DDAS-API heeft het nodig."]


@pytest.mark.parametrize(
    "name",
    ["DDAS_API_TOKEN_JWKS", "DDAS_API_TRUST_ANCHORS", "DDAS_API_CRL", "DDAS_API_SIGNING_KEY", "DDAS_API_SIGNING_CHAIN"],
)
def test_a_missing_or_unreadable_file_is_named(ddas_settings, tmp_path, name):
    setattr(ddas_settings, name, str(tmp_path / "weg.pem"))
    assert configuration_problems() == [
        f"Het bestand in {name} ({tmp_path / 'weg.pem'}) bestaat niet of is niet te lezen."
    ]

    (tmp_path / "onzin.pem").write_text("onzin")
    setattr(ddas_settings, name, str(tmp_path / "onzin.pem"))
    [problem] = configuration_problems()
    assert problem.startswith(f"Het bestand in {name} ({tmp_path / 'onzin.pem'}) bevat geen ")


def test_no_revocation_check_and_a_stale_crl_are_named(ddas_settings, ddas_pki, tmp_path):
    ddas_settings.DDAS_API_CRL = ""
    assert configuration_problems() == [
        "Er is geen intrekkingscontrole: stel DDAS_API_CRL in of zet DDAS_API_OCSP aan."
    ]
    ddas_settings.DDAS_API_OCSP = True
    assert configuration_problems() == []

    now = datetime.now(UTC)
    stale = ddas_pki.write_crl(
        tmp_path / "oud.pem", last_update=now - timedelta(days=9), next_update=now - timedelta(days=1)
    )
    ddas_settings.DDAS_API_CRL = str(stale)
    assert configuration_problems() == [
        "De CRL in DDAS_API_CRL is verouderd: ververs het bestand (bijvoorbeeld dagelijks)."
    ]


def test_a_plain_http_jwks_address_is_named(ddas_settings):
    ddas_settings.DDAS_API_TOKEN_JWKS = "http://auth.ddas.example/jwks.json"
    assert configuration_problems() == ["DDAS_API_TOKEN_JWKS moet een https-adres zijn (of een bestand)."]

    ddas_settings.DDAS_API_TOKEN_JWKS = "https://auth.ddas.example/jwks.json"
    assert configuration_problems() == []


def _write_identity(tmp_path, key, certs):
    key_path, chain_path = tmp_path / "key.pem", tmp_path / "chain.pem"
    key_path.write_bytes(key.private_bytes(*PKCS8))
    chain_path.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return str(key_path), str(chain_path)


def test_a_signing_key_that_does_not_fit_the_chain_is_named(ddas_settings, ddas_pki, tmp_path):
    ddas_settings.DDAS_API_SIGNING_KEY, ddas_settings.DDAS_API_SIGNING_CHAIN = _write_identity(
        tmp_path, ddas_pki.signer.key, ddas_pki.server.chain
    )

    assert configuration_problems() == [
        "De sleutel in DDAS_API_SIGNING_KEY hoort niet bij het eerste certificaat in DDAS_API_SIGNING_CHAIN."
    ]


def test_a_signing_key_that_is_not_rsa_is_named(ddas_settings, tmp_path):
    path = tmp_path / "ec.pem"
    path.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(*PKCS8))
    ddas_settings.DDAS_API_SIGNING_KEY = str(path)

    assert configuration_problems() == [
        f"Het bestand in DDAS_API_SIGNING_KEY ({path}) bevat geen onversleutelde RSA-sleutel (PEM)."
    ]


def test_an_expired_or_soon_expiring_signing_certificate_is_named(ddas_settings, ddas_pki, tmp_path):
    now = datetime.now(UTC)
    expired = ddas_pki.issue("Vroeg oud", not_before=now - timedelta(days=400), not_after=now - timedelta(days=1))
    soon = ddas_pki.issue("Vroeg bijna oud", not_after=now + timedelta(days=10))
    not_signing = ddas_pki.issue("Vroeg versleuteling", usage="encipherment")
    cases = [
        (expired, f"Het ondertekeningscertificaat is verlopen op {expired.cert.not_valid_after_utc:%Y-%m-%d}."),
        (
            soon,
            f"Het ondertekeningscertificaat verloopt op {soon.cert.not_valid_after_utc:%Y-%m-%d}: vervang het tijdig.",
        ),
        (not_signing, "Het ondertekeningscertificaat is niet bedoeld om mee te ondertekenen (geen digitalSignature)."),
    ]
    for number, (identity, problem) in enumerate(cases):
        folder = tmp_path / str(number)
        folder.mkdir()
        ddas_settings.DDAS_API_SIGNING_KEY, ddas_settings.DDAS_API_SIGNING_CHAIN = _write_identity(
            folder, identity.key, identity.chain
        )
        assert configuration_problems() == [problem]
