"""Paying for a booking through a gateway, idempotently, and abandoning an unpaid one.

Paying never charges twice. The attempt is first claimed with a compare-and-set UPDATE
(payment status ``Pending``/``Failed`` -> ``Processing``) committed together with a payment
row carrying the attempt's idempotency key; only the claimer calls the gateway, and a
second submit (double click, second tab, retried event) either returns the booking's
existing success or is told a payment is already in progress. Form validation lives in
``payment_methods``, the gateways in ``payment_gateway``, refunds in ``payment_ledger``;
their public names are re-exported here.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import to_local, utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Role,
)
from healthcareplus.domain.payments.gateway import (
    DECLINE_CARD_NUMBER,
    DECLINE_UPI_PREFIX,
    GatewayResult,
    MockGateway,
    PaymentGateway,
    ScriptedGateway,
    gateway_from_settings,
)
from healthcareplus.domain.payments.ledger import (
    PROCESSING,
    audit_event,
    expire_if_stale,
    hold_expired_message,
    refund,
    reset_stuck_payments,
    update_appointment,
)
from healthcareplus.domain.payments.methods import (
    BANKS,
    CARD_BRANDS,
    METHOD_LABELS,
    UPI_APPS,
    WALLETS,
    PaymentDetails,
    method_label,
    validate_details,
)

_TXN_ALPHABET = string.ascii_uppercase + string.digits
_PENDING = AppointmentStatus.PENDING_PAYMENT.value
_CONFIRMED = AppointmentStatus.CONFIRMED.value


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentOutcome:
    success: bool
    transaction_id: str
    failure_reason: str
    appointment_id: str
    method: str = ""  # PaymentMethod value of the settled/attempted payment


def new_transaction_id(now: datetime) -> str:
    """ "HCP-20261121-7F3K9Q": the clinic-local date and six random letters/digits."""
    day = to_local(utc(now)).strftime("%Y%m%d")
    return f"HCP-{day}-{''.join(secrets.choice(_TXN_ALPHABET) for _ in range(6))}"


def _unused_transaction_id(session: Session, now: datetime) -> str:
    for _ in range(10):
        candidate = new_transaction_id(now)
        clash = session.exec(
            select(func.count())
            .select_from(Payment)
            .where(col(Payment.transaction_id) == candidate)
        ).one()
        clash += session.exec(
            select(func.count())
            .select_from(Appointment)
            .where(col(Appointment.transaction_id) == candidate)
        ).one()
        if not clash:
            return candidate
    raise RuntimeError("could not find an unused transaction id")  # pragma: no cover


def _hold_live(now: datetime) -> Any:
    hold = col(Appointment.hold_expires_at)
    return or_(hold.is_(None), hold > now)


def _load_own(session: Session, appointment_id: str, patient_id: int) -> Appointment:
    appointment = session.get(Appointment, str(appointment_id), populate_existing=True)
    if appointment is None or appointment.patient_id != patient_id:
        raise NotFound("Appointment not found.")
    return appointment


def _settled(appointment: Appointment) -> bool:
    """Confirmed (or later) and either paid online or to be paid at the clinic."""
    return appointment.status in (
        _CONFIRMED,
        AppointmentStatus.COMPLETED,
        AppointmentStatus.NO_SHOW,
    ) and (
        appointment.payment_status in (PaymentStatus.SUCCESS, PaymentStatus.REFUNDED)
        or appointment.payment_method == PaymentMethod.PAY_AT_CLINIC
    )


def _settled_outcome(appointment: Appointment) -> PaymentOutcome:
    return PaymentOutcome(
        success=True,
        transaction_id=appointment.transaction_id or "",
        failure_reason="",
        appointment_id=appointment.id,
        method=appointment.payment_method or "",
    )


def _refuse_unpayable(session: Session, appointment: Appointment, now: datetime) -> None:
    status = appointment.status
    if status == AppointmentStatus.CANCELLED:
        raise Conflict("This booking was cancelled. Please book again.")
    if status == AppointmentStatus.EXPIRED or expire_if_stale(session, appointment, now=now):
        raise Conflict(hold_expired_message(appointment))
    if status != _PENDING:
        raise Conflict("This appointment can no longer be paid online.")
    if appointment.payment_status == PROCESSING:
        raise Conflict("A payment for this booking is already in progress.")


def _after_lost_claim(session: Session, appointment: Appointment) -> PaymentOutcome:
    session.rollback()
    session.refresh(appointment)
    if _settled(appointment):
        return _settled_outcome(appointment)
    if appointment.status == _PENDING and appointment.payment_status == PROCESSING:
        raise Conflict("A payment for this booking is already in progress.")
    raise Conflict("This booking changed while you were paying. Please check its status.")


def _attempt_number(session: Session, appointment_id: str) -> int:
    earlier = session.exec(
        select(func.count()).select_from(Payment).where(Payment.appointment_id == appointment_id)
    ).one()
    return int(earlier) + 1


def _payment_row(
    appointment: Appointment, details: PaymentDetails, *, status: str, key: str, now: datetime
) -> Payment:
    return Payment(
        appointment_id=appointment.id,
        method=details.method,
        amount_paise=appointment.fee_paise,
        status=status,
        idempotency_key=key,
        card_brand=details.card_brand,
        card_last4=details.card_last4,
        upi_vpa=details.upi_vpa,
        bank=details.bank,
        wallet=details.wallet,
        created_at=now,
    )


def _pay_at_clinic(
    session: Session, appointment: Appointment, details: PaymentDetails, now: datetime
) -> PaymentOutcome:
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _PENDING,
            col(Appointment.payment_status).in_([PaymentStatus.PENDING, PaymentStatus.FAILED]),
            _hold_live(now),
        ).values(
            status=_CONFIRMED,
            payment_status=PaymentStatus.PENDING.value,
            payment_method=PaymentMethod.PAY_AT_CLINIC.value,
            hold_expires_at=None,
        )
    )
    if result.rowcount != 1:
        return _after_lost_claim(session, appointment)
    key = f"{appointment.id}:{_attempt_number(session, appointment.id)}"
    row = _payment_row(appointment, details, status=PaymentStatus.PENDING, key=key, now=now)
    session.add(row)
    audit_event(
        session,
        action="pay_at_clinic",
        appointment_id=appointment.id,
        actor_id=appointment.patient_id,
        actor_role=Role.PATIENT,
        now=now,
        detail={"amount_paise": appointment.fee_paise},
    )
    session.commit()
    session.refresh(appointment)
    return _settled_outcome(appointment)


def _claim(
    session: Session, appointment: Appointment, details: PaymentDetails, now: datetime
) -> Payment | None:
    """Take the payment attempt (commit) or return None when someone else holds it."""
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _PENDING,
            col(Appointment.payment_status).in_([PaymentStatus.PENDING, PaymentStatus.FAILED]),
            _hold_live(now),
        ).values(payment_status=PROCESSING)
    )
    if result.rowcount != 1:
        return None
    key = f"{appointment.id}:{_attempt_number(session, appointment.id)}"
    row = _payment_row(appointment, details, status=PROCESSING, key=key, now=now)
    session.add(row)
    session.commit()
    return row


def _charge(gateway: PaymentGateway, row: Payment, details: PaymentDetails) -> GatewayResult:
    try:
        return gateway.charge(
            amount_paise=row.amount_paise, details=details, idempotency_key=row.idempotency_key
        )
    except Exception:  # a gateway error is a failed attempt, never a stuck one
        return GatewayResult(False, failure_reason="The payment could not be completed.")


def _record_success(
    session: Session, appointment: Appointment, row: Payment, now: datetime
) -> PaymentOutcome:
    for _ in range(5):
        txn = _unused_transaction_id(session, now)
        try:
            session.exec(
                update(Payment)
                .where(col(Payment.id) == row.id)
                .values(status=PaymentStatus.SUCCESS.value, transaction_id=txn)
            )
            result = session.exec(
                update_appointment(
                    col(Appointment.id) == appointment.id,
                    col(Appointment.payment_status) == PROCESSING,
                ).values(
                    status=_CONFIRMED,
                    payment_status=PaymentStatus.SUCCESS.value,
                    payment_method=row.method,
                    transaction_id=txn,
                    paid_at=now,
                    hold_expires_at=None,
                )
            )
            if result.rowcount != 1:  # the 5-minute sweep gave up on this attempt
                session.rollback()
                _finish_failed(session, row, "The booking changed while the payment was made.")
                session.commit()
                raise Conflict(
                    "This booking changed while the payment was processing. "
                    "Any amount charged will be refunded."
                )
            audit_event(
                session,
                action="payment_succeeded",
                appointment_id=appointment.id,
                actor_id=appointment.patient_id,
                actor_role=Role.PATIENT,
                now=now,
                entity="payment",
                entity_id=str(row.id),
                detail={"transaction_id": txn, "method": row.method, "amount": row.amount_paise},
            )
            session.commit()
        except IntegrityError:  # a transaction id taken between the check and the write
            session.rollback()
            continue
        session.refresh(appointment)
        return PaymentOutcome(True, txn, "", appointment.id, row.method)
    raise RuntimeError("could not record the payment")  # pragma: no cover


def _finish_failed(session: Session, row: Payment, reason: str) -> None:
    session.exec(
        update(Payment)
        .where(col(Payment.id) == row.id)
        .values(status=PaymentStatus.FAILED.value, failure_reason=reason[:200])
    )


def _record_failure(
    session: Session, appointment: Appointment, row: Payment, reason: str, now: datetime
) -> PaymentOutcome:
    _finish_failed(session, row, reason)
    session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.payment_status) == PROCESSING,
        ).values(payment_status=PaymentStatus.FAILED.value, payment_method=row.method)
    )
    audit_event(
        session,
        action="payment_failed",
        appointment_id=appointment.id,
        actor_id=appointment.patient_id,
        actor_role=Role.PATIENT,
        now=now,
        reason=reason[:500],
        entity="payment",
        entity_id=str(row.id),
        detail={"method": row.method, "amount": row.amount_paise},
    )
    session.commit()
    session.refresh(appointment)
    return PaymentOutcome(False, "", reason, appointment.id, row.method)


def pay(
    session: Session,
    *,
    appointment_id: str,
    patient_id: int,
    method: str,
    form: Mapping[str, Any],
    gateway: PaymentGateway,
    now: datetime,
) -> PaymentOutcome:
    """Pay for the patient's pending booking; a repeated call never charges again.

    A declined payment returns ``success=False`` (the booking stays pending for a retry
    while the hold lasts); refusals raise ``NotFound``, ``Conflict`` or
    ``ValidationFailed``.
    """
    now = utc(now)
    appointment = _load_own(session, appointment_id, patient_id)
    if _settled(appointment):
        return _settled_outcome(appointment)
    _refuse_unpayable(session, appointment, now)
    details = validate_details(method, form, now=now)
    if details.method == PaymentMethod.PAY_AT_CLINIC:
        return _pay_at_clinic(session, appointment, details, now)
    row = _claim(session, appointment, details, now)
    if row is None:
        return _after_lost_claim(session, appointment)
    result = _charge(gateway, row, details)
    if result.success:
        return _record_success(session, appointment, row, now)
    reason = result.failure_reason or "The payment was declined."
    return _record_failure(session, appointment, row, reason, now)


def abandon(session: Session, *, appointment_id: str, patient_id: int, now: datetime) -> None:
    """ "Cancel booking" before paying: the pending booking is cancelled, its slot freed."""
    now = utc(now)
    appointment = _load_own(session, appointment_id, patient_id)
    if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED):
        return  # nothing left to release (a repeated click)
    if appointment.status != _PENDING:
        raise Conflict(
            "This booking is already confirmed. Cancel the appointment instead"
            " (a paid booking is refunded)."
        )
    if appointment.payment_status == PROCESSING:
        raise Conflict("A payment for this booking is in progress. Please wait a moment.")
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _PENDING,
            col(Appointment.payment_status).in_([PaymentStatus.PENDING, PaymentStatus.FAILED]),
        ).values(
            status=AppointmentStatus.CANCELLED.value,
            cancelled_at=now,
            cancelled_by_user_id=patient_id,
            cancel_reason="Booking abandoned before payment",
        )
    )
    if result.rowcount != 1:
        session.rollback()
        session.refresh(appointment)
        if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED):
            return
        raise Conflict("This booking changed meanwhile. Please check its status.")
    audit_event(
        session,
        action="abandoned",
        appointment_id=appointment.id,
        actor_id=patient_id,
        actor_role=Role.PATIENT,
        now=now,
        reason="Booking abandoned before payment",
    )
    session.commit()
    session.refresh(appointment)


__all__ = [
    "BANKS",
    "CARD_BRANDS",
    "DECLINE_CARD_NUMBER",
    "DECLINE_UPI_PREFIX",
    "METHOD_LABELS",
    "PROCESSING",
    "UPI_APPS",
    "WALLETS",
    "GatewayResult",
    "MockGateway",
    "PaymentDetails",
    "PaymentGateway",
    "PaymentOutcome",
    "ScriptedGateway",
    "abandon",
    "audit_event",
    "expire_if_stale",
    "gateway_from_settings",
    "hold_expired_message",
    "method_label",
    "new_transaction_id",
    "pay",
    "refund",
    "reset_stuck_payments",
    "validate_details",
]
