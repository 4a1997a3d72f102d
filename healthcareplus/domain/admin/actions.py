"""What an admin can do to one appointment: cancel, mark no-show, refund, mark paid.

Each action checks that the actor is an active admin and goes through the lifecycle (its
transitions' refusals are the messages of ``rules.rules_for``): a compare-and-set
UPDATE (a concurrent change makes it a ``Conflict``, never a lost update) and an audit
entry, committed together by the caller's unit of work: who, when, what and why.
The dashboard's live refresh watches ``max(audit_events.id)``, so no action may skip it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import format_rupees, utc
from healthcareplus.core.models import (
    Appointment,
    Role,
    User,
)
from healthcareplus.core.validation import reason_text
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.admin.rules import rules_for
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking.views import fresh_appointment
from healthcareplus.domain.payments.clinic_payment import MARKED_PAID, receive_clinic_payment
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.refunds import (
    admin_refund_refusal,
    refund,
    refund_due,
    tell_if_settled,
)

ADMIN_CANCELLED = "admin_cancelled"
NO_SHOW = "no_show"
REFUNDED = "refunded"
NOT_ADMIN = "Only an active admin can do this."
CANCEL_INSTEAD = (
    "This visit is still ahead. Cancel the appointment instead: cancelling refunds the payment."
)


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
    return acting_user(session, admin_id, Role.ADMIN, refusal=NOT_ADMIN)


def admin_reason(reason: object, *, what: str) -> str:
    """A required reason of 3..500 characters, whitespace collapsed."""
    return reason_text(reason, missing=f"Please give a reason for the {what}.")


def _load(session: Session, appointment_id: object) -> Appointment:
    appointment = fresh_appointment(session, appointment_id)
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


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

    The lifecycle's cancel transition, audited as ``admin_cancelled`` (plus ``refunded``
    when money went back).
    """
    now = utc(now)
    require_admin(session, admin_id)
    text = admin_reason(reason, what="cancellation")
    appointment = _load(session, appointment_id)
    was_paid = refund_due(appointment)
    by = Actor(admin_id, Role.ADMIN, now)
    cancelled = booking.cancel_by(session, by, appointment.id, text, action=ADMIN_CANCELLED)
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
    lifecycle.apply(
        session,
        appointment,
        lifecycle.MARK_NO_SHOW,
        Actor(admin_id, Role.ADMIN, now),
        values={"no_show_at": now},
        detail={"start_at": appointment.start_at.isoformat()},
    )
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
    refused = admin_refund_refusal(appointment, now)
    if refused:
        raise Conflict(refused)
    refund_row = refund(session, appointment, Actor(admin_id, Role.ADMIN, now), reason=text)
    tell_if_settled(session, refund_row, now=now)
    session.refresh(appointment)
    amount = format_rupees(appointment.fee_paise)
    return _result(appointment, REFUNDED, f"Refunded {amount} to the patient.")


def mark_paid(
    session: Session, *, appointment_id: str, admin_id: int, now: datetime
) -> ActionResult:
    """A Pay-at-Clinic booking's fee was received: payment ``Success`` with a transaction id.

    The ledger is append-only: the ``Pending`` row written when the patient chose Pay at
    Clinic stays, and a ``Success`` row for the fee is added (``clinic_payment``, shared
    with the doctor who records it at the visit).
    """
    now = utc(now)
    require_admin(session, admin_id)
    appointment = _load(session, appointment_id)
    paid = receive_clinic_payment(session, appointment, Actor(admin_id, Role.ADMIN, now))
    return _result(paid, MARKED_PAID, f"Marked paid ({paid.transaction_id}).")


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
