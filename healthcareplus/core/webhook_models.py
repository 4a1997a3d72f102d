"""The webhooks' tables (re-exported by ``models``): the endpoints admins register and
every attempt to deliver to them. The deliveries themselves are outbox rows
(``notifications``, channel "webhook"), so they commit with the change they tell of."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from healthcareplus.core.dbtypes import instant_column as _instant
from healthcareplus.core.dbtypes import utcnow


class WebhookEndpoint(SQLModel, table=True):
    """An HTTPS address told of the ``events`` it subscribed to. The signing secret is
    not stored: ``secret_seed`` is a random value from which the secret is derived with
    ``HCP_SECRET_KEY`` (``webhook_signing.secret_for``), so the database alone cannot sign;
    the secret is shown to the admin once (at creation and at rotation). A disabled
    endpoint (``is_active`` false, ``disabled_at`` set) gets nothing new and its queued
    deliveries are skipped."""

    __tablename__ = "webhook_endpoints"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=500)
    description: str = Field(default="", max_length=200)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    secret_seed: str = Field(max_length=64)
    is_active: bool = Field(default=True)
    created_by_user_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_instant(nullable=False))
    disabled_at: datetime | None = Field(default=None, sa_column=_instant())


class WebhookAttempt(SQLModel, table=True):
    """One try at delivering one outbox row to one endpoint: the receiver's status code
    (none when it never answered), the error, and how long it took."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        Index("ix_webhook_attempts_notification", "notification_id"),
        Index("ix_webhook_attempts_endpoint_at", "endpoint_id", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notifications.id")
    endpoint_id: int = Field(foreign_key="webhook_endpoints.id")
    attempted_at: datetime = Field(sa_column=_instant(nullable=False))
    status_code: int | None = Field(default=None)
    error: str = Field(default="", max_length=500)
    duration_ms: int = Field(default=0)


__all__ = ["WebhookAttempt", "WebhookEndpoint"]
