"""Admin: webhook endpoints (register, list, read, change, turn off, rotate the secret)
and each endpoint's delivery attempts. Reading needs ``admin:read``, changing
``admin:write`` (an admin signed in, or an admin's API key with the scope); every change
is audited. The signing secret is in the answers of creating and rotating only."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

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
from healthcareplus.api.v1.webhook_schemas import (
    DeliveryAttemptList,
    DeliveryAttemptOut,
    WebhookCreate,
    WebhookList,
    WebhookOut,
    WebhookUpdate,
    WebhookWithSecret,
)
from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.paging import PAGE_SIZE
from healthcareplus.domain.notifications import webhooks as svc
from healthcareplus.domain.notifications.webhook_delivery import list_attempts

router = APIRouter(prefix="/admin/webhooks")
TAGS: list[str | Enum] = ["Admin: webhooks"]
READ = "Needs admin:read."
WRITE = "Needs admin:write. Audited."
SECRET = "The signing secret is in this answer only: it cannot be read again."
CHANGE = {**ADMIN_REFUSALS, **problems(404, 422)}


def _with_secret(issued: svc.IssuedSecret, response: Response) -> WebhookWithSecret:
    response.headers["Cache-Control"] = "no-store"
    return WebhookWithSecret(**WebhookOut.of(issued.view).model_dump(), secret=issued.secret)


@router.post(
    "",
    response_model=WebhookWithSecret,
    status_code=status.HTTP_201_CREATED,
    tags=TAGS,
    summary="Register a webhook endpoint",
    description=(
        "An https:// address to POST the chosen events to, signed with `HCP-Signature: "
        "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + '.' + body)>`. Receivers should "
        "refuse a timestamp older than five minutes, compare in constant time and drop a "
        f"repeated `HCP-Delivery`. {SECRET} {WRITE}"
    ),
    responses={**ADMIN_REFUSALS, **problems(422)},
)
def create_webhook(
    body: WebhookCreate, response: Response, caller: Caller = Depends(admin_writer)
) -> WebhookWithSecret:
    with session_scope() as db:
        issued = svc.create_endpoint(
            db,
            **actor(caller),
            url=body.url,
            events=list(body.events),
            description=body.description,
            now=utcnow(),
        )
    response.headers["Location"] = f"/api/v1{router.prefix}/{issued.view.id}"
    return _with_secret(issued, response)


@router.get(
    "",
    response_model=WebhookList,
    tags=TAGS,
    summary="Webhook endpoints",
    description=f"Every endpoint, newest first, without secrets. {READ}",
    responses=ADMIN_REFUSALS,
)
def list_webhooks(caller: Caller = Depends(admin_reader)) -> WebhookList:
    with session_scope() as db:
        return WebhookList(items=[WebhookOut.of(view) for view in svc.list_endpoints(db)])


@router.get(
    "/{endpoint_id}",
    response_model=WebhookOut,
    tags=TAGS,
    summary="A webhook endpoint",
    description=f"Without its secret. {READ}",
    responses={**ADMIN_REFUSALS, **problems(404, 422)},
)
def get_webhook(endpoint_id: Id, caller: Caller = Depends(admin_reader)) -> WebhookOut:
    with session_scope() as db:
        return WebhookOut.of(svc.get_endpoint(db, endpoint_id))


@router.patch(
    "/{endpoint_id}",
    response_model=WebhookOut,
    tags=TAGS,
    summary="Change a webhook endpoint",
    description=(
        "Change the address, the events, the description or turn it off or on (fields "
        "left out stay). Turned off, nothing is sent and queued deliveries are skipped. "
        f"{WRITE}"
    ),
    responses=CHANGE,
)
def update_webhook(
    endpoint_id: Id, body: WebhookUpdate, caller: Caller = Depends(admin_writer)
) -> WebhookOut:
    with session_scope() as db:
        view = svc.update_endpoint(
            db,
            **actor(caller),
            endpoint_id=endpoint_id,
            url=body.url,
            events=list(body.events) if body.events is not None else None,
            description=body.description,
            is_active=body.is_active,
            now=utcnow(),
        )
    return WebhookOut.of(view)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response_model=WebhookWithSecret,
    tags=TAGS,
    summary="Rotate a webhook endpoint's secret",
    description=(
        "A new signing secret; the old one stops at once (queued retries are signed with "
        f"the new one). {SECRET} {WRITE}"
    ),
    responses=CHANGE,
)
def rotate_webhook_secret(
    endpoint_id: Id, response: Response, caller: Caller = Depends(admin_writer)
) -> WebhookWithSecret:
    with session_scope() as db:
        issued = svc.rotate_secret(db, **actor(caller), endpoint_id=endpoint_id, now=utcnow())
    return _with_secret(issued, response)


@router.delete(
    "/{endpoint_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=TAGS,
    summary="Turn a webhook endpoint off",
    description=(
        "The endpoint gets nothing more and its queued deliveries are skipped; it stays "
        f"listed (off) with its delivery history. {WRITE}"
    ),
    responses=CHANGE,
)
def delete_webhook(endpoint_id: Id, caller: Caller = Depends(admin_writer)) -> Response:
    with session_scope() as db:
        svc.update_endpoint(
            db, **actor(caller), endpoint_id=endpoint_id, is_active=False, now=utcnow()
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{endpoint_id}/deliveries",
    response_model=DeliveryAttemptList,
    tags=TAGS,
    summary="A webhook endpoint's delivery attempts",
    description=f"Every attempt, newest first: the answer, error and time taken. {READ}",
    responses={**ADMIN_REFUSALS, **problems(404, 422)},
)
def list_deliveries(
    endpoint_id: Id,
    page: PageNumber = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    caller: Caller = Depends(admin_reader),
) -> DeliveryAttemptList:
    with session_scope() as db:
        svc.get_endpoint(db, endpoint_id)  # 404 for no such endpoint
        found = list_attempts(db, endpoint_id=endpoint_id, page=page, page_size=page_size)
    return DeliveryAttemptList(
        items=[DeliveryAttemptOut.of(row) for row in found.items], paging=PageInfo.of(found.paging)
    )


__all__ = ["router"]
