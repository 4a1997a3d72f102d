"""Booking, cancelling and rescheduling appointments, and the hold sweep.

The database guarantees one taken appointment per slot: the partial unique index
``uq_appointments_taken_slot`` on (doctor_id, start_at) over the slot-taking statuses.
Every write that claims a slot first expires a stale payment hold on it (in the same
transaction), then relies on that index: an ``IntegrityError`` means someone else won and
becomes ``SlotUnavailable``. Views for the pages live in ``appointment_views``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SlotUnavailable,
    ValidationFailed,
)
from healthcareplus.core.formatting import clinic_today, to_local, utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    PaymentStatus,
    Role,
    User,
)
from healthcareplus.domain.booking.views import (
    AppointmentView,
    get_appointment,
    list_appointments,
    time_status,
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
from healthcareplus.domain.scheduling.availability import Slot, day_slots

REASON_MIN = 3
REASON_MAX = 500
PATIENT_CANCEL_REASON = "Cancelled by patient"
SLOT_JUST_TAKEN = "This slot was just booked by someone else. Please choose another time."
_PENDING = AppointmentStatus.PENDING_PAYMENT.value
_CONFIRMED = AppointmentStatus.CONFIRMED.value
_CHANGED = "This appointment was just changed. Please reload and try again."


def clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationFailed({"reason": "Please tell us the reason for your visit."})
    if len(text) < REASON_MIN:
        raise ValidationFailed({"reason": "Describe the reason in at least 3 characters."})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 500 characters."})
    return text


def _require_patient(session: Session, patient_id: int) -> User:
    user = session.get(User, patient_id)
    if user is None:
        raise NotFound("Account not found.")
    if user.role != Role.PATIENT:
        raise Forbidden("Only patients can book appointments.")
    if not user.is_active:
        raise Forbidden("Your account is not active. Please contact the clinic.")
    if user.is_blocked:
        raise Forbidden("Your account is blocked from booking. Please contact the clinic.")
    return user


def _require_doctor(session: Session, doctor_id: int) -> Doctor:
    doctor = session.get(Doctor, doctor_id)
    if doctor is None or not doctor.is_active:
        raise NotFound("Doctor not found.")
    return doctor


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def _free_slot(session: Session, *, doctor: Doctor, start_at: datetime, now: datetime) -> Slot:
    """The free slot starting at ``start_at``, or ``SlotUnavailable`` saying why not."""
    settings = get_settings()
    if start_at <= now:
        raise SlotUnavailable("That time has already passed. Please choose a later slot.")
    day = to_local(start_at).date()
    horizon = settings.booking_horizon_days
    if (day - clinic_today(now)).days >= horizon:
        raise SlotUnavailable(f"Appointments can be booked up to {horizon} days ahead.")
    slot = next(
        (
            s
            for s in day_slots(session, doctor_id=doctor.id, day=day, now=now)
            if s.start_at == start_at
        ),
        None,
    )
    if slot is None:
        raise SlotUnavailable("The doctor has no appointment slot at that time.")
    if slot.state == "blocked":
        raise SlotUnavailable("The doctor is not available at that time.")
    if slot.state == "taken":
        raise SlotUnavailable(SLOT_JUST_TAKEN)
    if slot.state == "past":
        notice = _minutes_text(settings.min_notice_minutes)
        raise SlotUnavailable(f"Appointments must be booked at least {notice} in advance.")
    return slot


def _check_no_overlap(
    session: Session,
    *,
    patient_id: int,
    slot: Slot,
    now: datetime,
    ignore_id: str | None = None,
) -> None:
    hold = col(Appointment.hold_expires_at)
    query = select(Appointment.id).where(
        Appointment.patient_id == patient_id,
        col(Appointment.start_at) < slot.end_at,
        col(Appointment.end_at) > slot.start_at,
        or_(
            col(Appointment.status) == _CONFIRMED,
            (col(Appointment.status) == _PENDING)
            & or_(hold.is_(None), hold > now, col(Appointment.payment_status) == PROCESSING),
        ),
    )
    if ignore_id is not None:
        query = query.where(col(Appointment.id) != ignore_id)
    if session.exec(query.limit(1)).first() is not None:
        raise Conflict("You already have an appointment at that time.")


def _expire_stale_holds(doctor_id: int, start_at: datetime, now: datetime) -> Any:
    """Free (doctor, start) of a pending hold that ran out, so the slot index lets go."""
    return update_appointment(
        col(Appointment.doctor_id) == doctor_id,
        col(Appointment.start_at) == start_at,
        col(Appointment.status) == _PENDING,
        col(Appointment.payment_status) != PROCESSING,
        col(Appointment.hold_expires_at) <= now,
    ).values(status=AppointmentStatus.EXPIRED.value)


def book(
    session: Session,
    *,
    patient_id: int,
    doctor_id: int,
    start_at: datetime,
    reason: str,
    now: datetime,
) -> Appointment:
    """Hold a free slot for the patient: a ``pending_payment`` booking until paid."""
    now, start_at = utc(now), utc(start_at)
    text = clean_reason(reason)
    _require_patient(session, patient_id)
    doctor = _require_doctor(session, doctor_id)
    slot = _free_slot(session, doctor=doctor, start_at=start_at, now=now)
    _check_no_overlap(session, patient_id=patient_id, slot=slot, now=now)
    appointment = Appointment(
        patient_id=patient_id,
        doctor_id=doctor.id,
        hospital_id=doctor.hospital_id,
        start_at=slot.start_at,
        end_at=slot.end_at,
        reason=text,
        status=_PENDING,
        payment_status=PaymentStatus.PENDING.value,
        fee_paise=doctor.fee_paise,
        booked_at=now,
        hold_expires_at=now + timedelta(minutes=get_settings().hold_minutes),
    )
    try:
        session.exec(_expire_stale_holds(doctor.id, slot.start_at, now))
        session.add(appointment)
        session.flush()
        audit_event(
            session,
            action="booked",
            appointment_id=appointment.id,
            actor_id=patient_id,
            actor_role=Role.PATIENT,
            now=now,
            detail={"doctor_id": doctor.id, "start_at": slot.start_at.isoformat()},
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise SlotUnavailable(SLOT_JUST_TAKEN) from None
    return appointment


def _visible_appointment(
    session: Session, appointment_id: str, actor_id: int, actor_role: str
) -> Appointment:
    """The appointment if this actor may act on it; ``NotFound`` hides the others."""
    actor = session.get(User, actor_id)
    if actor is None or actor.role != actor_role or not actor.is_active:
        raise Forbidden("You are not allowed to change this appointment.")
    appointment = session.get(Appointment, str(appointment_id), populate_existing=True)
    if appointment is None:
        raise NotFound("Appointment not found.")
    if actor_role == Role.ADMIN:
        return appointment
    if actor_role == Role.PATIENT and appointment.patient_id == actor_id:
        return appointment
    if actor_role == Role.DOCTOR:
        own = session.exec(select(Doctor.id).where(Doctor.user_id == actor_id)).first()
        if own is not None and own == appointment.doctor_id:
            return appointment
    raise NotFound("Appointment not found.")


def _cancel_reason(reason: str | None, actor_role: str) -> str:
    text = " ".join((reason or "").split())
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 500 characters."})
    if text:
        return text
    if actor_role == Role.PATIENT:
        return PATIENT_CANCEL_REASON
    raise ValidationFailed({"reason": "Please give a reason for the cancellation."})


def _refuse_cancel(
    session: Session, appointment: Appointment, actor_role: str, now: datetime
) -> None:
    status = appointment.status
    if status == AppointmentStatus.CANCELLED:
        raise Conflict("This appointment is already cancelled.")
    if status == AppointmentStatus.COMPLETED:
        raise Conflict("A completed appointment cannot be cancelled.")
    if status == AppointmentStatus.NO_SHOW:
        raise Conflict("This appointment was marked as a no-show and cannot be cancelled.")
    if status == AppointmentStatus.EXPIRED or expire_if_stale(session, appointment, now=now):
        raise Conflict("This booking has already expired; its slot is free again.")
    if status == _PENDING and appointment.payment_status == PROCESSING:
        raise Conflict("A payment for this booking is in progress. Please try again shortly.")
    if status == _CONFIRMED and actor_role == Role.PATIENT and appointment.start_at <= now:
        raise Conflict("This appointment has already started or passed and cannot be cancelled.")
    if status not in (_PENDING, _CONFIRMED):
        raise Conflict("This appointment cannot be cancelled.")


def cancel(
    session: Session,
    *,
    appointment_id: str,
    actor_id: int,
    actor_role: str,
    reason: str | None,
    now: datetime,
) -> Appointment:
    """Cancel a pending or confirmed appointment, refunding a successful payment.

    Patients cancel their own future appointments; a doctor their own patients'; an
    admin any (doctors and admins must give a reason).
    """
    now = utc(now)
    appointment = _visible_appointment(session, appointment_id, actor_id, actor_role)
    text = _cancel_reason(reason, actor_role)
    _refuse_cancel(session, appointment, actor_role, now)
    paid = appointment.payment_status == PaymentStatus.SUCCESS
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == appointment.status,
            col(Appointment.payment_status) == appointment.payment_status,
            col(Appointment.start_at) == appointment.start_at,
        ).values(
            status=AppointmentStatus.CANCELLED.value,
            cancelled_at=now,
            cancelled_by_user_id=actor_id,
            cancel_reason=text,
        )
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(_CHANGED)
    if paid:
        refund(
            session,
            appointment=appointment,
            actor_id=actor_id,
            actor_role=actor_role,
            reason=text,
            now=now,
        )
    audit_event(
        session,
        action="cancelled",
        appointment_id=appointment.id,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=text,
        detail={"from_status": appointment.status, "refunded": paid},
    )
    session.commit()
    session.refresh(appointment)
    return appointment


def reschedule(
    session: Session,
    *,
    appointment_id: str,
    patient_id: int,
    new_start_at: datetime,
    now: datetime,
) -> Appointment:
    """Move the patient's confirmed future appointment to another free slot of its doctor.

    One UPDATE of the same row: the slot index accepts the new (doctor, start) and lets go
    of the old one in the same statement, so the old slot is never freed before the new
    one is held. The payment stays with the appointment.
    """
    now, new_start = utc(now), utc(new_start_at)
    appointment = session.get(Appointment, str(appointment_id), populate_existing=True)
    if appointment is None or appointment.patient_id != patient_id:
        raise NotFound("Appointment not found.")
    if appointment.status == _PENDING:
        raise Conflict("Complete the payment first, then you can reschedule.")
    if appointment.status != _CONFIRMED:
        raise Conflict("Only a confirmed appointment can be rescheduled.")
    if appointment.start_at <= now:
        raise Conflict("This appointment has already started or passed.")
    if new_start == appointment.start_at:
        raise SlotUnavailable("Your appointment is already at that time.")
    _require_patient(session, patient_id)
    doctor = _require_doctor(session, appointment.doctor_id)
    slot = _free_slot(session, doctor=doctor, start_at=new_start, now=now)
    _check_no_overlap(session, patient_id=patient_id, slot=slot, now=now, ignore_id=appointment.id)
    old_start = appointment.start_at
    try:
        session.exec(_expire_stale_holds(doctor.id, slot.start_at, now))
        result = session.exec(
            update_appointment(
                col(Appointment.id) == appointment.id,
                col(Appointment.status) == _CONFIRMED,
                col(Appointment.start_at) == old_start,
            ).values(start_at=slot.start_at, end_at=slot.end_at)
        )
        if result.rowcount != 1:
            session.rollback()
            raise Conflict(_CHANGED)
        audit_event(
            session,
            action="rescheduled",
            appointment_id=appointment.id,
            actor_id=patient_id,
            actor_role=Role.PATIENT,
            now=now,
            detail={"from": old_start.isoformat(), "to": slot.start_at.isoformat()},
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        raise SlotUnavailable(SLOT_JUST_TAKEN) from None
    session.refresh(appointment)
    return appointment


def expire_holds(session: Session, *, now: datetime) -> int:
    """The periodic sweep: pending bookings whose hold ran out become ``expired``.

    Also fails payment attempts stuck in ``Processing`` for over five minutes (their
    bookings then expire like any other once their hold has run out). Returns how many
    bookings expired.
    """
    now = utc(now)
    reset_stuck_payments(session, now=now)
    result = session.exec(
        update_appointment(
            col(Appointment.status) == _PENDING,
            col(Appointment.payment_status) != PROCESSING,
            col(Appointment.hold_expires_at).is_not(None),
            col(Appointment.hold_expires_at) <= now,
        ).values(status=AppointmentStatus.EXPIRED.value)
    )
    session.commit()
    return int(result.rowcount)


__all__ = [
    "AppointmentView",
    "SLOT_JUST_TAKEN",
    "book",
    "cancel",
    "clean_reason",
    "expire_holds",
    "get_appointment",
    "hold_expired_message",
    "list_appointments",
    "reschedule",
    "time_status",
]
