"""The refund policy, in one place: when an appointment owes the patient their money back,
and the ledger entry that records it.

A cancellation refunds a successful payment; an admin may refund one without cancelling
(a visit already past). The refund row is written in the caller's transaction; for an
online payment the gateway is told by the payments reconciliation (``push_refunds``),
which marks the row settled once the gateway has acknowledged it, so a crash between the
two can never lose a refund.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.errors import Conflict
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees
from healthcareplus.core.i18n import N_, gettext, translate
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from healthcareplus.domain.notifications.email import REFUND_WAIT
from healthcareplus.domain.notifications.payment_news import refund_processed
from healthcareplus.domain.scheduling import tallies

# The columns naming the instrument a payment was made with (card, UPI id, bank, wallet).
INSTRUMENT_COLUMNS = ("card_brand", "card_last4", "upi_vpa", "bank", "wallet")


def instrument_of(payment: object | None) -> dict[str, Any]:
    """The instrument columns of ``payment`` (a payment row or the details a patient
    entered), all None without one: what a payment row for the same instrument copies."""
    return {column: getattr(payment, column, None) for column in INSTRUMENT_COLUMNS}


def save_payment(
    session: Session,
    row: Payment,
    by: Actor,
    action: str,
    *,
    reason: str | None = None,
    detail: dict[str, Any],
) -> Payment:
    """Write a ledger row (flushed, so it has its id) with the audit entry about it, on
    its appointment's trail."""
    session.add(row)
    session.flush()
    audit(
        session,
        by,
        action,
        appointment_id=row.appointment_id,
        entity="payment",
        entity_id=row.id,
        reason=reason,
        detail=detail,
    )
    return row


def refund_terms(*, fee_paise: int, start_at: datetime) -> str:
    """What a patient about to pay is promised (``refund_due``: a cancellation before the
    visit refunds a successful payment in full)."""
    time, day = format_local_time(start_at), format_local_date(start_at)
    when = translate(N_("{time} on {date}"), None, time=time, date=day)
    return translate(
        N_(
            "Free cancellation until your visit at {when}: the full {fee} goes back the way "
            "you paid, and banks usually take {wait} to show it. Pay at Clinic charges "
            "nothing now."
        ),
        None,
        when=when,
        fee=format_rupees(fee_paise),
        wait=gettext(REFUND_WAIT),
    )


def refund_due(appointment: Appointment) -> bool:
    """A successful payment is refunded when the appointment it paid for is cancelled."""
    return appointment.payment_status == PaymentStatus.SUCCESS


def admin_refund_refusal(appointment: Appointment, now: datetime) -> str:
    """Why an admin may not refund this appointment's payment without cancelling it."""
    if appointment.payment_status != PaymentStatus.SUCCESS:
        return "Only successful payments can be refunded."
    if appointment.status == AppointmentStatus.CONFIRMED and appointment.start_at > now:
        return (
            "This visit is still ahead. Cancel the appointment instead: "
            "cancelling refunds the payment."
        )
    return ""


def refund(session: Session, appointment: Appointment, by: Actor, *, reason: str | None) -> Payment:
    """Refund the appointment's successful payment in the caller's transaction.

    Adds a ``Refunded`` payment row for the fee on the instrument that paid; the unique
    idempotency key ``<appointment id>:refund`` makes a second refund impossible.
    """
    refunded = session.execute(
        update(Appointment)
        .where(
            col(Appointment.id) == appointment.id,
            col(Appointment.payment_status) == PaymentStatus.SUCCESS.value,
        )
        .values(payment_status=PaymentStatus.REFUNDED.value, refunded_at=by.now)
        .returning(*tallies.COUNTED_COLUMNS)
        .execution_options(synchronize_session=False)
    ).all()
    tallies.count_updated(session, refunded, payment_status=PaymentStatus.SUCCESS.value)
    if len(refunded) != 1:
        raise Conflict("Only a successful payment can be refunded.")
    paid = session.exec(
        select(Payment)
        .where(
            Payment.appointment_id == appointment.id,
            Payment.status == PaymentStatus.SUCCESS.value,
        )
        .order_by(col(Payment.id).desc())
    ).first()
    method = (paid.method if paid else appointment.payment_method) or ""
    row = Payment(
        appointment_id=appointment.id,
        method=method,
        amount_paise=paid.amount_paise if paid else appointment.fee_paise,
        status=PaymentStatus.REFUNDED.value,
        idempotency_key=f"{appointment.id}:refund",
        refund_of_key=paid.idempotency_key if paid else None,
        **instrument_of(paid),
        # Cash handed back at the counter needs no gateway; an online refund is settled
        # once the gateway acknowledges it.
        settled_at=by.now if method == PaymentMethod.PAY_AT_CLINIC else None,
        created_at=by.now,
    )
    detail = {"amount": row.amount_paise, "transaction_id": appointment.transaction_id}
    return save_payment(session, row, by, "refunded", reason=reason, detail=detail)


def tell_if_settled(session: Session, refund_row: Payment, *, now: datetime) -> None:
    """Cash handed back at the counter is done at once: tell the patient now. (An online
    refund is told once the gateway acknowledges it.) Called after the change's own news,
    so the refund is told after the cancellation that caused it."""
    if refund_row.settled_at is not None:
        refund_processed(session, refund_row, now=now)


__all__ = [
    "INSTRUMENT_COLUMNS",
    "admin_refund_refusal",
    "instrument_of",
    "refund",
    "refund_due",
    "save_payment",
    "tell_if_settled",
]
