"""The doctor's own practice: today's and upcoming visits, and one visit with the
patient's history and record. Closing a visit (completed, no-show, cancelled) and
recording a fee paid at the clinic are ``visit_closing``, re-exported here.

Every function takes the doctor's id as resolved from the signed-in user
(``doctor_for_user``); an appointment of another doctor is ``NotFound``, exactly like one
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, case, func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_local_date,
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
from healthcareplus.domain.accounts.dependants import relation_label
from healthcareplus.domain.booking.views import time_status, visit_labels
from healthcareplus.domain.clinical.doctor_queue import arrivals
from healthcareplus.domain.clinical.records import (
    TreatmentRecord,
    age_label,
    own_appointment,
    treatment_for_doctor,
)
from healthcareplus.domain.clinical.visit_closing import (
    VisitOutcome,
    cancel_visit,
    doctor_for_user,
    mark_completed,
    mark_no_show,
    record_clinic_payment,
)
from healthcareplus.domain.clinical.visit_labels import STATUS_LABELS, patient_key, status_label
from healthcareplus.domain.payments.clinic_payment import clinic_payment_refusal
from healthcareplus.domain.scheduling import lifecycle

UPCOMING_DAYS = 7
TO_CLOSE_DAYS = 14  # confirmed visits that started this recently and still need closing
HISTORY_LIMIT = 20
LIST_LIMIT = 200
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
    payment_method: str  # label, "" when none chosen yet
    fee_label: str
    transaction_id: str
    date_label: str
    time_label: str  # start, clinic time
    start_at: datetime
    booked_by: str = ""  # the account holder, when the visit is for their family member
    arrival: str = ""  # today's, once checked in at the desk: "Token 3 · waiting"


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
    phone: str  # the account holder's: the booking's contact
    # For a family member's visit: the account holder who booked it, and the relation.
    booked_by: str = ""
    relation: str = ""
    history_key: str = ""  # the person on "My patients" (``patient_key``)


@dataclass(frozen=True)
class HistoryRow:
    appointment_id: str
    start_at: datetime
    date_label: str
    status_label: str
    diagnosis: str  # "" when no record was written


@dataclass(frozen=True)
class VisitDetail:
    appointment_id: str
    start_at: datetime  # the instants behind the labels (UTC)
    end_at: datetime
    date_label: str
    time_label: str
    reason: str
    status: str
    time_status: str
    status_label: str
    payment_status: str
    payment_method: str
    fee_label: str
    transaction_id: str
    cancel_reason: str
    can_complete: bool
    can_no_show: bool
    can_cancel: bool
    can_reschedule: bool
    can_treat: bool
    can_record_payment: bool  # a Pay-at-Clinic fee still pending on a confirmed/completed visit
    patient: PatientProfile
    history: tuple[HistoryRow, ...]
    treatment: TreatmentRecord | None


# --- the dashboard -------------------------------------------------------------------------


def _local_midnight(day: date) -> datetime:
    zone = get_settings().clinic_zone
    return datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)


def _live(now: datetime) -> ColumnElement[bool]:
    """Slot-holding appointments worth showing: confirmed/closed, or a live payment hold."""
    return and_(col(Appointment.status).in_([*_SHOWN, _PENDING]), lifecycle.holds_slot_clause(now))


def _visit_row(
    appointment: Appointment, patient: User, dependant: Dependant | None, now: datetime
) -> VisitRow:
    labels = visit_labels(appointment, now)
    person = _profile(patient, dependant, clinic_today(now))
    return VisitRow(
        **labels,
        appointment_id=appointment.id,
        patient_name=person.name,
        age_label=person.age_label,
        reason=appointment.reason,
        status_label=status_label(appointment, labels["time_status"]),
        start_at=appointment.start_at,
        booked_by=person.booked_by,
    )


def _profile(patient: User, dependant: Dependant | None, today: date) -> PatientProfile:
    """The person the visit is for: the family member (booked by the account holder,
    who stays the contact) or the account holder."""
    person: User | Dependant = dependant or patient
    return PatientProfile(
        name=person.name,
        age_label=age_label(person.date_of_birth, today),
        gender=person.gender or "",
        blood_group=person.blood_group or "",
        allergies=person.allergies,
        medical_history=person.medical_history,
        phone=patient.phone,
        booked_by=patient.name if dependant else "",
        relation=relation_label(dependant.relation) if dependant else "",
        history_key=patient_key(patient.id or 0, dependant.id if dependant else None),
    )


def _rows(session: Session, *where: ColumnElement[bool], now: datetime) -> list[VisitRow]:
    query = (
        select(Appointment, User, Dependant)
        .join(User, col(User.id) == Appointment.patient_id)
        .outerjoin(Dependant, col(Dependant.id) == Appointment.dependant_id)
        .where(*where)
        .order_by(col(Appointment.start_at))
        .limit(LIST_LIMIT)
    )
    return [_visit_row(a, p, d, now) for a, p, d in session.exec(query)]


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
    arrived = arrivals(session, doctor_id=doctor_id, day=today)
    today_rows = tuple(
        replace(row, arrival=arrived.get(row.appointment_id, ""))
        for row in window
        if row.start_at < tomorrow
    )
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


def _history(session: Session, appointment: Appointment) -> tuple[HistoryRow, ...]:
    """The person's earlier appointments with the same doctor (the family member's, or
    the account holder's own), latest first."""
    person = (
        col(Appointment.dependant_id) == appointment.dependant_id
        if appointment.dependant_id is not None
        else col(Appointment.dependant_id).is_(None)
    )
    rows = session.exec(
        select(Appointment, Treatment.diagnosis)
        .outerjoin(Treatment, col(Treatment.appointment_id) == Appointment.id)
        .where(
            Appointment.patient_id == appointment.patient_id,
            person,
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
            start_at=earlier.start_at,
            date_label=format_local_date(earlier.start_at),
            status_label=status_label(earlier, time_status(earlier, earlier.end_at)),
            diagnosis=diagnosis or "",
        )
        for earlier, diagnosis in rows
    )


def visit(session: Session, *, doctor_id: int, appointment_id: str, now: datetime) -> VisitDetail:
    """One of the doctor's appointments with the profile of the person it is for (a
    family member's, naming who booked it), their earlier visits with this doctor and
    the treatment record (if written)."""
    now = utc(now)
    appointment = own_appointment(session, doctor_id, appointment_id)
    patient = session.get(User, appointment.patient_id)
    assert patient is not None  # a foreign key
    dependant = None
    if appointment.dependant_id is not None:
        dependant = session.get(Dependant, appointment.dependant_id)
    labels = visit_labels(appointment, now)
    started = appointment.start_at <= now

    def may(transition: lifecycle.Transition) -> bool:
        return lifecycle.allowed(transition, appointment, role=Role.DOCTOR, now=now)

    return VisitDetail(
        **labels,
        appointment_id=appointment.id,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        reason=appointment.reason,
        status_label=status_label(appointment, labels["time_status"]),
        cancel_reason=appointment.cancel_reason or "",
        can_complete=may(lifecycle.COMPLETE),
        can_no_show=may(lifecycle.MARK_NO_SHOW),
        can_cancel=may(lifecycle.CANCEL),
        can_reschedule=may(lifecycle.RESCHEDULE),
        can_treat=started and appointment.status in (_CONFIRMED, "completed"),
        can_record_payment=not clinic_payment_refusal(appointment),
        patient=_profile(patient, dependant, clinic_today(now)),
        history=_history(session, appointment),
        treatment=treatment_for_doctor(session, doctor_id=doctor_id, appointment_id=appointment.id),
    )


__all__ = [
    "STATUS_LABELS",
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
    "patient_key",
    "record_clinic_payment",
    "status_label",
    "visit",
]
