"""The payment ledger: transaction ids, attempt rows, and settling an attempt.

Every gateway call belongs to one attempt: a payment row whose idempotency key the
appointment names in ``payment_attempt_key`` while it waits. ``settle_attempt`` is the one
place an attempt's answer is recorded, whether it comes back from the call, from a retry or
from reconciliation: it confirms (or fails) the appointment only if the appointment still
waits on that very attempt; a charge that nobody waits on any more is refunded.

Lock order, everywhere: the appointment row first, then its payment rows.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit, audit_event
from healthcareplus.core.db import table_of
from healthcareplus.core.formatting import to_local, utc
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    Hospital,
    Payment,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.payments.methods import PaymentDetails
from healthcareplus.domain.scheduling import lifecycle, tallies
from healthcareplus.domain.scheduling.refunds import instrument_of, refund, save_payment

PROCESSING = lifecycle.PROCESSING
_PAYMENTS = table_of(Payment)
_APPOINTMENTS = table_of(Appointment)
_TXN_ALPHABET = string.ascii_uppercase + string.digits
UNWANTED_CHARGE = (
    "This booking changed while the payment was processing. "
    "The amount charged is being refunded to you."
)


@dataclass(frozen=True)
class PaymentOutcome:
    success: bool
    transaction_id: str
    failure_reason: str
    appointment_id: str
    method: str = ""  # PaymentMethod value of the settled/attempted payment
    pending: bool = False  # the bank has not answered yet; reconciliation will


def new_transaction_id(now: datetime) -> str:
    """ "HCP-20261121-7F3K9Q": the clinic-local date and six random letters/digits."""
    day = to_local(utc(now)).strftime("%Y%m%d")
    return f"HCP-{day}-{''.join(secrets.choice(_TXN_ALPHABET) for _ in range(6))}"


# Whether a transaction id is taken, by a payment or an appointment (both unique).
_TXN_TAKEN: Any = select(
    or_(
        exists().where(_PAYMENTS.c.transaction_id == bindparam("txn")),
        exists().where(_APPOINTMENTS.c.transaction_id == bindparam("txn")),
    )
)


def unused_transaction_id(session: Session, now: datetime) -> str:
    for _ in range(20):
        candidate = new_transaction_id(now)
        if not session.exec(_TXN_TAKEN, params={"txn": candidate}).one():
            return candidate
    raise RuntimeError("could not find an unused transaction id")  # pragma: no cover


def new_attempt_key(appointment_id: str) -> str:
    return f"{appointment_id}:{secrets.token_hex(6)}"


def attempt_row(
    appointment: Appointment, details: PaymentDetails, *, status: str, key: str, now: datetime
) -> Payment:
    return Payment(
        appointment_id=appointment.id,
        method=details.method,
        amount_paise=appointment.fee_paise,
        status=status,
        idempotency_key=key,
        **instrument_of(details),
        created_at=now,
    )


_DOCTOR_USER = aliased(User)
# The attempt with its appointment, fresh; with them the doctor, hospital and users the
# confirmation's messages name, so the outbox finds them in the session (no more reads).
_ATTEMPT: Any = (
    sa_select(Payment, Appointment, Doctor, Hospital, User, _DOCTOR_USER)
    .join(Appointment, col(Appointment.id) == col(Payment.appointment_id))
    .join(Doctor, col(Doctor.id) == col(Appointment.doctor_id))
    .join(Hospital, col(Hospital.id) == col(Appointment.hospital_id))
    .join(User, col(User.id) == col(Appointment.patient_id))
    .outerjoin(_DOCTOR_USER, col(_DOCTOR_USER.id) == col(Doctor.user_id))
    .where(col(Payment.idempotency_key) == bindparam("key"))
    .execution_options(populate_existing=True)
)


def settle_attempt(
    session: Session,
    *,
    key: str,
    succeeded: bool,
    failure_reason: str = "",
    actor_role: str = Role.PATIENT,
    now: datetime,
) -> PaymentOutcome | None:
    """Record the gateway's final answer for attempt ``key`` (once; None if unknown).

    Success confirms the appointment if it still waits on this attempt; otherwise the
    charge is recorded and refunded at once (the patient is told so). Failure marks the
    attempt failed and, if the appointment still waits on it, lets the patient retry.
    """
    now = utc(now)
    # ``found`` holds the doctor, hospital and users in this frame until it returns: the
    # session keeps loaded objects only while something refers to them.
    found = session.exec(_ATTEMPT, params={"key": key}).first()
    if found is None:
        return None
    row, appointment = found.Payment, found.Appointment
    if row.status != PROCESSING:  # settled before (a retried answer): report what stands
        return _outcome_of(appointment, row)
    waiting = appointment.payment_attempt_key == key and appointment.payment_status == PROCESSING
    by = Actor(appointment.patient_id if actor_role == Role.PATIENT else None, actor_role, now)
    if succeeded:
        return _record_charge(session, appointment, row, waiting, by)
    reason = (failure_reason or "The payment was declined.")[:200]
    if waiting:
        failed = session.execute(
            update(Appointment)
            .where(
                col(Appointment.id) == appointment.id,
                col(Appointment.payment_attempt_key) == key,
                col(Appointment.payment_status) == PROCESSING,
            )
            .values(payment_status=PaymentStatus.FAILED.value, payment_method=row.method)
            .returning(*tallies.COUNTED_COLUMNS)
            .execution_options(synchronize_session=False)
        )
        before = {"payment_status": PROCESSING, "payment_method": appointment.payment_method or ""}
        tallies.count_updated(session, failed, **before)
    row.status, row.failure_reason, row.settled_at = PaymentStatus.FAILED.value, reason, now
    detail = {"method": row.method, "amount": row.amount_paise}
    save_payment(session, row, by, "payment_failed", reason=reason, detail=detail)
    session.flush()
    session.refresh(appointment)
    return PaymentOutcome(False, "", reason, appointment.id, row.method)


def _record_charge(
    session: Session, appointment: Appointment, row: Payment, waiting: bool, by: Actor
) -> PaymentOutcome:
    now = by.now
    txn = unused_transaction_id(session, now)
    if waiting:
        lifecycle.apply(
            session,
            appointment,
            lifecycle.CONFIRM_PAID,
            by,
            where=(col(Appointment.payment_attempt_key) == row.idempotency_key,),
            values={
                "payment_status": PaymentStatus.SUCCESS.value,
                "payment_method": row.method,
                "transaction_id": txn,
                "paid_at": now,
                "hold_expires_at": None,
            },
            detail={"transaction_id": txn, "method": row.method, "amount": row.amount_paise},
        )
    _settle_row(
        session, row, status=PaymentStatus.SUCCESS.value, transaction_id=txn, settled_at=now
    )
    if waiting:
        return PaymentOutcome(True, txn, "", appointment.id, row.method)
    _refund_unwanted(session, appointment, row, now)
    return PaymentOutcome(False, "", UNWANTED_CHARGE, appointment.id, row.method)


_SETTLE = (
    update(_PAYMENTS)
    .where(_PAYMENTS.c.id == bindparam("payment_id"))
    .values(
        status=bindparam("new_status"),
        transaction_id=bindparam("txn"),
        settled_at=bindparam("at"),
    )
)


def _settle_row(
    session: Session, row: Payment, *, status: str, transaction_id: str, settled_at: datetime
) -> None:
    """The attempt's answer, written now with one Core UPDATE and mirrored on the loaded
    row (not left for the unit of work)."""
    params = {"payment_id": row.id, "new_status": status, "txn": transaction_id, "at": settled_at}
    session.execute(_SETTLE, params)
    set_committed_value(row, "status", status)
    set_committed_value(row, "transaction_id", transaction_id)
    set_committed_value(row, "settled_at", settled_at)


def _refund_unwanted(
    session: Session, appointment: Appointment, row: Payment, now: datetime
) -> None:
    """A charge that landed on an attempt nobody waits on: give it back (audited)."""
    refund_row = Payment(
        appointment_id=appointment.id,
        method=row.method,
        amount_paise=row.amount_paise,
        status=PaymentStatus.REFUNDED.value,
        idempotency_key=f"{row.idempotency_key}:refund",
        refund_of_key=row.idempotency_key,
        **instrument_of(row),
        created_at=now,
    )
    session.add(refund_row)
    session.flush()
    audit(
        session,
        Actor(None, lifecycle.SYSTEM, now),
        "unwanted_charge_refunded",
        entity="payment",
        entity_id=refund_row.id,
        reason="The charge arrived after its booking had moved on.",
        detail={
            "appointment_id": appointment.id,
            "charge_key": row.idempotency_key,
            "amount": row.amount_paise,
        },
    )


def _outcome_of(appointment: Appointment, row: Payment) -> PaymentOutcome:
    if (
        row.status == PaymentStatus.SUCCESS
        and appointment.payment_attempt_key == row.idempotency_key
    ):
        return PaymentOutcome(True, row.transaction_id or "", "", appointment.id, row.method)
    reason = row.failure_reason or (UNWANTED_CHARGE if row.status == PaymentStatus.SUCCESS else "")
    return PaymentOutcome(False, "", reason, appointment.id, row.method)


__all__ = [
    "PROCESSING",
    "UNWANTED_CHARGE",
    "PaymentOutcome",
    "attempt_row",
    "audit_event",
    "new_attempt_key",
    "new_transaction_id",
    "refund",
    "settle_attempt",
    "unused_transaction_id",
]
