"""Appointment bookkeeping shared by booking and payments: audit entries, hold expiry,
refunds and the sweep of payment attempts stuck in ``Processing``.

``Processing`` is not a ``PaymentStatus`` member (models.py stays as it is): it only lives
for the length of a gateway call, and the payment status column is a plain string. While
a booking's payment is processing its hold is never expired, so the slot cannot be given
away under a payment that is about to succeed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Conflict
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Payment,
    PaymentStatus,
)

PROCESSING = "Processing"  # transient payment status while the gateway is being called
STUCK_AFTER = timedelta(minutes=5)
_PENDING = AppointmentStatus.PENDING_PAYMENT.value


def audit_event(
    session: Session,
    *,
    action: str,
    appointment_id: str | None,
    actor_id: int | None,
    actor_role: str | None,
    now: datetime,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    entity: str | None = "appointment",
    entity_id: str | None = None,
) -> AuditEvent:
    """Add (not commit) one audit trail entry."""
    event = AuditEvent(
        at=now,
        actor_user_id=actor_id,
        actor_role=actor_role,
        action=action,
        appointment_id=appointment_id,
        entity=entity,
        entity_id=entity_id if entity_id is not None else appointment_id,
        reason=reason,
        detail=dict(detail or {}),
    )
    session.add(event)
    return event


def entity_audit(
    session: Session,
    *,
    entity: str,
    entity_id: int | str,
    action: str,
    actor_id: int | None,
    actor_role: str | None,
    now: datetime,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add (not commit) an audit entry about a non-appointment entity (doctor, patient, city...)."""
    return audit_event(
        session,
        action=action,
        appointment_id=None,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=reason or None,
        entity=entity,
        entity_id=str(entity_id),
        detail=detail,
    )


def update_appointment(*where: Any) -> Any:
    return update(Appointment).where(*where).execution_options(synchronize_session=False)


def hold_expired_message(appointment: Appointment) -> str:
    minutes = get_settings().hold_minutes
    if appointment.hold_expires_at and appointment.booked_at:
        held = appointment.hold_expires_at - appointment.booked_at
        minutes = max(1, round(held.total_seconds() / 60))
    return f"Your {minutes}-minute hold on this slot has expired. Please book again."


def _hold_expired(appointment: Appointment, now: datetime) -> bool:
    return (
        appointment.status == _PENDING
        and appointment.payment_status != PROCESSING
        and appointment.hold_expires_at is not None
        and appointment.hold_expires_at <= now
    )


def expire_if_stale(session: Session, appointment: Appointment, *, now: datetime) -> bool:
    """Mark this booking expired (and commit) when its hold has run out."""
    if not _hold_expired(appointment, now):
        return False
    session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _PENDING,
            col(Appointment.payment_status) != PROCESSING,
            col(Appointment.hold_expires_at) <= now,
        ).values(status=AppointmentStatus.EXPIRED.value)
    )
    session.commit()
    session.refresh(appointment)
    return True


def refund(
    session: Session,
    *,
    appointment: Appointment,
    actor_id: int | None,
    actor_role: str | None,
    reason: str | None,
    now: datetime,
) -> Payment:
    """Refund a successful payment in the caller's transaction (the caller commits).

    Adds a ``Refunded`` payment row for the fee on the instrument that paid; the unique
    idempotency key ``<appointment id>:refund`` makes a second refund impossible.
    """
    if appointment.payment_status != PaymentStatus.SUCCESS:
        raise Conflict("Only a successful payment can be refunded.")
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.payment_status) == PaymentStatus.SUCCESS.value,
        ).values(payment_status=PaymentStatus.REFUNDED.value, refunded_at=now)
    )
    if result.rowcount != 1:
        raise Conflict("This payment has already been refunded.")
    paid = session.exec(
        select(Payment)
        .where(
            Payment.appointment_id == appointment.id,
            Payment.status == PaymentStatus.SUCCESS.value,
        )
        .order_by(col(Payment.id).desc())
    ).first()
    row = Payment(
        appointment_id=appointment.id,
        method=(paid.method if paid else appointment.payment_method) or "",
        amount_paise=paid.amount_paise if paid else appointment.fee_paise,
        status=PaymentStatus.REFUNDED.value,
        idempotency_key=f"{appointment.id}:refund",
        card_brand=paid.card_brand if paid else None,
        card_last4=paid.card_last4 if paid else None,
        upi_vpa=paid.upi_vpa if paid else None,
        bank=paid.bank if paid else None,
        wallet=paid.wallet if paid else None,
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit_event(
        session,
        action="refunded",
        appointment_id=appointment.id,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=reason,
        entity="payment",
        entity_id=str(row.id),
        detail={"amount": row.amount_paise, "transaction_id": appointment.transaction_id},
    )
    return row


def reset_stuck_payments(session: Session, *, now: datetime) -> int:
    """Attempts left ``Processing`` for over five minutes become ``Failed`` (no commit)."""
    cutoff = utc(now) - STUCK_AFTER
    stuck = select(Payment.appointment_id).where(
        Payment.status == PROCESSING, col(Payment.created_at) <= cutoff
    )
    result = session.exec(
        update_appointment(
            col(Appointment.payment_status) == PROCESSING,
            col(Appointment.id).in_(stuck),
        ).values(payment_status=PaymentStatus.FAILED.value)
    )
    session.exec(
        update(Payment)
        .where(col(Payment.status) == PROCESSING, col(Payment.created_at) <= cutoff)
        .values(
            status=PaymentStatus.FAILED.value,
            failure_reason="The payment did not complete in time.",
        )
    )
    return int(result.rowcount)


__all__ = [
    "PROCESSING",
    "STUCK_AFTER",
    "audit_event",
    "expire_if_stale",
    "hold_expired_message",
    "refund",
    "reset_stuck_payments",
    "update_appointment",
]
