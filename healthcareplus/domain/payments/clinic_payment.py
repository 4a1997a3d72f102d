"""A Pay-at-Clinic fee received at the clinic ("mark paid"): the one rule and the one write.

An admin records it for any visit (``admin.actions.mark_paid``), a doctor for his own
(``clinical.visit_closing.record_clinic_payment``), the front desk for its hospitals'
(``desk.payments``, saying how it was paid at the counter: cash, card or UPI); each
caller checks who the actor is
and what they may reach, then comes here. Only a confirmed or completed Pay-at-Clinic
visit whose payment is still ``Pending`` may be marked paid: its payment becomes
``Success`` with a transaction id, by a compare-and-set UPDATE (a concurrent change is a
``Conflict``, never a double receipt), the counters move with it, and the ledger gains a
``Success`` row with its audit entry (the ``Pending`` row of the patient's choice stays).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from healthcareplus.core.audit import Actor
from healthcareplus.core.errors import Conflict
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Role,
)
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.payments.ledger import unused_transaction_id
from healthcareplus.domain.scheduling import tallies
from healthcareplus.domain.scheduling.lifecycle import CHANGED
from healthcareplus.domain.scheduling.refunds import save_payment

MARKED_PAID = "marked_paid"  # the audit action
NOT_CLINIC = "Only Pay-at-Clinic bookings can be marked paid."
NOT_AWAITING = "This booking is not awaiting payment."
NOT_A_VISIT = "Only confirmed or completed visits can be marked paid."
# Who may take a fee at the clinic (each caller narrows it to what they may reach).
RECEIVERS = (Role.ADMIN, Role.DOCTOR, Role.FRONT_DESK)
COUNTER_METHODS = ("cash", "card", "upi")  # how a fee is paid at the front desk
_VISITS = (AppointmentStatus.CONFIRMED.value, AppointmentStatus.COMPLETED.value)


def clinic_payment_refusal(appointment: Appointment) -> str:
    """Why the appointment's fee cannot be recorded as received at the clinic ("" if it can)."""
    if appointment.payment_method != PaymentMethod.PAY_AT_CLINIC:
        return NOT_CLINIC
    if appointment.payment_status != PaymentStatus.PENDING:
        return NOT_AWAITING
    if appointment.status not in _VISITS:
        return NOT_A_VISIT
    return ""


def receive_clinic_payment(
    session: Session, appointment: Appointment, by: Actor, *, counter: str | None = None
) -> Appointment:
    """Record the fee of ``appointment`` (as read by the caller) as paid at the clinic, at
    ``by.now`` (``counter``: how, at the front desk); ``Conflict`` with the refusal, or
    when it changed meanwhile. Returns the appointment as it now is."""
    if counter is not None and counter not in COUNTER_METHODS:
        raise ValueError(f"unknown counter payment method {counter!r}")
    acting_user(session, by.id, *RECEIVERS)
    refused = clinic_payment_refusal(appointment)
    if refused:
        raise Conflict(refused)
    txn = unused_transaction_id(session, by.now)
    paid = session.execute(
        update(Appointment)
        .where(
            col(Appointment.id) == appointment.id,
            col(Appointment.payment_method) == PaymentMethod.PAY_AT_CLINIC.value,
            col(Appointment.payment_status) == PaymentStatus.PENDING.value,
            col(Appointment.status).in_(_VISITS),
        )
        .values(payment_status=PaymentStatus.SUCCESS.value, paid_at=by.now, transaction_id=txn)
        .returning(*tallies.COUNTED_COLUMNS)
        .execution_options(synchronize_session=False)
    ).all()
    tallies.count_updated(session, paid, payment_status=PaymentStatus.PENDING.value)
    if len(paid) != 1:
        raise Conflict(CHANGED)
    row = Payment(
        appointment_id=appointment.id,
        method=PaymentMethod.PAY_AT_CLINIC.value,
        amount_paise=appointment.fee_paise,
        status=PaymentStatus.SUCCESS.value,
        transaction_id=txn,
        idempotency_key=f"{appointment.id}:clinic",
        settled_at=by.now,
        created_at=by.now,
        counter_method=counter,
    )
    detail: dict[str, object] = {"transaction_id": txn, "amount": appointment.fee_paise}
    if counter:
        detail["counter_method"] = counter
    save_payment(session, row, by, MARKED_PAID, detail=detail)
    session.flush()
    session.refresh(appointment)
    return appointment


__all__ = [
    "CHANGED",
    "COUNTER_METHODS",
    "MARKED_PAID",
    "NOT_AWAITING",
    "NOT_A_VISIT",
    "NOT_CLINIC",
    "RECEIVERS",
    "clinic_payment_refusal",
    "receive_clinic_payment",
]
