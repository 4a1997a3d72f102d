"""Who is calling: the one dependency every route uses to know the caller.

A request carries at most one credential: ``Authorization: Bearer <access token>`` (a
person signed in through ``POST /auth/token``) or ``X-API-Key: <key>`` (an integration,
acting for the admin who made the key, within its scopes). Either is checked against the
database on every request (``api_tokens.resolve_access_token``,
``api_keys.resolve_api_key``), so a signed-out login, a revoked key or a blocked or
deactivated account stops working at once. No credential: an anonymous caller, who
reaches only the public catalogue. A credential that does not check out is refused
(401), even on public routes, so that a client notices.

The client's address is the socket's peer, or, behind ``HCP_TRUSTED_PROXY_HOPS`` proxies,
the entry that many from the right of ``X-Forwarded-For`` (the rule the UI uses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from healthcareplus.api.v1.problems import API_PREFIX, ApiProblem
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.forwarding import forwarded_client
from healthcareplus.core.models import Role
from healthcareplus.domain.accounts import api_keys, api_tokens, throttle

TOKEN_URL = f"{API_PREFIX}/auth/token"
MAX_CREDENTIAL = 512  # longer than any token or key we issue
SIGN_IN_NEEDED = "Sign in first: send a bearer access token (POST /auth/token) or an API key."

bearer_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    scheme_name="OAuth2Password",
    description="People: sign in with email and password; send the access token as "
    "`Authorization: Bearer …` (15 minutes; POST /auth/refresh for a new pair).",
    auto_error=False,
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    description="Integrations: a key an admin made (POST /admin/api-keys), with scopes.",
    auto_error=False,
)


@dataclass(frozen=True)
class Caller:
    """The caller of one request, as routes may know it (no token, no hash)."""

    kind: Literal["anonymous", "person", "api_key"]
    user_id: int | None = None
    role: str | None = None
    name: str = ""
    email: str = ""
    scopes: frozenset[str] = field(default_factory=frozenset)
    login_id: int | None = None  # a person's API login (the session of their tokens)
    api_key_id: int | None = None
    api_key_name: str = ""

    @property
    def rate_key(self) -> str | None:
        """What the per-token rate limit counts: the login (every token of it) or key."""
        if self.login_id is not None:
            return f"login:{self.login_id}"
        if self.api_key_id is not None:
            return f"key:{self.api_key_id}"
        return None


ANONYMOUS = Caller(kind="anonymous")


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for", "")
    return forwarded_client(peer, forwarded, get_settings().trusted_proxy_hops)


def client_key(request: Request) -> str:
    """The sign-in throttling key of the request's client (the same as the UI's)."""
    return throttle.client_key_for(client_address(request))


def _invalid(detail: str) -> ApiProblem:
    return ApiProblem(
        "invalid-token",
        detail,
        headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
    )


def _resolve(request: Request) -> Caller:
    # Only the Bearer scheme is ours: an OAuth2 client's own Basic credentials (which
    # Swagger UI sends to the token endpoint) name no caller.
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    bearer = scheme.lower() == "bearer"
    key = request.headers.get("x-api-key")
    if bearer and key is not None:
        raise _invalid("Send one credential: a bearer token or an API key, not both.")
    if bearer:
        token = token.strip()
        if not token or len(token) > MAX_CREDENTIAL:
            raise _invalid("Send the access token as: Authorization: Bearer <token>.")
        with session_scope() as db:
            holder = api_tokens.resolve_access_token(db, token=token, now=utcnow())
        if holder is None:
            raise _invalid("The access token is invalid or has expired.")
        return Caller(
            kind="person",
            user_id=holder.user_id,
            role=holder.role,
            name=holder.name,
            email=holder.email,
            scopes=api_keys.scopes_for_role(holder.role),
            login_id=holder.login_id,
        )
    if key is not None:
        key = key.strip()
        if len(key) > MAX_CREDENTIAL:
            raise _invalid("The API key is invalid, expired or revoked.")
        with session_scope() as db:
            found = api_keys.resolve_api_key(db, key=key, now=utcnow())
        if found is None:
            raise _invalid("The API key is invalid, expired or revoked.")
        return Caller(
            kind="api_key",
            user_id=found.user_id,
            role=found.role,
            name=found.name,
            email=found.email,
            scopes=found.scopes,
            api_key_id=found.key_id,
            api_key_name=found.key_name,
        )
    return ANONYMOUS


def caller_of(request: Request) -> Caller:
    """The request's caller, resolved once per request (``ApiProblem`` 401 for a
    credential that does not check out)."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, Caller):
        return cached
    caller = _resolve(request)
    request.state.caller = caller
    return caller


def signed_in(
    request: Request,
    _bearer: str | None = Security(bearer_scheme),
    _key: str | None = Security(api_key_scheme),
) -> Caller:
    """A route for signed-in callers (a person or an API key); 401 for anyone else. The
    two schemes are declared for the OpenAPI document; the headers are read once here."""
    caller = caller_of(request)
    if caller.kind == "anonymous":
        raise ApiProblem("unauthorized", SIGN_IN_NEEDED)
    return caller


def signed_in_person(request: Request, _bearer: str | None = Security(bearer_scheme)) -> Caller:
    """A route for people signed in with a bearer token (not API keys)."""
    caller = caller_of(request)
    if caller.kind == "anonymous":
        raise ApiProblem("unauthorized", SIGN_IN_NEEDED)
    if caller.kind != "person":
        raise ApiProblem("forbidden", "Only a person signed in with a bearer token may do this.")
    return caller


def admin_person(caller: Caller = Depends(signed_in_person)) -> Caller:
    """An admin signed in with a bearer token (API keys never manage API keys)."""
    if caller.role != Role.ADMIN:
        raise ApiProblem("forbidden", "Only administrators may do this.")
    return caller


def needs_scope(scope: str) -> Callable[..., Caller]:
    """A dependency: a signed-in caller holding ``scope`` (people: by their role)."""

    def dependency(caller: Caller = Depends(signed_in)) -> Caller:
        if scope not in caller.scopes:
            raise ApiProblem("insufficient-scope", f"This needs the scope {scope}.")
        return caller

    return dependency


__all__ = [
    "ANONYMOUS",
    "Caller",
    "admin_person",
    "api_key_scheme",
    "bearer_scheme",
    "caller_of",
    "client_address",
    "client_key",
    "needs_scope",
    "signed_in",
    "signed_in_person",
]
