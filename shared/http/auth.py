"""Bearer-token authentication for every request, and the authorization helpers views call."""
from __future__ import annotations

from typing import Callable

from flask import Flask, g, request

from shared.auth.policy import Action, AgencyRef, authorize, require_role
from shared.auth.tokens import InvalidToken, Principal, TokenVerifier
from shared.http.problems import Problem

# The four endpoints open without a token: liveness, readiness, metrics and the OpenAPI document.
OPEN_ENDPOINTS = {"ops.healthz", "ops.readyz", "ops.metrics", "ops.asyncapi", "api-docs.openapi_json"}

AgencyLookup = Callable[[str], AgencyRef | None]


def _unauthorized(detail: str) -> Problem:
    return Problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="kinerja"'})


def authenticate(verifier: TokenVerifier, lookup: AgencyLookup) -> None:
    """Before every request: set `g.principal`, or refuse with 401 (no valid token) / 403."""
    if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS or request.method == "OPTIONS":
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise _unauthorized("This endpoint needs a bearer token (Authorization: Bearer <JWT>).")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("The Authorization header must be 'Bearer <JWT>'.")
    try:
        principal = verifier.verify(token.strip())
    except InvalidToken as err:
        raise _unauthorized(f"Invalid token: {err}.") from None
    if principal.role != "admin":
        home = lookup(principal.agency_id)
        if home is None:
            raise Problem(403, f"The token's agency {principal.agency_id} is not known to this service.")
        if home.status != "active":
            raise Problem(403, f"The token's agency {principal.agency_id} has been deactivated.")
    g.principal = principal


def current_principal() -> Principal:
    return g.principal


def require(action: Action, agency: AgencyRef | None) -> Principal:
    """Refuse (Forbidden, 403) unless the caller may perform `action` on data of `agency`."""
    principal = current_principal()
    authorize(principal, action, agency)
    return principal


def require_role_for(action: Action) -> Principal:
    """Refuse (Forbidden, 403) unless the caller's role allows `action` somewhere (lists then filter by scope)."""
    principal = current_principal()
    require_role(principal, action)
    return principal


def install_auth(app: Flask, verifier: TokenVerifier, lookup: AgencyLookup) -> Callable[[], None]:
    """The before-request authentication step for `app` (installed by shared.http.middleware)."""
    return lambda: authenticate(verifier, lookup)
