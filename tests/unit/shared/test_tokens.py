"""Token verification: signatures, expiry, claims and algorithm confusion (no I/O)."""
import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from shared.auth.tokens import InvalidToken, TokenVerifier, mint_token
from shared.settings import SettingsError, load_settings
from services.registry import SERVICES

SECRET = "s" * 64


def verifier(**options):
    return TokenVerifier(key=SECRET, algorithms=["HS256"], **options)


def claims(**overrides):
    now = int(time.time())
    # Tokens are built when tests are collected, possibly minutes before they run: a day of validity.
    return {"sub": "ani", "role": "operator", "agency_id": "opd-1", "exp": now + 86400, **overrides}


def test_a_valid_token_gives_the_principal():
    principal = verifier().verify(mint_token(key=SECRET, sub="ani", role="operator", agency_id="opd-1"))
    assert (principal.sub, principal.role, principal.agency_id) == ("ani", "operator", "opd-1")


@pytest.mark.parametrize("token, reason", [
    (jwt.encode(claims(exp=int(time.time()) - 120), SECRET, algorithm="HS256"), "expired"),
    # (built at collection, which may be long before the test runs: not valid for a month)
    (jwt.encode(claims(nbf=int(time.time()) + 30 * 86400), SECRET, algorithm="HS256"), "not valid yet"),
    (jwt.encode(claims(), "another-secret-of-enough-length-0123456789", algorithm="HS256"), "signature"),
    (jwt.encode(claims(), None, algorithm="none"), "algorithm"),
    (jwt.encode(claims(), SECRET, algorithm="HS512"), "algorithm"),
    (jwt.encode({k: v for k, v in claims().items() if k != "agency_id"}, SECRET, algorithm="HS256"), "agency_id"),
    (jwt.encode({k: v for k, v in claims().items() if k != "exp"}, SECRET, algorithm="HS256"), "exp"),
    (jwt.encode(claims(role="superuser"), SECRET, algorithm="HS256"), "role"),
    (jwt.encode(claims(sub=""), SECRET, algorithm="HS256"), "sub"),
    ("not.a.jwt", "invalid"),
    ("", "invalid"),
])
def test_bad_tokens_are_refused_with_a_reason(token, reason):
    with pytest.raises(InvalidToken, match=reason):
        verifier().verify(token)


def test_issuer_and_audience_are_checked_when_configured():
    strict = verifier(issuer="https://sso.example", audience="kinerja")
    good = jwt.encode(claims(iss="https://sso.example", aud="kinerja"), SECRET, algorithm="HS256")
    assert strict.verify(good).sub == "ani"
    for bad in (claims(iss="https://evil.example", aud="kinerja"), claims(iss="https://sso.example", aud="other"),
                claims(aud="kinerja"), claims(iss="https://sso.example")):
        with pytest.raises(InvalidToken):
            strict.verify(jwt.encode(bad, SECRET, algorithm="HS256"))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(public_key) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


@pytest.mark.parametrize("private_key, algorithm", [
    (rsa.generate_private_key(public_exponent=65537, key_size=2048), "RS256"),
    (ec.generate_private_key(ec.SECP256R1()), "ES256"),
])
def test_public_key_verification_and_no_algorithm_switching(private_key, algorithm):
    public_pem = pem(private_key.public_key())
    settings = load_settings(SERVICES["agencies"].spec, {"KINERJA_JWT_PUBLIC_KEY": public_pem})
    production = TokenVerifier.from_settings(settings)
    assert production.algorithms == [algorithm]
    assert production.verify(jwt.encode(claims(), private_key, algorithm=algorithm)).sub == "ani"
    # The classic confusion attack: sign with HS256 using the public key as the HMAC secret
    # (built by hand, because PyJWT itself refuses to use a PEM key as an HMAC secret).
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims()).encode())}"
    forged = f"{signing_input}.{b64(hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest())}"
    with pytest.raises(InvalidToken, match="algorithm"):
        production.verify(forged)


def test_settings_need_exactly_one_kind_of_key():
    with pytest.raises(SettingsError):
        TokenVerifier.from_settings(load_settings(SERVICES["agencies"].spec, {}))
    with pytest.raises(SettingsError):
        load_settings(SERVICES["agencies"].spec, {"KINERJA_JWT_SECRET": SECRET, "KINERJA_JWT_PUBLIC_KEY": "x"})
    with pytest.raises(SettingsError, match="KINERJA_JWT_SECRET"):
        load_settings(SERVICES["agencies"].spec, {"KINERJA_JWT_SECRET": "short"})
    with pytest.raises(SettingsError, match="PEM"):
        TokenVerifier.from_settings(load_settings(SERVICES["agencies"].spec, {"KINERJA_JWT_PUBLIC_KEY": "not a key"}))


def test_a_remembered_token_is_still_refused_once_it_expires(monkeypatch):
    verifier = TokenVerifier(key=SECRET, algorithms=["HS256"], leeway_s=0)
    token = mint_token(key=SECRET, sub="siti", role="viewer", agency_id="a", ttl_s=60)
    assert verifier.verify(token) == verifier.verify(token)  # the second answer comes from memory
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)
    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_a_forged_variant_of_a_remembered_token_is_verified_on_its_own():
    verifier = TokenVerifier(key=SECRET, algorithms=["HS256"])
    token = mint_token(key=SECRET, sub="siti", role="viewer", agency_id="a")
    verifier.verify(token)
    header, claims, signature = token.split(".")
    with pytest.raises(InvalidToken):
        verifier.verify(f"{header}.{claims}.{signature[:-2]}xx")
