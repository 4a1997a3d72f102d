"""Signing in and out through the API, and who the caller is."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from healthcareplus.api.v1.account_schemas import (
    ApiKeyInfo,
    LogoutRequest,
    Me,
    RefreshRequest,
    TokenResponse,
)
from healthcareplus.api.v1.callers import Caller, caller_of, client_key, signed_in
from healthcareplus.api.v1.problems import ApiProblem, problems
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.errors import AuthenticationFailed
from healthcareplus.domain.accounts import api_tokens, auth

router = APIRouter(tags=["Authentication"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    summary="Sign in (OAuth2 password flow)",
    description=(
        "Patients, doctors and admins sign in with their email (`username`) and password, "
        "as a form (`application/x-www-form-urlencoded`). The answer holds a short-lived "
        "access token, sent as `Authorization: Bearer …`, and a refresh token. Failed "
        "sign-ins are throttled exactly as on the website (per account and client "
        "address, 30 s doubling per further failure): the answer is then 429 with "
        "Retry-After. The login is listed among the account's signed-in devices "
        '("API client") and ends with them: signing out everywhere, a password change, '
        "or the account blocked or deactivated."
    ),
    responses=problems("sign-in-failed", 422, "sign-in-throttled"),
)
def sign_in(
    request: Request, response: Response, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenResponse:
    now = utcnow()
    with session_scope() as db:
        user = auth.authenticate(
            db,
            email=form.username,
            password=form.password,
            client_key=client_key(request),
            roles=api_tokens.ALL_ROLES,
            now=now,
        )
        pair = api_tokens.open_api_login(
            db, user_id=user.id or 0, user_agent=request.headers.get("user-agent", ""), now=now
        )
    response.headers.update(NO_STORE)
    return TokenResponse.of(pair, now)


@router.post(
    "/auth/refresh",
    response_model=TokenResponse,
    summary="Swap a refresh token for a new pair",
    description=(
        "Each refresh token works once: the answer is a new access token and a new "
        "refresh token, and the old pair stops working. Presenting a refresh token that "
        "was already used ends the whole sign-in (every token of it): someone else may "
        "hold a copy. Sign in again then."
    ),
    responses=problems("invalid-token", 422),
)
def refresh(body: RefreshRequest, response: Response) -> TokenResponse:
    now = utcnow()
    with session_scope() as db:
        try:
            pair = api_tokens.refresh_api_login(db, refresh_token=body.refresh_token, now=now)
        except AuthenticationFailed as exc:
            raise ApiProblem("invalid-token", str(exc)) from None
    response.headers.update(NO_STORE)
    return TokenResponse.of(pair, now)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Sign out (ends every token of this sign-in)",
    description=(
        "Send the access token (`Authorization: Bearer …`), or, once it has expired, the "
        "refresh token in the body. The sign-in ends: its access and refresh tokens stop "
        "working at once."
    ),
    responses=problems("unauthorized", "invalid-token", "forbidden", 422),
    openapi_extra={"security": [{"OAuth2Password": []}, {}]},
)
def sign_out(request: Request, body: Annotated[LogoutRequest | None, Body()] = None) -> Response:
    now = utcnow()
    caller = caller_of(request)
    if caller.kind == "api_key":
        raise ApiProblem("forbidden", "API keys do not sign in; an admin revokes them.")
    with session_scope() as db:
        if caller.kind == "person":
            user_id, login_id = caller.user_id, caller.login_id
        elif body is not None and body.refresh_token:
            holder = api_tokens.refresh_token_holder(db, token=body.refresh_token, now=now)
            if holder is None:
                raise ApiProblem("invalid-token", api_tokens.INVALID_REFRESH)
            user_id, login_id = holder.user_id, holder.login_id
        else:
            raise ApiProblem(
                "unauthorized", "Send the access token, or the refresh token in the body."
            )
        assert user_id is not None and login_id is not None
        api_tokens.close_api_login(db, user_id=user_id, login_id=login_id, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/me",
    response_model=Me,
    summary="Who is calling",
    description="The signed-in person, or the API key and the admin it acts for.",
    responses=problems("unauthorized", "invalid-token"),
)
def me(caller: Caller = Depends(signed_in)) -> Me:
    key = None
    if caller.api_key_id is not None:
        key = ApiKeyInfo(id=caller.api_key_id, name=caller.api_key_name)
    return Me(
        id=caller.user_id or 0,
        name=caller.name,
        email=caller.email,
        role=caller.role or "",
        auth="api_key" if key else "bearer",
        scopes=sorted(caller.scopes),
        api_key=key,
    )


__all__ = ["router"]
