"""Admin: the other administrators (list, create, deactivate, reactivate) and the audit
log (filtered, newest first, a page at a time). The same domain functions as the admin
pages, the same rules: nobody deactivates themselves or the last active administrator.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.admin_people_schemas import (
    AdminList,
    AdminOut,
    ChangeReason,
    CreatedAdminOut,
    NewAdminIn,
)
from healthcareplus.api.v1.callers import Caller
from healthcareplus.api.v1.problems import problems
from healthcareplus.api.v1.roles import (
    ADMIN_REFUSALS,
    Id,
    PageInfo,
    PageNumber,
    actor,
    admin_reader,
    admin_writer,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.paging import PAGE_SIZE
from healthcareplus.domain.accounts import admins as svc
from healthcareplus.domain.admin import audit_log

router = APIRouter(prefix="/admin")
READ = "Needs admin:read."
WRITE = "Needs admin:write. Audited."
CHANGE = {**ADMIN_REFUSALS, **problems(404, 409, 422)}
ADMINS: list[str | Enum] = ["Admin: administrators"]


@router.get(
    "/admins",
    response_model=AdminList,
    tags=ADMINS,
    summary="Administrators",
    description=f"Active and inactive administrators by name. {READ}",
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def list_admins(
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    caller: Caller = Depends(admin_reader),
) -> AdminList:
    with session_scope() as db:
        found = svc.list_admins(db, page=page, page_size=page_size)
    return AdminList(
        items=[AdminOut.model_validate(a) for a in found.items], page=PageInfo.of(found.paging)
    )


@router.post(
    "/admins",
    response_model=CreatedAdminOut,
    status_code=status.HTTP_201_CREATED,
    tags=ADMINS,
    summary="Create an administrator",
    description=(
        "With the password given (and confirmed), or, left empty, a generated one-time "
        "password returned in this answer only (only its hash is stored). Refused fields "
        f"are listed (the email when already in use). {WRITE}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def create_admin(
    body: NewAdminIn, response: Response, caller: Caller = Depends(admin_writer)
) -> CreatedAdminOut:
    with session_scope() as db:
        made = svc.create_admin(db, **body.model_dump(), **actor(caller), now=utcnow())
    response.headers["Cache-Control"] = "no-store"
    response.headers["Location"] = f"{router.prefix}/admins/{made.admin.id}"
    return CreatedAdminOut.model_validate(made)


def _set_active(admin_id: int, active: bool, reason: str, caller: Caller) -> AdminOut:
    with session_scope() as db:
        row = svc.set_admin_active(
            db, admin_id=admin_id, active=active, reason=reason, **actor(caller), now=utcnow()
        )
    return AdminOut.model_validate(row)


@router.post(
    "/admins/{admin_id}/deactivate",
    response_model=AdminOut,
    tags=ADMINS,
    summary="Deactivate an administrator",
    description=(
        "Signed out everywhere at once (their API keys stop too), no sign-in until "
        "reactivated. Not yourself (403), nor the last active administrator (409). "
        f"{WRITE}"
    ),
    responses=CHANGE,
)
def deactivate(
    admin_id: Id, body: ChangeReason | None = None, caller: Caller = Depends(admin_writer)
) -> AdminOut:
    return _set_active(admin_id, False, body.reason if body else "", caller)


@router.post(
    "/admins/{admin_id}/reactivate",
    response_model=AdminOut,
    tags=ADMINS,
    summary="Reactivate an administrator",
    description=f"They may sign in again. 409 when already active. {WRITE}",
    responses=CHANGE,
)
def reactivate(admin_id: Id, caller: Caller = Depends(admin_writer)) -> AdminOut:
    return _set_active(admin_id, True, "", caller)


class AuditEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime = Field(description="UTC")
    when_label: str = Field(description="Clinic time")
    actor_name: str = Field(description='"System" when no user acted')
    actor_email: str
    actor_role: str
    action: str
    action_label: str
    appointment_id: str
    entity: str
    entity_id: str
    reason: str
    details: str = Field(description="The entry's details as one readable line")


class AuditPage(BaseModel):
    items: list[AuditEntry] = Field(description="Newest first")
    page: PageInfo


@router.get(
    "/audit-events",
    response_model=AuditPage,
    tags=["Admin: audit log"],
    summary="The audit log",
    description=(
        "Who did what, when and why: every change of appointments, payments, schedules, "
        "accounts, and every download. `actor` matches part of the actor's name or email, "
        "`appointment_id` the start of an appointment's id, the dates (clinic days, "
        f"inclusive) when the entry was written. {READ}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def audit_events(
    actor_query: Annotated[str, Query(alias="actor", max_length=100)] = "",
    appointment_id: Annotated[str, Query(max_length=36)] = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=audit_log.MAX_PAGE_SIZE)] = (
        audit_log.DEFAULT_PAGE_SIZE
    ),
    caller: Caller = Depends(admin_reader),
) -> AuditPage:
    with session_scope() as db:
        found = audit_log.list_events(
            db,
            actor_query=actor_query,
            appointment_id=appointment_id,
            date_from=date_from,
            date_to=date_to,
            page=page,
            page_size=page_size,
        )
    return AuditPage(
        items=[AuditEntry.model_validate(r) for r in found.rows], page=PageInfo.of(found)
    )


__all__ = ["router"]
