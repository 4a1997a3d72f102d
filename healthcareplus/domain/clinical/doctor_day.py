"""The doctor's own practice: today's and upcoming visits, one visit with the patient's
history and record, and closing a visit (completed, no-show, cancelled).

Every function takes the doctor's id as resolved from the signed-in user
(``doctor_for_user``); an appointment of another doctor is ``NotFound``, exactly like one
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_local_date,
    format_local_time,
    format_rupees,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    Hospital,
    Role,
    Treatment,
    User,
)
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.booking.views import time_status
from healthcareplus.domain.clinical.records import (
    TreatmentRecord,
    age_label,
    clean_appointment_id,
    treatment_for_doctor,
)
from healthcareplus.domain.payments.ledger import PROCESSING, audit_event, update_appointment
from healthcareplus.domain.payments.methods import method_label

UPCOMING_DAYS = 7
TO_CLOSE_DAYS = 14  # confirmed visits that started this recently and still need closing
HISTORY_LIMIT = 20
LIST_LIMIT = 200
REASON_MIN, REASON_MAX = 3, 500
NOT_A_DOCTOR = "Only a doctor with a practice profile can open the doctor portal."
CHANGED = "This appointment was just changed. Please reload and try again."
STATUS_LABELS = {
    "upcoming": "Upcoming",
    "pending_payment": "Awaiting payment",
    "completed": "Completed",
    "missed": "No-show",
    "cancelled": "Cancelled",
    "expired": "Expired",
}
_CONFIRMED = AppointmentStatus.CONFIRMED.value
_PENDING = AppointmentStatus.PENDING_PAYMENT.value
_SHOWN = (_CONFIRMED, AppointmentStatus.COMPLETED.value, AppointmentStatus.NO_SHOW.value)


@dataclass(frozen=True)
class VisitRow:
    appointment_id: str
    patient_name: str
    age_label: str  # "34 years" or ""
    reason: str
    status: str
    time_status: str
    status_label: str
    payment_status: str
    date_label: str
    time_label: str  # start, clinic time
    start_at: datetime


@dataclass(frozen=True)
class DashboardCounts:
    today: int
    this_week: int  # Monday..Sunday of the clinic's current week
    patients_seen: int  # distinct patients with a completed visit


@dataclass(frozen=True)
class Dashboard:
    doctor_name: str
    hospital_name: str
    today_label: str
    today: tuple[VisitRow, ...]
    upcoming: tuple[VisitRow, ...]  # the next seven days, today excluded
    to_close: tuple[VisitRow, ...]  # confirmed visits already started, not yet closed
    counts: DashboardCounts


@dataclass(frozen=True)
class PatientProfile:
    name: str
    age_label: str
    gender: str
    blood_group: str
    allergies: str
    medical_history: str
    phone: str


@dataclass(frozen=True)
class HistoryRow:
    appointment_id: str
    date_label: str
    status_label: str
    diagnosis: str  # "" when no record was written


@dataclass(frozen=True)
class VisitDetail:
    appointment_id: str
    date_label: str
    time_label: str
    reason: str
    status: str
    time_status: str
    status_label: str
    payment_status: str
    payment_method: str
    fee_label: str
    cancel_reason: str
    can_complete: bool
    can_no_show: bool
    can_cancel: bool
    can_treat: bool
    patient: PatientProfile
    history: tuple[HistoryRow, ...]
    treatment: TreatmentRecord | None


@dataclass(frozen=True)
class VisitOutcome:
    appointment_id: str
    status: str
    message: str


# --- who -----------------------------------------------------------------------------------


def doctor_for_user(session: Session, *, user_id: int) -> Doctor:
    """The doctor profile of an active, unblocked doctor account; ``Forbidden`` otherwise."""
    user = session.get(User, user_id) if type(user_id) is int else None
    if user is None or user.role != Role.DOCTOR or not user.is_active or user.is_blocked:
        raise Forbidden(NOT_A_DOCTOR)
    doctor = session.exec(select(Doctor).where(Doctor.user_id == user.id)).first()
    if doctor is None or not doctor.is_active:
        raise Forbidden(NOT_A_DOCTOR)
    return doctor


def _acting_doctor(session: Session, doctor_id: int, actor_id: int) -> Doctor:
    doctor = doctor_for_user(session, user_id=actor_id)
    if doctor.id != doctor_id:
        raise Forbidden("You can only change your own appointments.")
    return doctor


def _own(session: Session, doctor_id: int, appointment_id: object) -> Appointment:
    appointment = session.get(
        Appointment, clean_appointment_id(appointment_id), populate_existing=True
    )
    if appointment is None or appointment.doctor_id != doctor_id:
        raise NotFound("Appointment not found.")
    return appointment


# --- the dashboard -------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    zone = get_settings().clinic_zone
    return datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)


def _live(now: datetime) -> ColumnElement[bool]:
    """Slot-holding appointments worth showing: confirmed/closed, or a live payment hold."""
    hold = col(Appointment.hold_expires_at)
    return or_(
        col(Appointment.status).in_(_SHOWN),
        and_(
            col(Appointment.status) == _PENDING,
            or_(hold.is_(None), hold > now, col(Appointment.payment_status) == PROCESSING),
        ),
    )


def _visit_row(appointment: Appointment, patient: User, now: datetime) -> VisitRow:
    status = time_status(appointment, now)
    return VisitRow(
        appointment_id=appointment.id,
        patient_name=patient.name,
        age_label=age_label(patient.date_of_birth, clinic_today(now)),
        reason=appointment.reason,
        status=appointment.status,
        time_status=status,
        status_label=_status_label(appointment, status),
        payment_status=appointment.payment_status,
        date_label=format_local_date(appointment.start_at),
        time_label=format_local_time(appointment.start_at),
        start_at=appointment.start_at,
    )


def _status_label(appointment: Appointment, status: str) -> str:
    if appointment.status == _CONFIRMED and status == "completed":
        return "To close"  # the visit time is over but nobody marked it yet
    return STATUS_LABELS.get(status, status)


def _rows(session: Session, *where: ColumnElement[bool], now: datetime) -> list[VisitRow]:
    query = (
        select(Appointment, User)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(*where)
        .order_by(col(Appointment.start_at))
        .limit(LIST_LIMIT)
    )
    return [_visit_row(a, p, now) for a, p in session.exec(query)]


def dashboard(session: Session, *, doctor_id: int, now: datetime) -> Dashboard:
    """Today's visits in time order, the next seven days, visits to close, and counts."""
    now = utc(now)
    doctor = session.get(Doctor, doctor_id)
    if doctor is None:
        raise NotFound("Doctor not found.")
    hospital = session.get(Hospital, doctor.hospital_id)
    today = clinic_today(now)
    day_start = _local_midnight(today)
    tomorrow = _local_midnight(today + timedelta(days=1))
    horizon = _local_midnight(today + timedelta(days=UPCOMING_DAYS + 1))
    week_start = _local_midnight(today - timedelta(days=today.weekday()))
    week_end = _local_midnight(today + timedelta(days=7 - today.weekday()))
    mine = col(Appointment.doctor_id) == doctor_id
    start = col(Appointment.start_at)
    window = _rows(session, mine, start >= day_start, start < horizon, _live(now), now=now)
    to_close = _rows(
        session,
        mine,
        start >= now - timedelta(days=TO_CLOSE_DAYS),
        start < day_start,  # today's show in today's list
        col(Appointment.status) == _CONFIRMED,
        now=now,
    )
    week = session.exec(
        select(func.count()).where(mine, start >= week_start, start < week_end, _live(now))
    ).one()
    seen = session.exec(
        select(func.count(func.distinct(Appointment.patient_id))).where(
            mine, col(Appointment.status) == AppointmentStatus.COMPLETED.value
        )
    ).one()
    today_rows = tuple(r for r in window if r.start_at < tomorrow)
    return Dashboard(
        doctor_name=doctor.name,
        hospital_name=hospital.name if hospital else "",
        today_label=format_date(today),
        today=today_rows,
        upcoming=tuple(r for r in window if r.start_at >= tomorrow),
        to_close=tuple(to_close),
        counts=DashboardCounts(today=len(today_rows), this_week=int(week), patients_seen=int(seen)),
    )


def change_marker(session: Session, *, doctor_id: int, now: datetime) -> str:
    """A cheap fingerprint of what the dashboard shows; it moves when anything changes.

    The newest audit entry (every booking, payment and action writes one), and per status
    the count, newest ``booked_at`` and how many have started, over the dashboard's window
    (an indexed range of this doctor's appointments). Hold expiry and the clock reaching
    a visit's start change it too, though neither writes an audit entry.
    """
    now = utc(now)
    today = clinic_today(now)
    start = col(Appointment.start_at)
    latest = session.exec(select(func.max(AuditEvent.id))).one()
    rows = session.exec(
        select(
            Appointment.status,
            func.count(),
            func.max(Appointment.booked_at),
            func.sum(case((start <= now, 1), else_=0)),
        )
        .where(
            Appointment.doctor_id == doctor_id,
            start >= now - timedelta(days=TO_CLOSE_DAYS),
            start < _local_midnight(today + timedelta(days=UPCOMING_DAYS + 1)),
        )
        .group_by(col(Appointment.status))
        .order_by(col(Appointment.status))
    ).all()
    parts = [f"{status}:{count}:{booked}:{started}" for status, count, booked, started in rows]
    return f"{latest}|{today.isoformat()}|" + ";".join(parts)


# --- one visit -----------------------------------------------------------------------------


def _hold_live(appointment: Appointment, now: datetime) -> bool:
    hold = appointment.hold_expires_at
    return appointment.payment_status == PROCESSING or hold is None or hold > now


def _history(session: Session, appointment: Appointment) -> tuple[HistoryRow, ...]:
    """The patient's earlier appointments with the same doctor, latest first."""
    rows = session.exec(
        select(Appointment, Treatment.diagnosis)
        .outerjoin(Treatment, col(Treatment.appointment_id) == Appointment.id)
        .where(
            Appointment.patient_id == appointment.patient_id,
            Appointment.doctor_id == appointment.doctor_id,
            col(Appointment.start_at) < appointment.start_at,
            col(Appointment.status).in_([*_SHOWN, AppointmentStatus.CANCELLED.value]),
        )
        .order_by(col(Appointment.start_at).desc())
        .limit(HISTORY_LIMIT)
    )
    return tuple(
        HistoryRow(
            appointment_id=earlier.id,
            date_label=format_local_date(earlier.start_at),
            status_label=_status_label(earlier, time_status(earlier, earlier.end_at)),
            diagnosis=diagnosis or "",
        )
        for earlier, diagnosis in rows
    )


def visit(session: Session, *, doctor_id: int, appointment_id: str, now: datetime) -> VisitDetail:
    """One of the doctor's appointments with the patient's profile, their earlier visits
    with this doctor and the treatment record (if written)."""
    now = utc(now)
    appointment = _own(session, doctor_id, appointment_id)
    patient = session.get(User, appointment.patient_id)
    assert patient is not None  # a foreign key
    status = time_status(appointment, now)
    started = appointment.start_at <= now
    confirmed = appointment.status == _CONFIRMED
    pending = appointment.status == _PENDING and _hold_live(appointment, now)
    return VisitDetail(
        appointment_id=appointment.id,
        date_label=format_local_date(appointment.start_at),
        time_label=format_local_time(appointment.start_at),
        reason=appointment.reason,
        status=appointment.status,
        time_status=status,
        status_label=_status_label(appointment, status),
        payment_status=appointment.payment_status,
        payment_method=method_label(appointment.payment_method),
        fee_label=format_rupees(appointment.fee_paise),
        cancel_reason=appointment.cancel_reason or "",
        can_complete=confirmed and started,
        can_no_show=confirmed and started,
        can_cancel=(confirmed and not started)
        or (pending and appointment.payment_status != PROCESSING),
        can_treat=started and appointment.status in (_CONFIRMED, "completed"),
        patient=PatientProfile(
            name=patient.name,
            age_label=age_label(patient.date_of_birth, clinic_today(now)),
            gender=patient.gender or "",
            blood_group=patient.blood_group or "",
            allergies=patient.allergies,
            medical_history=patient.medical_history,
            phone=patient.phone,
        ),
        history=_history(session, appointment),
        treatment=treatment_for_doctor(session, doctor_id=doctor_id, appointment_id=appointment.id),
    )


# --- closing a visit -----------------------------------------------------------------------


def _close(
    session: Session,
    *,
    doctor_id: int,
    appointment_id: str,
    actor_id: int,
    now: datetime,
    to_status: str,
) -> VisitOutcome:
    now = utc(now)
    _acting_doctor(session, doctor_id, actor_id)
    appointment = _own(session, doctor_id, appointment_id)
    what = "completed" if to_status == AppointmentStatus.COMPLETED else "marked as a no-show"
    if appointment.status != _CONFIRMED:
        label = STATUS_LABELS.get(time_status(appointment, now), appointment.status).lower()
        raise Conflict(f"Only a confirmed visit can be {what}; this one is {label}.")
    if appointment.start_at > now:
        raise Conflict(f"This visit has not started yet, so it cannot be {what}.")
    stamp = {"completed_at": now} if to_status == "completed" else {"no_show_at": now}
    result = session.exec(
        update_appointment(
            col(Appointment.id) == appointment.id,
            col(Appointment.status) == _CONFIRMED,
            col(Appointment.start_at) <= now,
        ).values(status=to_status, **stamp)
    )
    if result.rowcount != 1:
        session.rollback()
        raise Conflict(CHANGED)
    audit_event(
        session,
        action=to_status,
        appointment_id=appointment.id,
        actor_id=actor_id,
        actor_role=Role.DOCTOR,
        now=now,
        detail={"start_at": appointment.start_at.isoformat()},
    )
    session.commit()
    message = "Visit marked completed." if to_status == "completed" else "Marked as a no-show."
    return VisitOutcome(appointment_id=appointment.id, status=to_status, message=message)


def mark_completed(
    session: Session, *, doctor_id: int, appointment_id: str, actor_id: int, now: datetime
) -> VisitOutcome:
    """A confirmed visit whose start time has come becomes ``completed``."""
    return _close(
        session,
        doctor_id=doctor_id,
        appointment_id=appointment_id,
        actor_id=actor_id,
        now=now,
        to_status=AppointmentStatus.COMPLETED.value,
    )


def mark_no_show(
    session: Session, *, doctor_id: int, appointment_id: str, actor_id: int, now: datetime
) -> VisitOutcome:
    """A confirmed visit whose start time has passed without the patient: ``no_show``."""
    return _close(
        session,
        doctor_id=doctor_id,
        appointment_id=appointment_id,
        actor_id=actor_id,
        now=now,
        to_status=AppointmentStatus.NO_SHOW.value,
    )


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
    sees; a paid one is refunded (``booking.cancel``). A started visit is closed instead."""
    now = utc(now)
    _acting_doctor(session, doctor_id, actor_id)
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) < REASON_MIN:
        raise ValidationFailed({"reason": "Tell the patient why the visit is cancelled."})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 500 characters."})
    appointment = _own(session, doctor_id, appointment_id)
    if appointment.status == _CONFIRMED and appointment.start_at <= now:
        raise Conflict("This visit has already started: mark it completed or a no-show instead.")
    cancelled = booking.cancel(
        session,
        appointment_id=appointment.id,
        actor_id=actor_id,
        actor_role=Role.DOCTOR,
        reason=text,
        now=now,
    )
    refunded = cancelled.payment_status == "Refunded"
    message = "Appointment cancelled." + (" The payment is refunded." if refunded else "")
    return VisitOutcome(appointment_id=cancelled.id, status=cancelled.status, message=message)


__all__ = [
    "Dashboard",
    "DashboardCounts",
    "HistoryRow",
    "PatientProfile",
    "VisitDetail",
    "VisitOutcome",
    "VisitRow",
    "cancel_visit",
    "change_marker",
    "dashboard",
    "doctor_for_user",
    "mark_completed",
    "mark_no_show",
    "visit",
]
