"""Webhook endpoints, for admins: register an HTTPS address for some events, change it,
turn it off and on, rotate its signing secret; every change audited.

The signing secret is made here and returned once (at creation and on rotation); the
table keeps only the seed it is derived from (``webhook_signing``). Addresses must be
``https://`` without credentials; in development and test ``http://`` to this machine is
allowed too (local receivers). In production an address naming a private, loopback,
link-local or otherwise internal IP address is refused, so the worker cannot be pointed
at the clinic's own network by an address (names are resolved when sending).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from healthcareplus.core import validation as v
from healthcareplus.core.audit import audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import require_row
from healthcareplus.core.models import User, WebhookEndpoint
from healthcareplus.domain.accounts.actors import acting_admin
from healthcareplus.domain.notifications.webhook_signing import new_seed, secret_for

EVENTS = (
    "appointment.confirmed",
    "appointment.rescheduled",
    "appointment.cancelled",
    "appointment.completed",
    "appointment.no_show",
    "payment.refunded",
)
URL_MAX, DESCRIPTION_MAX = 500, 200
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
NOT_FOUND = "That webhook endpoint was not found."


@dataclass(frozen=True)
class EndpointView:
    id: int
    url: str
    description: str
    events: tuple[str, ...]
    is_active: bool
    created_by: str
    created_at: datetime
    disabled_at: datetime | None


@dataclass(frozen=True)
class IssuedSecret:
    """An endpoint and its signing secret, shown this once."""

    secret: str
    view: EndpointView


def _internal_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost" or host.endswith((".localhost", ".local", ".internal"))
    return not address.is_global or address.is_multicast


def clean_url(value: object, *, env: str | None = None) -> str:
    """``value`` as an endpoint address, or ``FieldError`` saying why not."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise v.FieldError("Enter the endpoint's address")
    if len(text) > URL_MAX:
        raise v.FieldError(f"The address must be at most {URL_MAX} characters")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise v.FieldError("The address may not contain spaces or control characters")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise v.FieldError("Enter a valid address") from None
    env = env or get_settings().env
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise v.FieldError("The address may not carry a user name or password")
    if not host:
        raise v.FieldError("Enter a valid address")
    if parts.fragment:
        raise v.FieldError("The address may not have a #fragment")
    local_http = parts.scheme == "http" and host in LOCAL_HOSTS and env != "production"
    if parts.scheme != "https" and not local_http:
        raise v.FieldError("The address must start with https://")
    if env == "production" and _internal_address(host):
        raise v.FieldError("The address must be a public internet address")
    return text


def clean_events(value: object) -> list[str]:
    chosen = set(value) if isinstance(value, list | tuple) else set()
    if not chosen:
        raise v.FieldError("Choose at least one event")
    if any(not isinstance(e, str) or e not in EVENTS for e in chosen):
        raise v.FieldError(f"Events are among: {', '.join(EVENTS)}")
    return [e for e in EVENTS if e in chosen]


def _clean_description(value: object) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return v.clean_text(text, max_length=DESCRIPTION_MAX, label="The description")


def view_of(session: Session, row: WebhookEndpoint) -> EndpointView:
    creator = session.get(User, row.created_by_user_id)
    return EndpointView(
        id=row.id or 0,
        url=row.url,
        description=row.description,
        events=tuple(row.events),
        is_active=row.is_active,
        created_by=creator.name if creator else "",
        created_at=row.created_at,
        disabled_at=row.disabled_at,
    )


def list_endpoints(session: Session) -> list[EndpointView]:
    """Every endpoint, newest first."""
    rows = session.exec(select(WebhookEndpoint).order_by(col(WebhookEndpoint.id).desc())).all()
    return [view_of(session, row) for row in rows]


def get_endpoint(session: Session, endpoint_id: object) -> EndpointView:
    return view_of(session, require_row(session, WebhookEndpoint, endpoint_id, NOT_FOUND))


def create_endpoint(
    session: Session,
    *,
    actor_id: int,
    actor_role: str,
    url: str,
    events: list[str],
    description: str = "",
    now: datetime,
) -> IssuedSecret:
    """Register an endpoint; ``ValidationFailed`` names every refused field. The secret
    is in the answer only."""
    by = acting_admin(session, actor_id, actor_role, now)
    cleaned = v.collect(
        {
            "url": lambda: clean_url(url),
            "events": lambda: clean_events(events),
            "description": lambda: _clean_description(description),
        }
    )
    row = WebhookEndpoint(
        url=cleaned["url"],
        description=cleaned["description"],
        events=cleaned["events"],
        secret_seed=new_seed(),
        created_by_user_id=actor_id,
        created_at=by.now,
    )
    session.add(row)
    session.flush()
    detail = {"url": row.url, "events": ", ".join(row.events)}
    audit(session, by, "webhook_created", entity="webhook", entity_id=row.id, detail=detail)
    session.flush()
    return IssuedSecret(secret=secret_for(row.secret_seed), view=view_of(session, row))


def update_endpoint(
    session: Session,
    *,
    actor_id: int,
    actor_role: str,
    endpoint_id: int,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    now: datetime,
) -> EndpointView:
    """Change what is given (``None``: unchanged); turning an endpoint off skips its
    queued deliveries and queues nothing new until it is turned on. Audited with the
    fields changed."""
    by = acting_admin(session, actor_id, actor_role, now)
    row = require_row(session, WebhookEndpoint, endpoint_id, NOT_FOUND)
    checks: dict[str, Callable[[], object]] = {}
    if url is not None:
        checks["url"] = lambda: clean_url(url)
    if events is not None:
        checks["events"] = lambda: clean_events(events)
    if description is not None:
        checks["description"] = lambda: _clean_description(description)
    cleaned = v.collect(checks)
    if is_active is not None and not isinstance(is_active, bool):
        raise v.ValidationFailed({"is_active": "Choose on or off"})
    changed: dict[str, str] = {}
    for field, value in cleaned.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed[field] = ", ".join(value) if isinstance(value, list) else value
    if is_active is not None and is_active != row.is_active:
        row.is_active = is_active
        row.disabled_at = None if is_active else by.now
        changed["is_active"] = "on" if is_active else "off"
    if changed:
        session.add(row)
        audit(session, by, "webhook_updated", entity="webhook", entity_id=row.id, detail=changed)
        session.flush()
    return view_of(session, row)


def rotate_secret(
    session: Session, *, actor_id: int, actor_role: str, endpoint_id: int, now: datetime
) -> IssuedSecret:
    """A new signing secret (the old one stops at once, queued deliveries included);
    returned this once. Audited."""
    by = acting_admin(session, actor_id, actor_role, now)
    row = require_row(session, WebhookEndpoint, endpoint_id, NOT_FOUND)
    row.secret_seed = new_seed()
    session.add(row)
    audit(session, by, "webhook_secret_rotated", entity="webhook", entity_id=row.id)
    session.flush()
    return IssuedSecret(secret=secret_for(row.secret_seed), view=view_of(session, row))


__all__ = [
    "EVENTS",
    "EndpointView",
    "IssuedSecret",
    "clean_events",
    "clean_url",
    "create_endpoint",
    "get_endpoint",
    "list_endpoints",
    "rotate_secret",
    "update_endpoint",
]
