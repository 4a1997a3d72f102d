"""Paying for a booking through a gateway, and abandoning an unpaid one.

Paying never charges twice and never loses a charge:
1. The attempt is claimed: one compare-and-set UPDATE makes the pending appointment wait
   on a new attempt key (payment status ``Processing``), then the attempt's payment row is
   added. This is committed before the gateway is called — the one documented exception
   to "the unit of work commits" — so a crash during the call leaves a record to
   reconcile.
2. The gateway is called with that key and a timeout well under the stuck-attempt window.
3. Its answer is recorded by ``ledger.settle_attempt``, which only confirms the appointment
   if it still waits on this attempt. No answer in time: the attempt stays processing and
   ``reconciliation`` asks the gateway for its outcome later.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import Conflict, NotFound
from healthcareplus.core.formatting import utc
from healthcareplus.core.i18n import N_
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.payments.gateway import ChargeState, GatewayResult, PaymentGateway
from healthcareplus.domain.payments.ledger import (
    PROCESSING,
    PaymentOutcome,
    attempt_row,
    new_attempt_key,
    settle_attempt,
)
from healthcareplus.domain.payments.methods import PaymentDetails, validate_details
from healthcareplus.domain.scheduling import lifecycle, tallies
from healthcareplus.domain.scheduling.conditions import HoldOpen
from healthcareplus.domain.scheduling.slots import now_param

STILL_PROCESSING = (
    "Your bank has not confirmed the payment yet. We will confirm your booking as soon as "
    "it does; you will not be charged twice."
)
IN_PROGRESS = "A payment for this booking is already in progress."
ABANDONED = "Booking abandoned before payment"
_APPOINTMENTS = table_of(Appointment)
# Gateway calls run here so a slow one can be waited on with a timeout.
_CALLS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gateway")


AWAITING_DOCTOR = N_(
    "This booking is waiting for the doctor to accept it. We will tell you when you can pay."
)
REQUEST_UNANSWERED = N_("The doctor did not answer this request in time. Please book again.")
PAY_TIME_OVER = N_("The time to pay for this booking has run out. Please book again.")


def hold_expired_message(appointment: Appointment) -> str:
    if appointment.awaiting_doctor:  # a request the doctor never answered
        return REQUEST_UNANSWERED
    settings = get_settings()
    minutes = settings.hold_minutes
    if appointment.hold_expires_at and appointment.booked_at:
        held = appointment.hold_expires_at - appointment.booked_at
        minutes = max(1, round(held.total_seconds() / 60))
        if minutes > max(settings.hold_minutes, settings.waitlist_offer_minutes):
            return PAY_TIME_OVER  # an accepted request: its time to pay ran from the answer
    return f"Your {minutes}-minute hold on this slot has expired. Please book again."


# The acting patient's account and their own appointment (None if not theirs), fresh.
_OWN = (
    select(User, Appointment)
    .select_from(User)
    .outerjoin(
        Appointment,
        and_(
            col(Appointment.id) == bindparam("appointment_id"),
            col(Appointment.patient_id) == col(User.id),
        ),
    )
    .where(col(User.id) == bindparam("patient_id"))
    .execution_options(populate_existing=True)
)


def _load_own(session: Session, appointment_id: str, patient_id: int) -> Appointment:
    """``acting_user`` (an active, unblocked patient) and the patient's own appointment:
    one SELECT reads both, so the check finds the account in the session."""
    found = None
    if type(patient_id) is int:  # a crafted value is never looked up
        params = {"appointment_id": str(appointment_id)[:36], "patient_id": patient_id}
        found = session.exec(_OWN, params=params).first()
    acting_user(session, patient_id, Role.PATIENT)
    appointment = found[1] if found is not None else None
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


def _settled(appointment: Appointment) -> bool:
    """Confirmed (or later) and either paid online or to be paid at the clinic."""
    return appointment.status in lifecycle.SETTLED_STATUSES and (
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


def _refuse_unpayable(appointment: Appointment, now: datetime) -> None:
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Conflict("This booking was cancelled. Please book again.")
    if appointment.status == AppointmentStatus.EXPIRED or lifecycle.hold_lapsed(appointment, now):
        raise Conflict(hold_expired_message(appointment))
    if appointment.status != lifecycle.PENDING:
        raise Conflict("This appointment can no longer be paid online.")
    if appointment.awaiting_doctor:
        raise Conflict(AWAITING_DOCTOR)
    if appointment.payment_status == PROCESSING:
        raise Conflict(IN_PROGRESS)


def _pay_at_clinic(
    session: Session, appointment: Appointment, details: PaymentDetails, now: datetime
) -> PaymentOutcome:
    confirm_pay_at_clinic(session, appointment, Actor(appointment.patient_id, Role.PATIENT, now))
    return _settled_outcome(appointment)


def confirm_pay_at_clinic(session: Session, appointment: Appointment, by: Actor) -> Appointment:
    """Confirm the pending booking, its fee to be paid at the clinic: the patient's choice
    at checkout, or the front desk's for them (``by``; the caller checked its reach)."""
    now = by.now
    details = PaymentDetails(method=PaymentMethod.PAY_AT_CLINIC.value)
    key = new_attempt_key(appointment.id)
    lifecycle.apply(
        session,
        appointment,
        lifecycle.CONFIRM_AT_CLINIC,
        by,
        values={
            "payment_status": PaymentStatus.PENDING.value,
            "payment_method": PaymentMethod.PAY_AT_CLINIC.value,
            "payment_attempt_key": key,
            "hold_expires_at": None,
        },
        detail={"amount_paise": appointment.fee_paise},
    )
    session.add(attempt_row(appointment, details, status=PaymentStatus.PENDING, key=key, now=now))
    session.flush()
    return appointment


# Make the pending appointment wait on a new attempt, if it still is as read.
_CLAIM = (
    update(_APPOINTMENTS)
    .where(
        _APPOINTMENTS.c.id == bindparam("appointment_id"),
        _APPOINTMENTS.c.status == lifecycle.PENDING,
        _APPOINTMENTS.c.payment_status.in_([PaymentStatus.PENDING, PaymentStatus.FAILED]),
        # As read, so the change is counted from what it really was.
        _APPOINTMENTS.c.payment_status == bindparam("was"),
        _APPOINTMENTS.c.awaiting_doctor.is_(False),  # a request is paid once accepted
        HoldOpen().sql(now_param("now")),
    )
    .values(payment_status=PROCESSING, payment_attempt_key=bindparam("attempt_key"))
    .returning(*tallies.COUNTED_COLUMNS)
)


def _claim(
    session: Session, appointment: Appointment, details: PaymentDetails, now: datetime
) -> Payment | None:
    """Make the appointment wait on a new attempt and commit it; None if someone else won."""
    key = new_attempt_key(appointment.id)
    params = {
        "appointment_id": appointment.id,
        "was": appointment.payment_status,
        "now": now,
        "attempt_key": key,
    }
    claimed = session.execute(_CLAIM, params).all()
    tallies.count_updated(session, claimed, payment_status=appointment.payment_status)
    if len(claimed) != 1:
        # Lost to another tab or a retry: end this transaction at once (on SQLite it holds
        # the write lock) so the caller reads the winner's committed state.
        session.rollback()
        return None
    row = attempt_row(appointment, details, status=PROCESSING, key=key, now=now)
    _insert_attempt(session, row)
    session.commit()  # the documented exception: the claim must outlive the gateway call
    return row


_PAYMENTS = table_of(Payment)
_ATTEMPT_COLUMNS = [c.name for c in _PAYMENTS.columns if c.name not in ("id", "refund_of_key")]


def _insert_attempt(session: Session, row: Payment) -> None:
    """INSERT the attempt's row now (one Core statement, no unit of work): it is read
    back by its idempotency key when it settles; ``row`` stays a plain value."""
    session.execute(_PAYMENTS.insert(), {name: getattr(row, name) for name in _ATTEMPT_COLUMNS})


def _after_lost_claim(session: Session, appointment: Appointment) -> PaymentOutcome:
    session.refresh(appointment)
    if _settled(appointment):
        return _settled_outcome(appointment)
    if appointment.status == lifecycle.PENDING and appointment.payment_status == PROCESSING:
        raise Conflict(IN_PROGRESS)
    raise Conflict("This booking changed while you were paying. Please check its status.")


def _call_gateway(
    gateway: PaymentGateway, row: Payment, details: PaymentDetails, timeout: float
) -> GatewayResult | None:
    """The gateway's answer, or None when it gave none in time (or the call broke and the
    gateway cannot say what became of it)."""
    key = row.idempotency_key or ""
    call = _CALLS.submit(
        gateway.charge, amount_paise=row.amount_paise, details=details, idempotency_key=key
    )
    try:
        return call.result(timeout=timeout)
    except FutureTimeout:
        return None
    except Exception:  # the call broke: the bank may or may not have charged — ask it
        try:
            status = gateway.status(idempotency_key=key)
        except Exception:
            return None
        if status.state == ChargeState.SUCCEEDED:
            return GatewayResult(True, status.reference)
        if status.state in (ChargeState.FAILED, ChargeState.UNKNOWN):
            return GatewayResult(False, failure_reason="The payment could not be completed.")
        return None


def pay(
    session: Session,
    *,
    appointment_id: str,
    patient_id: int,
    method: str,
    form: Mapping[str, Any],
    gateway: PaymentGateway,
    now: datetime,
    timeout: float | None = None,
) -> PaymentOutcome:
    """Pay for the patient's pending booking; a repeated call never charges again.

    A declined payment returns ``success=False`` (the booking stays pending for a retry
    while the hold lasts); an unanswered one returns ``pending=True``. Refusals raise
    ``NotFound``, ``Conflict`` or ``ValidationFailed``.
    """
    now = utc(now)
    appointment = _load_own(session, appointment_id, patient_id)
    if _settled(appointment):
        return _settled_outcome(appointment)
    _refuse_unpayable(appointment, now)
    details = validate_details(method, form, now=now)
    if details.method == PaymentMethod.PAY_AT_CLINIC:
        return _pay_at_clinic(session, appointment, details, now)
    row = _claim(session, appointment, details, now)
    if row is None:
        return _after_lost_claim(session, appointment)
    wait = get_settings().gateway_timeout_seconds if timeout is None else timeout
    result = _call_gateway(gateway, row, details, wait)
    key = row.idempotency_key or ""
    if result is None:
        return PaymentOutcome(False, "", STILL_PROCESSING, appointment.id, row.method, True)
    outcome = settle_attempt(
        session, key=key, succeeded=result.success, failure_reason=result.failure_reason, now=now
    )
    assert outcome is not None  # the attempt row was committed by the claim
    return outcome


def abandon(session: Session, *, appointment_id: str, patient_id: int, now: datetime) -> None:
    """ "Cancel booking" before paying: the pending booking is cancelled, its slot freed."""
    now = utc(now)
    appointment = _load_own(session, appointment_id, patient_id)
    if appointment.status in (AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED):
        return  # nothing left to release (a repeated click)
    if lifecycle.hold_lapsed(appointment, now):
        return  # the hold ran out: the slot is free already
    if appointment.status != lifecycle.PENDING:
        raise Conflict(
            "This booking is already confirmed. Cancel the appointment instead"
            " (a paid booking is refunded)."
        )
    if appointment.payment_status == PROCESSING:
        raise Conflict("A payment for this booking is in progress. Please wait a moment.")
    lifecycle.apply(
        session,
        appointment,
        lifecycle.ABANDON,
        Actor(patient_id, Role.PATIENT, now),
        values={
            "cancelled_at": now,
            "cancelled_by_user_id": patient_id,
            "cancel_reason": ABANDONED,
        },
        reason=ABANDONED,
    )


__all__ = ["STILL_PROCESSING", "PaymentOutcome", "abandon", "hold_expired_message", "pay"]
