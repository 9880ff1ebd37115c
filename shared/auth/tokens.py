"""Bearer JWT verification (and minting, for development tokens).

The verifier accepts exactly one algorithm family, fixed by the key it was configured with:
HS256 for a shared secret (development), RS256 or ES256 for a public key (production). A token
naming any other algorithm, `none` included, is refused, so a public key can never be used as an
HMAC secret (algorithm switching).
"""
from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from shared.settings import Settings, SettingsError

ROLES = ("admin", "evaluator", "operator", "viewer")
REQUIRED_CLAIMS = ("exp", "sub", "role", "agency_id")


class InvalidToken(Exception):
    """The token is missing, malformed, expired, not yet valid or wrongly signed (HTTP 401)."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's subject, role and the agency their scope is rooted at."""

    sub: str
    role: str
    agency_id: str


class TokenVerifier:
    """Verifies bearer tokens. A dashboard sends the same token with every request, so a verified token
    is remembered (bounded, per process) with its expiry: its signature and claims cannot change, and
    the expiry is checked again on every use."""

    CACHE_SIZE = 4096

    def __init__(self, *, key, algorithms: list[str], issuer: str | None = None, audience: str | None = None,
                 leeway_s: int = 30):
        self.key = key
        self.algorithms = algorithms
        self.issuer = issuer
        self.audience = audience
        self.leeway_s = leeway_s
        self._verified: OrderedDict[str, tuple[Principal, int]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "TokenVerifier":
        if settings.jwt_secret:
            return cls(key=settings.jwt_secret, algorithms=["HS256"], issuer=settings.jwt_issuer,
                       audience=settings.jwt_audience)
        if settings.jwt_public_key:
            try:
                key = load_pem_public_key(settings.jwt_public_key.encode())
            except ValueError as err:
                raise SettingsError(f"the JWT public key is not a PEM public key: {err}") from None
            if isinstance(key, rsa.RSAPublicKey):
                algorithms = ["RS256"]
            elif isinstance(key, ec.EllipticCurvePublicKey):
                algorithms = ["ES256"]
            else:
                raise SettingsError("the JWT public key must be an RSA or EC (P-256) key")
            return cls(key=key, algorithms=algorithms, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
        raise SettingsError("no token key configured: set KINERJA_JWT_SECRET (development) "
                            "or KINERJA_JWT_PUBLIC_KEY / KINERJA_JWT_PUBLIC_KEY_FILE")

    def verify(self, token: str) -> Principal:
        with self._lock:
            known = self._verified.get(token)
            if known is not None:
                self._verified.move_to_end(token)
        if known is not None:
            principal, expires = known
            if time.time() > expires + self.leeway_s:
                raise InvalidToken("the token has expired")
            return principal
        principal, expires = self._verify(token)
        with self._lock:
            self._verified[token] = (principal, expires)
            if len(self._verified) > self.CACHE_SIZE:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, int]:
        options = {"require": list(REQUIRED_CLAIMS) + (["iss"] if self.issuer else []) + (["aud"] if self.audience else [])}
        try:
            claims = jwt.decode(token, self.key, algorithms=self.algorithms, issuer=self.issuer,
                                audience=self.audience, leeway=self.leeway_s, options=options)
        except jwt.ExpiredSignatureError:
            raise InvalidToken("the token has expired") from None
        except jwt.ImmatureSignatureError:
            raise InvalidToken("the token is not valid yet") from None
        except jwt.InvalidAlgorithmError:
            raise InvalidToken(f"the token's algorithm is not accepted (expected {', '.join(self.algorithms)})") from None
        except jwt.InvalidSignatureError:
            raise InvalidToken("the token's signature is not valid") from None
        except jwt.MissingRequiredClaimError as err:
            raise InvalidToken(f"the token lacks the claim {err.claim!r}") from None
        except jwt.InvalidTokenError as err:
            raise InvalidToken(f"the token is invalid: {err}") from None
        role, sub, agency_id = claims["role"], claims["sub"], claims["agency_id"]
        if role not in ROLES:
            raise InvalidToken(f"the token's role must be one of {', '.join(ROLES)}")
        if not all(isinstance(v, str) and v for v in (sub, agency_id)):
            raise InvalidToken("the token's sub and agency_id must be non-empty strings")
        return Principal(sub=sub, role=role, agency_id=agency_id), int(claims["exp"])


def mint_token(*, key, algorithm: str = "HS256", sub: str, role: str, agency_id: str, ttl_s: int = 8 * 3600,
               issuer: str | None = None, audience: str | None = None, not_before_s: int = 0) -> str:
    """A signed token (development CLI and tests; production tokens come from the identity provider)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    now = int(time.time())
    claims = {"sub": sub, "role": role, "agency_id": agency_id, "iat": now, "exp": now + ttl_s,
              "jti": uuid.uuid4().hex}
    if not_before_s:
        claims["nbf"] = now + not_before_s
    if issuer:
        claims["iss"] = issuer
    if audience:
        claims["aud"] = audience
    return jwt.encode(claims, key, algorithm=algorithm)
