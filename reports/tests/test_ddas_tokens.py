"""The bearer token of the DDAS pull API (issue 18): only a JWT of the configured DDAS
authorization server, for this service, unexpired and with scope "read", opens it; the
issuer's keys come from a file or, over real HTTP, from its JWKS address."""

import base64
import hashlib
import hmac
import json
import os
import socket
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from reports.ddas.tokens import TokenRefused, TokenServiceUnavailable, token_verify
from testkit.pki import CLIENT_ID, JwksServer


def refusal(authorization, **kwargs) -> TokenRefused:
    with pytest.raises(TokenRefused) as caught:
        token_verify(authorization, **kwargs)
    return caught.value


def invalid(authorization, **kwargs) -> str:
    refused = refusal(authorization, **kwargs)
    assert (refused.status, refused.fsc_code) == (401, "ERROR_CODE_ACCESS_TOKEN_INVALID")
    return refused.detail


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_a_valid_token_gives_its_client_and_scopes(ddas_settings, ddas_pki):
    claims = token_verify(f"Bearer {ddas_pki.token(scope='read other')}")

    assert claims.issuer == ddas_pki.issuer
    assert claims.subject == claims.client_id == CLIENT_ID
    assert claims.scopes == frozenset({"read", "other"})
    assert claims.expires_at.tzinfo is not None
    assert abs((claims.expires_at - datetime.now(UTC)).total_seconds() - 300) < 10
    # the scheme's case does not matter; azp names the client when client_id is absent
    claims = token_verify(f"bearer {ddas_pki.token(client_id=None, azp='cbs-azp', sub='cbs-sub')}")
    assert (claims.subject, claims.client_id) == ("cbs-sub", "cbs-azp")


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer   ", "Basic Y2JzOmdlaGVpbQ==", "Token abc"])
def test_no_bearer_token_is_missing(ddas_settings, authorization):
    refused = refusal(authorization)

    assert (refused.status, refused.fsc_code) == (401, "ERROR_CODE_ACCESS_TOKEN_MISSING")
    assert refused.title == "Toegangstoken ontbreekt"


def test_an_expired_token_is_expired_after_a_minute_s_leeway(ddas_settings, ddas_pki):
    now = int(time.time())
    refused = refusal(f"Bearer {ddas_pki.token(iat=now - 900, exp=now - 120)}")
    assert (refused.status, refused.fsc_code) == (401, "ERROR_CODE_ACCESS_TOKEN_EXPIRED")
    assert refused.title == "Het toegangstoken is verlopen"

    assert token_verify(f"Bearer {ddas_pki.token(exp=now - 30)}")
    # judged at the moment given
    token = ddas_pki.token()
    assert refusal(f"Bearer {token}", now=datetime.now(UTC) + timedelta(minutes=7)).fsc_code == (
        "ERROR_CODE_ACCESS_TOKEN_EXPIRED"
    )


def test_a_token_without_expiry_or_not_yet_valid_is_invalid(ddas_settings, ddas_pki):
    invalid(f"Bearer {ddas_pki.token(exp=None)}")
    assert "nbf" in invalid(f"Bearer {ddas_pki.token(nbf=int(time.time()) + 600)}")
    invalid(f"Bearer {ddas_pki.token(exp='morgen')}")


def test_a_token_of_another_issuer_or_for_another_service_is_invalid(ddas_settings, ddas_pki):
    detail = invalid(f"Bearer {ddas_pki.token(iss='https://auth.elders.example/')}")
    assert "(iss)" in detail and "elders" not in detail
    detail = invalid(f"Bearer {ddas_pki.token(aud='een-andere-dienst')}")
    assert "(aud)" in detail and "andere" not in detail
    invalid(f"Bearer {ddas_pki.token(iss=None)}")
    invalid(f"Bearer {ddas_pki.token(aud=None)}")
    assert token_verify(f"Bearer {ddas_pki.token(aud=['iets-anders', ddas_pki.audience])}")


def test_a_token_signed_with_another_key_under_the_same_kid_is_invalid(ddas_settings, ddas_pki):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    detail = invalid(f"Bearer {ddas_pki.token(key=other)}")
    assert detail == "De handtekening van het toegangstoken klopt niet."
    assert "onbekende sleutel" in invalid(f"Bearer {ddas_pki.token(headers={'kid': 'iemand-anders'})}")


def test_an_unsigned_token_is_invalid(ddas_settings, ddas_pki):
    token = jwt.encode(
        {"iss": ddas_pki.issuer, "aud": ddas_pki.audience, "sub": "x", "scope": "read", "exp": int(time.time()) + 300},
        None,
        algorithm="none",
        headers={"kid": ddas_pki.issuer_kid},
    )

    assert "algoritme" in invalid(f"Bearer {token}")


def test_hs256_with_the_public_key_as_secret_is_invalid(ddas_settings, ddas_pki):
    """The classic confusion attack: "sign" with HMAC, using the published key as secret."""
    public_pem = ddas_pki.issuer_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {
        "iss": ddas_pki.issuer,
        "aud": ddas_pki.audience,
        "sub": "x",
        "scope": "read",
        "exp": int(time.time()) + 300,
    }
    signing_input = ".".join(
        b64url(json.dumps(part).encode())
        for part in ({"alg": "HS256", "typ": "JWT", "kid": ddas_pki.issuer_kid}, claims)
    )
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()

    assert "algoritme" in invalid(f"Bearer {signing_input}.{b64url(mac)}")


def test_a_token_in_an_algorithm_that_does_not_fit_the_key_is_invalid(ddas_settings, ddas_pki):
    ec_key = ec.generate_private_key(ec.SECP256R1())

    invalid(f"Bearer {ddas_pki.token(key=ec_key, algorithm='ES256')}")
    # PS256 with the issuer's RSA key is one of the allowed algorithms
    assert token_verify(f"Bearer {ddas_pki.token(algorithm='PS256')}")


@pytest.mark.parametrize("token", ["abc", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30", "e30.e30.e30"])
def test_garbage_is_invalid(ddas_settings, token):
    refused = refusal(f"Bearer {token}")

    assert (refused.status, refused.fsc_code) == (401, "ERROR_CODE_ACCESS_TOKEN_INVALID")
    assert token not in refused.detail


@pytest.mark.parametrize("scope", [None, "", "write", "readonly", ["write"]])
def test_without_scope_read_the_token_is_forbidden(ddas_settings, ddas_pki, scope):
    refused = refusal(f"Bearer {ddas_pki.token(scope=scope)}")

    assert (refused.status, refused.fsc_code) == (403, "ERROR_CODE_ACCESS_TOKEN_INVALID")
    assert '"read"' in refused.title


def test_scope_may_be_a_list_in_scp(ddas_settings, ddas_pki):
    assert token_verify(f"Bearer {ddas_pki.token(scope=None, scp=['read'])}").scopes == {"read"}


# --- where the keys come from ------------------------------------------------------------


@pytest.fixture
def jwks_server(ddas_pki):
    server = JwksServer(ddas_pki.jwks())
    yield server
    server.close()


def test_keys_from_the_issuers_address_over_http(ddas_settings, ddas_pki, jwks_server):
    ddas_settings.DDAS_API_TOKEN_JWKS = jwks_server.url

    assert token_verify(f"Bearer {ddas_pki.token()}").client_id == CLIENT_ID
    assert token_verify(f"Bearer {ddas_pki.token()}")
    assert jwks_server.calls == 1  # kept, not fetched for every call
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    invalid(f"Bearer {ddas_pki.token(key=other)}")
    assert "onbekende sleutel" in invalid(f"Bearer {ddas_pki.token(headers={'kid': 'iemand-anders'})}")


def test_an_unreachable_key_address_means_the_service_is_unavailable(ddas_settings, ddas_pki):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ddas_settings.DDAS_API_TOKEN_JWKS = f"http://127.0.0.1:{port}/jwks.json"

    with pytest.raises(TokenServiceUnavailable):
        token_verify(f"Bearer {ddas_pki.token()}")


def test_a_missing_or_broken_key_file_means_the_service_is_unavailable(ddas_settings, ddas_pki, tmp_path):
    for content in [None, "geen json", json.dumps({"keys": []})]:
        path = tmp_path / "jwks.json"
        path.unlink(missing_ok=True)
        if content is not None:
            path.write_text(content)
        ddas_settings.DDAS_API_TOKEN_JWKS = str(path)
        with pytest.raises(TokenServiceUnavailable):
            token_verify(f"Bearer {ddas_pki.token()}")


def test_unconfigured_token_checking_means_the_service_is_unavailable(ddas_settings, ddas_pki):
    ddas_settings.DDAS_API_TOKEN_AUDIENCE = ""

    with pytest.raises(TokenServiceUnavailable):
        token_verify(f"Bearer {ddas_pki.token()}")


def test_a_replaced_key_file_is_read_again(ddas_settings, ddas_pki, tmp_path):
    """The issuer rotates its key; the operator moves the new JWKS file into place."""
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(ddas_pki.jwks()))
    ddas_settings.DDAS_API_TOKEN_JWKS = str(path)
    assert token_verify(f"Bearer {ddas_pki.token()}")
    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    (tmp_path / "new.json").write_text(json.dumps(ddas_pki.jwks(new_key, kid="ddas-auth-test-2")))
    os.replace(tmp_path / "new.json", path)

    assert token_verify(f"Bearer {ddas_pki.token(key=new_key, headers={'kid': 'ddas-auth-test-2'})}")
    invalid(f"Bearer {ddas_pki.token()}")
