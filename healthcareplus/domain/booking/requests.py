"""Bookings a doctor confirms himself ("confirm bookings myself", seed 004's approve and
reject).

With the setting on, a patient's booking is a request (``book``): it holds its slot, and
cannot be paid, until the doctor accepts it (then the patient pays or chooses Pay at
Clinic as usual, within ``HCP_REQUEST_ANSWER_HOURS``) or declines it (the slot is free
again). A request he does not answer in time lapses in the lifecycle's expiry sweep.
Each answer is a lifecycle transition, so the patient is told and the waitlist hears of
a freed slot in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, write_audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Forbidden, NotFound, ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import format_local_date, format_local_time, utc
from healthcareplus.core.models import Appointment, Doctor, Role, User
from healthcareplus.core.validation import REASON_MAX
from healthcareplus.domain.accounts.actors import acting_user
from healthcareplus.domain.notifications.reminders import schedule_accepted_request_nudge
from healthcareplus.domain.scheduling import lifecycle

NOT_A_DOCTOR = "Only a doctor with an active profile can answer booking requests."
NOT_FOUND = "Request not found."
SETTING_CHANGED = "confirms_bookings_changed"  # the audit action of the setting


@dataclass(frozen=True)
class RequestRow:
    appointment_id: str
    patient: str  # the person the visit is for
    booked_by: str  # the account holder, when the visit is for a family member
    when: str  # clinic time
    reason: str
    answer_by: str  # the deadline, clinic time


def _own_doctor(session: Session, actor_id: object) -> Doctor:
    user = acting_user(session, actor_id, Role.DOCTOR, refusal=NOT_A_DOCTOR)
    doctor = session.exec(select(Doctor).where(col(Doctor.user_id) == user.id)).first()
    if doctor is None or doctor.id is None or not doctor.is_active:
        raise Forbidden(NOT_A_DOCTOR)
    return doctor


def _when(instant: datetime) -> str:
    return f"{format_local_date(instant)} · {format_local_time(instant)}"


def open_requests(session: Session, *, actor_id: object, now: datetime) -> list[RequestRow]:
    """The signed-in doctor's requests still waiting for his answer, most urgent first."""
    doctor = _own_doctor(session, actor_id)
    now = utc(now)
    rows = session.exec(
        select(Appointment, User, Dependant)
        .join(User, col(User.id) == col(Appointment.patient_id))
        .outerjoin(Dependant, col(Dependant.id) == col(Appointment.dependant_id))
        .where(
            col(Appointment.doctor_id) == doctor.id,
            col(Appointment.status) == lifecycle.PENDING,
            col(Appointment.awaiting_doctor).is_(True),
            col(Appointment.hold_expires_at) > now,
            col(Appointment.start_at) > now,
        )
        .order_by(col(Appointment.hold_expires_at), col(Appointment.start_at))
    ).all()
    return [
        RequestRow(
            appointment_id=a.id,
            patient=member.name if member is not None else holder.name,
            booked_by=holder.name if member is not None else "",
            when=_when(a.start_at),
            reason=a.reason,
            answer_by=_when(a.hold_expires_at or a.start_at),
        )
        for a, holder, member in rows
    ]


def _own_request(session: Session, doctor: Doctor, appointment_id: object) -> Appointment:
    appointment = session.get(Appointment, str(appointment_id)[:36], populate_existing=True)
    if appointment is None or appointment.doctor_id != doctor.id:
        raise NotFound(NOT_FOUND)
    return appointment


def accept_request(
    session: Session, *, actor_id: object, appointment_id: object, now: datetime
) -> Appointment:
    """The doctor accepts his patient's request: it now awaits payment (online or Pay at
    Clinic) for ``HCP_REQUEST_ANSWER_HOURS``, or until the visit if sooner."""
    doctor = _own_doctor(session, actor_id)
    appointment = _own_request(session, doctor, appointment_id)
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    window = timedelta(hours=get_settings().request_answer_hours)
    pay_by = min(by.now + window, appointment.start_at)
    values = {"awaiting_doctor": False, "hold_expires_at": pay_by}
    lifecycle.apply(session, appointment, lifecycle.ACCEPT_REQUEST, by, values=values)
    schedule_accepted_request_nudge(session, appointment, now=by.now)
    return appointment


def decline_request(
    session: Session, *, actor_id: object, appointment_id: object, reason: object, now: datetime
) -> Appointment:
    """The doctor declines his patient's request (an optional reason the patient reads):
    the booking is cancelled and its slot is free again."""
    doctor = _own_doctor(session, actor_id)
    text = " ".join(str(reason or "").split()) if isinstance(reason, str | None) else ""
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": f"Keep the reason under {REASON_MAX} characters."})
    appointment = _own_request(session, doctor, appointment_id)
    by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
    stamps = {
        "cancelled_at": by.now,
        "cancelled_by_user_id": by.id,
        "cancel_reason": text or "Declined by the doctor",
        "awaiting_doctor": False,
    }
    transition = lifecycle.DECLINE_REQUEST
    return lifecycle.apply(session, appointment, transition, by, values=stamps, reason=text or None)


def confirms_bookings(session: Session, *, actor_id: object) -> bool:
    """Whether the signed-in doctor confirms bookings himself (his profile's setting)."""
    return _own_doctor(session, actor_id).confirms_bookings


def set_confirms_bookings(session: Session, *, actor_id: object, on: object, now: datetime) -> bool:
    """Turn the signed-in doctor's "confirm bookings myself" on or off. Requests already
    made still wait for his answer either way. Returns the setting."""
    doctor = _own_doctor(session, actor_id)
    value = on is True
    if doctor.confirms_bookings != value:
        session.execute(
            update(Doctor).where(col(Doctor.id) == doctor.id).values(confirms_bookings=value)
        )
        by = Actor(doctor.user_id, Role.DOCTOR, utc(now))
        write_audit(
            session, by, SETTING_CHANGED, entity="doctor", entity_id=doctor.id, detail={"on": value}
        )
        session.flush()
    return value


__all__ = [
    "NOT_A_DOCTOR",
    "RequestRow",
    "accept_request",
    "confirms_bookings",
    "decline_request",
    "open_requests",
    "set_confirms_bookings",
]
