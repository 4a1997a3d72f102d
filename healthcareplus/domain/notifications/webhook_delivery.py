"""Sending webhook deliveries (the outbox's "webhook" rows), and what admins see of them.

``WebhookSender`` POSTs the row's JSON body to its endpoint, signed
(``webhook_signing``), within ``TIMEOUT_SECONDS``, following no redirect. A 2xx answer
delivers it; any other answer or a network error raises, so ``delivery`` backs off and,
after the last attempt, fails the row. Every attempt is written to ``webhook_attempts``
in its own unit of work, whatever came of it. A row whose endpoint has been turned off
or removed is skipped, never sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, select

from healthcareplus.core.db import session_scope
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import Notification, WebhookAttempt, WebhookEndpoint
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.domain.notifications.webhook_outbox import WEBHOOK
from healthcareplus.domain.notifications.webhook_signing import (
    SIGNATURE_HEADER,
    secret_for,
    signature_header,
)

TIMEOUT_SECONDS = 10.0
USER_AGENT = "HealthCarePlus-Webhooks/1"
ERROR_MAX = 500


class SkipMessage(Exception):
    """The message must not be sent (its endpoint was turned off or removed)."""


class WebhookFailed(Exception):
    """The receiver did not accept the delivery."""


def _delivery_id(body: str) -> str:
    try:
        found = json.loads(body).get("id")
    except (ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""


class WebhookSender:
    """The "webhook" channel. ``clock`` gives the instant attempts are stamped with;
    ``url`` is the database's (the app's by default)."""

    channel = WEBHOOK

    def __init__(
        self,
        *,
        url: str | None = None,
        timeout: float = TIMEOUT_SECONDS,
        clock: Callable[[], datetime] = utcnow,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self.client = httpx.Client(
            timeout=timeout, follow_redirects=False, transport=transport, trust_env=False
        )

    def _endpoint(self, message: Notification) -> tuple[int, str, str]:
        endpoint_id = int(message.to_address) if message.to_address.isdigit() else 0
        with session_scope(self.url) as session:
            endpoint = session.get(WebhookEndpoint, endpoint_id)
            if endpoint is None or not endpoint.is_active:
                raise SkipMessage(f"endpoint {message.to_address} is off or removed")
            return endpoint_id, endpoint.url, secret_for(endpoint.secret_seed)

    def send(self, message: Notification) -> None:
        endpoint_id, target, secret = self._endpoint(message)
        at = self.clock()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "HCP-Event": message.event,
            "HCP-Delivery": _delivery_id(message.body),
            SIGNATURE_HEADER: signature_header(secret, message.body, timestamp=int(time.time())),
        }
        started = time.monotonic()
        status: int | None = None
        error = ""
        try:
            response = self.client.post(target, content=message.body.encode(), headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except Exception as exc:  # network, TLS, a malformed answer: recorded, retried
            error = f"{type(exc).__name__}: {exc}".rstrip(": ")
        duration = int((time.monotonic() - started) * 1000)
        with session_scope(self.url) as session:
            session.add(
                WebhookAttempt(
                    notification_id=message.id or 0,
                    endpoint_id=endpoint_id,
                    attempted_at=at,
                    status_code=status,
                    error=error[:ERROR_MAX],
                    duration_ms=duration,
                )
            )
        if error:
            raise WebhookFailed(error)


@dataclass(frozen=True)
class AttemptRow:
    id: int
    attempted_at: datetime
    event: str
    delivery_id: str
    notification_id: int
    status_code: int | None
    error: str
    duration_ms: int
    message_status: str  # the delivery's overall status: queued, sent, failed, skipped
    message_attempts: int


def list_attempts(
    session: Session, *, endpoint_id: int, page: object = 1, page_size: int = PAGE_SIZE
) -> Page[AttemptRow]:
    """One page of the endpoint's attempts, newest first."""
    where = col(WebhookAttempt.endpoint_id) == endpoint_id
    query = (
        select(WebhookAttempt, Notification)
        .join(Notification, col(Notification.id) == WebhookAttempt.notification_id)
        .where(where)
        .order_by(col(WebhookAttempt.attempted_at).desc(), col(WebhookAttempt.id).desc())
    )
    count = select(func.count()).select_from(WebhookAttempt).where(where)
    rows, paging = fetch_page(session, query, count=count, page=page, page_size=page_size)
    items = tuple(
        AttemptRow(
            id=attempt.id or 0,
            attempted_at=attempt.attempted_at,
            event=message.event,
            delivery_id=_delivery_id(message.body),
            notification_id=message.id or 0,
            status_code=attempt.status_code,
            error=attempt.error,
            duration_ms=attempt.duration_ms,
            message_status=message.status,
            message_attempts=message.attempts,
        )
        for attempt, message in rows
    )
    return Page(items, paging)


__all__ = [
    "TIMEOUT_SECONDS",
    "USER_AGENT",
    "AttemptRow",
    "SkipMessage",
    "WebhookFailed",
    "WebhookSender",
    "list_attempts",
]
