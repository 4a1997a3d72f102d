"""What an admin can do to one appointment: cancel, mark no-show, refund, mark paid.

Each action checks that the actor is an active admin, refuses what makes no sense for the
appointment's state with the message of ``admin_rules.allowed_actions``, changes the row
with a compare-and-set UPDATE (a concurrent change makes it a ``Conflict``, never a lost
update) and writes an audit entry with it, committed together: who, when, what and why.
The dashboard's live refresh watches ``max(audit_events.id)``, so no action may skip it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import format_rupees, utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.admin.rules import AllowedActions, allowed_actions
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.payments.checkout import new_transaction_id
from healthcareplus.domain.payments.ledger import audit_event, refund, update_appointment

REASON_MIN = 3
REASON_MAX = 500
ADMIN_CANCELLED = "admin_cancelled"
NO_SHOW = "no_show"
REFUNDED = "refunded"
MARKED_PAID = "marked_paid"
NOT_ADMIN = "Only an active admin can do this."
CHANGED = "This appointment was just changed. Please reload and try again."
CANCEL_INSTEAD = (
    "This visit is still ahead. Cancel the appointment instead: cancelling refunds the payment."
)
_UUID = re.compile(r"[0-9a-fA-F-]{1,36}")
_CONFIRMED = AppointmentStatus.CONFIRMED.value


@dataclass(frozen=True)
class ActionResult:
    appointment_id: str
    action: str  # the audit action written
    status: str
    payment_status: str
    transaction_id: str
    message: str  # what to tell the admin


def require_admin(session: Session, admin_id: object) -> User:
    """The acting user, who must be an active, unblocked admin (checked in the DB)."""
    user = session.get(User, admin_id) if type(admin_id) is int else None
    if user is None or user.role != Role.ADMIN or not user.is_active or user.is_blocked:
        raise Forbidden(NOT_ADMIN)
    return user


def admin_reason(reason: object, *, what: str) -> str:
    """A required reason of 3..500 characters, whitespace collapsed."""
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not text:
        raise ValidationFailed({"reason": f"Please give a reason for the {what}."})
    if len(text) < REASON_MIN:
        raise ValidationFailed({"reason": "Describe the reason in at least 3 characters."})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 500 characters."})
    return text


def _load(session: Session, appointment_id: object) -> Appointment:
    if not isinstance(appointment_id, str) or not _UUID.fullmatch(appointment_id):
        raise NotFound("Appointment not found.")
    appointment = session.get(Appointment, appointment_id.lower(), populate_existing=True)
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


def rules_for(appointment: Appointment, now: datetime) -> AllowedActions:
    return allowed_actions(
        status=appointment.status,
        payment_status=appointment.payment_status,
        payment_method=appointment.payment_method,
        start_at=appointment.start_at,
        hold_expires_at=appointment.hold_expires_at,
        now=now,
    )


def _result(appointment: Appointment, action: str, message: str) -> ActionResult:
    return ActionResult(
        appointment_id=appointment.id,
        action=action,
        status=appointment.status,
        payment_status=appointment.payment_status,
        transaction_id=appointment.transaction_id or "",
        message=message,
    )


def cancel_appointment(
    session: Session, *, appointment_id: str, admin_id: int, reason: str, now: datetime
) -> ActionResult:
    """Cancel a pending or confirmed appointment (past ones too); a paid one is refunded.

    ``booking.cancel`` does the work and records the cancellation in the audit trail as
    ``cancelled`` with this admin as the actor; that entry is then relabelled
    ``admin_cancelled`` so the trail holds one entry per admin action (plus ``refunded``
    when money went back).
    """
    now = utc(now)
    require_admin(session, admin_id)
    text = admin_reason(reason, what="cancellation")
    appointment = _load(session, appointment_id)
    rules = rules_for(appointment, now)
    if not rules.can_cancel:
        raise Conflict(rules.cancel_refusal)
    was_paid = appointment.payment_status == PaymentStatus.SUCCESS
    cancelled = booking.cancel(
        session,
        appointment_id=appointment.id,
        actor_id=admin_id,
        actor_role=Role.ADMIN,
        reason=text,
        now=now,
    )
    entry = session.exec(
        select(AuditEvent.id)
        .where(
            AuditEvent.appointment_id == cancelled.id,
            AuditEvent.action == "cancelled",
            AuditEvent.actor_user_id == admin_id,
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    if entry is not None:
        session.exec(
            update(AuditEvent).where(col(AuditEvent.id) == entry).values(action=ADMIN_CANCELLED)
        )
        session.commit()
    message = "Appointment cancelled."
    if was_paid:
        message += f" {format_rupees(cancelled.fee_paise)} refunded to the patient."
    return _result(cancelled, ADMIN_CANCELLED, message)


def mark_no_show(
    session: Session, *, appointment_id: str, admin_id: int, now: datetime
) -> ActionResult:
    """A confirmed appointment whose start time has passed becomes ``no_show``."""
    now = utc(now)
    require_admin(session, admin_id)
    appointment = _load(session, appointment_id)
    rules = rules_for(appointment, now)
    if not rules.can_no_show:
        raise Conflict(rules.no_show_refusal)
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _CONFIRMED,
            col(Appointment.start_at) <= now,
        ).values(status=AppointmentStatus.NO_SHOW.value, no_show_at=now)
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(CHANGED)
    audit_event(
        session,
        action=NO_SHOW,
        appointment_id=appointment.id,
        actor_id=admin_id,
        actor_role=Role.ADMIN,
        now=now,
        detail={"start_at": appointment.start_at.isoformat()},
    )
    session.commit()
    session.refresh(appointment)
    return _result(appointment, NO_SHOW, "Marked as a no-show.")


def process_refund(
    session: Session, *, appointment_id: str, admin_id: int, reason: str, now: datetime
) -> ActionResult:
    """Refund a successful payment without touching the appointment's status.

    A confirmed visit still ahead is refused: the admin should cancel it (which refunds),
    so a patient never holds a slot they no longer paid for.
    """
    now = utc(now)
    require_admin(session, admin_id)
    text = admin_reason(reason, what="refund")
    appointment = _load(session, appointment_id)
    rules = rules_for(appointment, now)
    if not rules.can_refund:
        raise Conflict(rules.refund_refusal)
    if appointment.status == _CONFIRMED and appointment.start_at > now:
        raise Conflict(CANCEL_INSTEAD)
    try:
        refund(
            session,
            appointment=appointment,
            actor_id=admin_id,
            actor_role=Role.ADMIN,
            reason=text,
            now=now,
        )
        session.commit()
    except (Conflict, IntegrityError):  # refunded meanwhile by someone else
        session.rollback()
        raise Conflict("This payment has already been refunded.") from None
    session.refresh(appointment)
    amount = format_rupees(appointment.fee_paise)
    return _result(appointment, REFUNDED, f"Refunded {amount} to the patient.")


def mark_paid(
    session: Session, *, appointment_id: str, admin_id: int, now: datetime
) -> ActionResult:
    """A Pay-at-Clinic booking's fee was received: payment ``Success`` with a transaction id.

    The ledger is append-only: the ``Pending`` row written when the patient chose Pay at
    Clinic stays, and a ``Success`` row for the fee is added.
    """
    now = utc(now)
    require_admin(session, admin_id)
    appointment = _load(session, appointment_id)
    rules = rules_for(appointment, now)
    if not rules.can_mark_paid:
        raise Conflict(rules.mark_paid_refusal)
    for _ in range(5):
        txn = new_transaction_id(now)
        try:
            _settle_at_clinic(session, appointment, admin_id=admin_id, txn=txn, now=now)
        except IntegrityError:  # a transaction id drawn twice (or a double submit)
            session.rollback()
            session.refresh(appointment)
            if appointment.payment_status != PaymentStatus.PENDING:
                raise Conflict(CHANGED) from None
            continue
        session.refresh(appointment)
        return _result(appointment, MARKED_PAID, f"Marked paid ({txn}).")
    raise RuntimeError("could not record the payment")  # pragma: no cover


def _settle_at_clinic(
    session: Session, appointment: Appointment, *, admin_id: int, txn: str, now: datetime
) -> None:
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.payment_method) == PaymentMethod.PAY_AT_CLINIC.value,
            col(Appointment.payment_status) == PaymentStatus.PENDING.value,
            col(Appointment.status).in_([_CONFIRMED, AppointmentStatus.COMPLETED.value]),
        ).values(payment_status=PaymentStatus.SUCCESS.value, paid_at=now, transaction_id=txn)
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(CHANGED)
    row = Payment(
        appointment_id=appointment.id,
        method=PaymentMethod.PAY_AT_CLINIC.value,
        amount_paise=appointment.fee_paise,
        status=PaymentStatus.SUCCESS.value,
        transaction_id=txn,
        idempotency_key=f"{appointment.id}:clinic",
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit_event(
        session,
        action=MARKED_PAID,
        appointment_id=appointment.id,
        actor_id=admin_id,
        actor_role=Role.ADMIN,
        now=now,
        entity="payment",
        entity_id=str(row.id),
        detail={"transaction_id": txn, "amount": appointment.fee_paise},
    )
    session.commit()


__all__ = [
    "ADMIN_CANCELLED",
    "MARKED_PAID",
    "NO_SHOW",
    "REFUNDED",
    "ActionResult",
    "admin_reason",
    "cancel_appointment",
    "mark_no_show",
    "mark_paid",
    "process_refund",
    "require_admin",
    "rules_for",
]
