"""Admins make, list and revoke the API keys of integrations (audited).

Only an admin signed in with a bearer token may: an API key never manages keys, so a
leaked key cannot mint others.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from healthcareplus.api.v1.account_schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
)
from healthcareplus.api.v1.callers import Caller, admin_person
from healthcareplus.api.v1.problems import problems
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.domain.accounts import api_keys

router = APIRouter(prefix="/admin/api-keys", tags=["Admin: API keys"])
ADMINS_ONLY = "For admins signed in with a bearer token (not API keys)."
REFUSALS = problems("unauthorized", "invalid-token", "forbidden")


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Make an API key",
    description=(
        "A key for an integration, with the scopes it needs. It acts for you: it stops "
        "working when revoked, when it expires, or when you are no longer an active admin. "
        f"The key is in this answer only; it cannot be read again. Audited. {ADMINS_ONLY}"
    ),
    responses={**REFUSALS, **problems(422)},
)
def create_key(
    body: ApiKeyCreate, response: Response, caller: Caller = Depends(admin_person)
) -> ApiKeyCreated:
    with session_scope() as db:
        issued = api_keys.create_api_key(
            db,
            actor_id=caller.user_id or 0,
            actor_role=caller.role or "",
            name=body.name,
            scopes=list(body.scopes),
            expires_at=body.expires_at,
            now=utcnow(),
        )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Location"] = f"{router.prefix}/{issued.view.id}"
    return ApiKeyCreated(**ApiKeyOut.of(issued.view).model_dump(), key=issued.key)


@router.get(
    "",
    response_model=ApiKeyList,
    summary="API keys",
    description=f"Every key, newest first, without the keys themselves. {ADMINS_ONLY}",
    responses={**REFUSALS, **problems(422)},
)
def list_keys(
    include_revoked: Annotated[bool, Query(description="List revoked keys too")] = True,
    caller: Caller = Depends(admin_person),
) -> ApiKeyList:
    with session_scope() as db:
        views = api_keys.list_api_keys(db, now=utcnow(), include_revoked=include_revoked)
    return ApiKeyList(items=[ApiKeyOut.of(view) for view in views])


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key",
    description=(
        "The key stops working at once. Revoking a revoked key changes nothing. Audited. "
        f"{ADMINS_ONLY}"
    ),
    responses={**REFUSALS, **problems(404, 422)},
)
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=2**31 - 1)], caller: Caller = Depends(admin_person)
) -> Response:
    with session_scope() as db:
        api_keys.revoke_api_key(
            db,
            actor_id=caller.user_id or 0,
            actor_role=caller.role or "",
            key_id=key_id,
            now=utcnow(),
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


__all__ = ["router"]
