"""The doctor closes a visit: completed, no-show, or cancelled with a reason; and records
the fee a Pay-at-Clinic patient paid at the visit.

Every function takes the doctor's id as resolved from the signed-in user
(``doctor_for_user``) and checks that the acting user is that doctor; an appointment of
another doctor is ``NotFound``, exactly like one that does not exist. The status changes
are the lifecycle's (``booking.cancel_by`` for a cancellation, which refunds); the fee
received is ``payments.clinic_payment``'s, the same rule and ledger as the admin's
"mark paid".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from healthcareplus.core.audit import Actor
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Forbidden
from healthcareplus.core.formatting import format_rupees, utc
from healthcareplus.core.models import Doctor, Role, User
from healthcareplus.core.validation import reason_text
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.clinical.records import own_appointment
from healthcareplus.domain.payments.clinic_payment import receive_clinic_payment
from healthcareplus.domain.scheduling import lifecycle

NOT_A_DOCTOR = "Only a doctor with a practice profile can open the doctor portal."
_CLOSING = {
    lifecycle.COMPLETE.action: ("completed_at", "Visit marked completed."),
    lifecycle.MARK_NO_SHOW.action: ("no_show_at", "Marked as a no-show."),
}


@dataclass(frozen=True)
class VisitOutcome:
    appointment_id: str
    status: str
    message: str


def doctor_for_user(session: Session, *, user_id: int) -> Doctor:
    """The doctor profile of an active, unblocked doctor account; ``Forbidden`` otherwise."""
    user = row_by_id(session, User, user_id)
    if user is None or user.role != Role.DOCTOR or not user.is_active or user.is_blocked:
        raise Forbidden(NOT_A_DOCTOR)
    doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
    if doctor is None or not doctor.is_active:
        raise Forbidden(NOT_A_DOCTOR)
    return doctor


def _acting_doctor(session: Session, doctor_id: int, actor_id: int) -> Doctor:
    acting_user(session, actor_id, Role.DOCTOR, refusal="Only a doctor can do this.")
    doctor = doctor_for_user(session, user_id=actor_id)
    if doctor.id != doctor_id:
        raise Forbidden("You can only change your own appointments.")
    return doctor


def _close(
    session: Session,
    doctor_id: int,
    appointment_id: str,
    actor_id: int,
    now: datetime,
    transition: lifecycle.Transition,
) -> VisitOutcome:
    by = Actor(actor_id, Role.DOCTOR, utc(now))
    _acting_doctor(session, doctor_id, actor_id)
    appointment = own_appointment(session, doctor_id, appointment_id)
    stamp, message = _CLOSING[transition.action]
    detail = {"start_at": appointment.start_at.isoformat()}
    lifecycle.apply(session, appointment, transition, by, values={stamp: by.now}, detail=detail)
    return VisitOutcome(appointment_id=appointment.id, status=transition.target, message=message)


def mark_completed(
    session: Session, *, doctor_id: int, appointment_id: str, actor_id: int, now: datetime
) -> VisitOutcome:
    """A confirmed visit whose start time has come becomes ``completed``."""
    return _close(session, doctor_id, appointment_id, actor_id, now, lifecycle.COMPLETE)


def mark_no_show(
    session: Session, *, doctor_id: int, appointment_id: str, actor_id: int, now: datetime
) -> VisitOutcome:
    """A confirmed visit whose start time has passed without the patient: ``no_show``."""
    return _close(session, doctor_id, appointment_id, actor_id, now, lifecycle.MARK_NO_SHOW)


def cancel_visit(
    session: Session,
    *,
    doctor_id: int,
    appointment_id: str,
    actor_id: int,
    reason: str,
    now: datetime,
) -> VisitOutcome:
    """Cancel a visit still ahead (or a booking awaiting payment) with a reason the patient
    sees; a paid one is refunded (``booking.cancel_by``). A started visit is closed instead."""
    by = Actor(actor_id, Role.DOCTOR, utc(now))
    _acting_doctor(session, doctor_id, actor_id)
    why = "Tell the patient why the visit is cancelled."
    text = reason_text(reason, missing=why, short=why)
    appointment = own_appointment(session, doctor_id, appointment_id)
    cancelled = booking.cancel_by(session, by, appointment.id, text)
    refunded = cancelled.payment_status == "Refunded"
    message = "Appointment cancelled." + (" The payment is refunded." if refunded else "")
    return VisitOutcome(appointment_id=cancelled.id, status=cancelled.status, message=message)


def record_clinic_payment(
    session: Session, *, doctor_id: int, appointment_id: str, actor_id: int, now: datetime
) -> VisitOutcome:
    """The patient of the doctor's own confirmed or completed Pay-at-Clinic visit paid the
    fee at the clinic: the payment becomes ``Success`` (``Conflict`` when it is not a
    Pay-at-Clinic fee still pending)."""
    by = Actor(actor_id, Role.DOCTOR, utc(now))
    _acting_doctor(session, doctor_id, actor_id)
    appointment = own_appointment(session, doctor_id, appointment_id)
    paid = receive_clinic_payment(session, appointment, by)
    fee = format_rupees(paid.fee_paise)
    message = f"Payment recorded: {fee} paid at the clinic ({paid.transaction_id})."
    return VisitOutcome(appointment_id=paid.id, status=paid.status, message=message)


__all__ = [
    "NOT_A_DOCTOR",
    "VisitOutcome",
    "cancel_visit",
    "doctor_for_user",
    "mark_completed",
    "mark_no_show",
    "record_clinic_payment",
]
