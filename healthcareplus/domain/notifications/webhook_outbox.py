"""Webhook deliveries in the outbox: one queued ``notifications`` row (channel
"webhook") per active endpoint subscribed to the event, written in the caller's
transaction like every other message, so an appointment's change and its webhooks commit
or vanish together; ``webhook_delivery`` sends them.

The row's ``to_address`` is the endpoint's id, its ``body`` the JSON payload and its
owner the admin who registered the endpoint (the column must name a user; the in-app
centre and the bell show only in-app rows, so nobody sees it there). Its ``key`` names
the event's occurrence and the endpoint: the same event is never queued twice to one
endpoint. The payload's ``id`` is derived from the occurrence, the same on every retry
(``HCP-Delivery``), so a receiver drops what it has already handled.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Hospital,
    Notification,
    Payment,
    WebhookEndpoint,
)

WEBHOOK = "webhook"
# Lifecycle actions (``outbox.NEWS``) and the webhook event each is.
LIFECYCLE_EVENTS = {
    "payment_succeeded": "appointment.confirmed",
    "pay_at_clinic": "appointment.confirmed",
    "rescheduled": "appointment.rescheduled",
    "cancelled": "appointment.cancelled",
    "completed": "appointment.completed",
    "no_show": "appointment.no_show",
}
REFUNDED = "payment.refunded"
BODY_MAX = 2000


def event_id(occurrence: str) -> str:
    """The stable id of one event occurrence (``evt_`` + 32 hex)."""
    return "evt_" + hashlib.sha256(occurrence.encode()).hexdigest()[:32]


def _instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def appointment_data(session: Session, appointment: Appointment) -> dict[str, Any]:
    """The appointment's public facts: ids, doctor, hospital, times, status, money.
    Never the patient's name, contact details or the reason for the visit."""
    doctor = session.get(Doctor, appointment.doctor_id)
    hospital = session.get(Hospital, appointment.hospital_id)
    return {
        "id": appointment.id,
        "patient_id": appointment.patient_id,
        "doctor_id": appointment.doctor_id,
        "doctor_name": doctor.name if doctor else None,
        "hospital_id": appointment.hospital_id,
        "hospital_name": hospital.name if hospital else None,
        "start_at": _instant(appointment.start_at),
        "end_at": _instant(appointment.end_at),
        "status": str(appointment.status),
        "payment_status": str(appointment.payment_status),
        "payment_method": appointment.payment_method,
        "fee_paise": appointment.fee_paise,
        "rescheduled_from_id": appointment.rescheduled_from_id,
    }


def subscribers(session: Session, event_type: str) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to ``event_type``, in id order."""
    rows = session.exec(
        select(WebhookEndpoint)
        .where(col(WebhookEndpoint.is_active).is_(True))
        .order_by(col(WebhookEndpoint.id))
    ).all()
    return [row for row in rows if event_type in row.events]


def queue_webhooks(
    session: Session,
    event_type: str,
    occurrence: str,
    data: dict[str, Any],
    *,
    appointment_id: str | None,
    now: datetime,
) -> list[Notification]:
    """Queue ``event_type`` (its ``occurrence`` naming this happening of it) to every
    subscribed endpoint; added to the session, not committed."""
    endpoints = subscribers(session, event_type)
    if not endpoints:
        return []
    payload = {"id": event_id(occurrence), "type": event_type, "created": _instant(now)}
    body = json.dumps({**payload, "data": data}, ensure_ascii=False, separators=(",", ":"))
    if len(body) > BODY_MAX:  # never cut JSON in half: send the ids only
        short = {"appointment": {"id": appointment_id}}
        body = json.dumps({**payload, "data": short}, separators=(",", ":"))
    written = [
        Notification(
            key=f"{WEBHOOK}:{occurrence}:{endpoint.id}"[:200],
            event=event_type,
            user_id=endpoint.created_by_user_id,
            appointment_id=appointment_id,
            channel=WEBHOOK,
            to_address=str(endpoint.id),
            subject=f"{event_type} to endpoint {endpoint.id}",
            body=body,
            status="queued",
            created_at=now,
            due_at=now,
        )
        for endpoint in endpoints
    ]
    session.add_all(written)
    return written


def appointment_webhooks(
    session: Session, action: str, appointment: Appointment, *, occurrence: int, now: datetime
) -> list[Notification]:
    """The webhooks of a lifecycle ``action`` (its ``occurrence``-th on the appointment)."""
    event_type = LIFECYCLE_EVENTS.get(action)
    if event_type is None:
        return []
    return queue_webhooks(
        session,
        event_type,
        f"{action}:{appointment.id}:{occurrence}",
        {"appointment": appointment_data(session, appointment)},
        appointment_id=appointment.id,
        now=now,
    )


def refund_webhooks(
    session: Session, appointment: Appointment, refund: Payment, *, now: datetime
) -> list[Notification]:
    """``payment.refunded`` for a processed refund row (once per row)."""
    data = {
        "appointment": appointment_data(session, appointment),
        "refund": {
            "id": refund.id,
            "amount_paise": refund.amount_paise,
            "method": str(refund.method),
        },
    }
    return queue_webhooks(
        session,
        REFUNDED,
        f"refund:{refund.id}",
        data,
        appointment_id=appointment.id,
        now=now,
    )


__all__ = [
    "LIFECYCLE_EVENTS",
    "REFUNDED",
    "WEBHOOK",
    "appointment_data",
    "appointment_webhooks",
    "event_id",
    "queue_webhooks",
    "refund_webhooks",
    "subscribers",
]
