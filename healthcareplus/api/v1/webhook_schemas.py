"""The webhook endpoints' request and answer bodies (``routes_admin_webhooks``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from healthcareplus.api.v1.roles import PageInfo
from healthcareplus.domain.notifications.webhook_delivery import AttemptRow
from healthcareplus.domain.notifications.webhooks import EVENTS, EndpointView

EVENTS_HELP = f"Events to send: {', '.join(EVENTS)}"


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://billing.example.in/hcp/webhooks",
                    "events": ["appointment.confirmed", "payment.refunded"],
                    "description": "Billing system",
                }
            ]
        },
    )

    url: str = Field(max_length=2000, description="https:// address (no credentials in it)")
    events: list[str] = Field(max_length=20, description=EVENTS_HELP)
    description: str = Field(default="", max_length=2000)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    events: list[str] | None = Field(default=None, max_length=20, description=EVENTS_HELP)
    description: str | None = Field(default=None, max_length=2000)
    is_active: bool | None = Field(
        default=None, description="Off: nothing is sent; queued deliveries are skipped"
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    description: str
    events: list[str]
    is_active: bool
    created_by: str = Field(description="The admin who registered it")
    created_at: datetime
    disabled_at: datetime | None

    @classmethod
    def of(cls, view: EndpointView) -> WebhookOut:
        return cls(
            id=view.id,
            url=view.url,
            description=view.description,
            events=list(view.events),
            is_active=view.is_active,
            created_by=view.created_by,
            created_at=view.created_at,
            disabled_at=view.disabled_at,
        )


class WebhookWithSecret(WebhookOut):
    secret: str = Field(
        description="The signing secret (whsec_…), in this answer only: keep it safe"
    )


class WebhookList(BaseModel):
    items: list[WebhookOut]


class DeliveryAttemptOut(BaseModel):
    id: int
    attempted_at: datetime
    event: str
    delivery_id: str = Field(description="The HCP-Delivery header: the same on every retry")
    status_code: int | None = Field(description="The receiver's answer; none if unreachable")
    error: str
    duration_ms: int
    message_status: str = Field(description="The delivery's status: queued, sent, failed…")
    message_attempts: int

    @classmethod
    def of(cls, row: AttemptRow) -> DeliveryAttemptOut:
        return cls(
            id=row.id,
            attempted_at=row.attempted_at,
            event=row.event,
            delivery_id=row.delivery_id,
            status_code=row.status_code,
            error=row.error,
            duration_ms=row.duration_ms,
            message_status=row.message_status,
            message_attempts=row.message_attempts,
        )


class DeliveryAttemptList(BaseModel):
    items: list[DeliveryAttemptOut]
    paging: PageInfo


__all__ = [
    "DeliveryAttemptList",
    "DeliveryAttemptOut",
    "WebhookCreate",
    "WebhookList",
    "WebhookOut",
    "WebhookUpdate",
    "WebhookWithSecret",
]
