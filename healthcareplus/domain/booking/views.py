"""What the patient's pages show of an appointment: one flat, frozen view per row.

Each list is one SQL query (appointment joined with doctor, hospital and city).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import and_, not_, or_
from sqlmodel import Session, col, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import (
    format_local_date,
    format_local_time,
    format_rupees,
    initials,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    PaymentStatus,
)
from healthcareplus.domain.payments.ledger import PROCESSING
from healthcareplus.domain.payments.methods import method_label

TimeStatus = Literal["upcoming", "pending_payment", "completed", "missed", "cancelled", "expired"]
Tab = Literal["upcoming", "past"]
MAX_LIMIT = 200


@dataclass(frozen=True)
class AppointmentView:
    id: str
    doctor_id: int
    doctor_name: str
    doctor_initials: str
    specialization: str
    hospital_id: int
    hospital_name: str
    hospital_address: str
    city_name: str
    start_at: datetime  # aware UTC
    end_at: datetime  # aware UTC
    date_label: str  # "Mon, 23 Nov 2026" (clinic time)
    time_label: str  # "09:30 AM" (clinic time)
    reason: str
    status: str  # AppointmentStatus value
    time_status: str  # TimeStatus
    payment_status: str  # PaymentStatus value (or "Processing" during a gateway call)
    payment_method: str  # label: "UPI", "Card", "Net Banking", "Wallet", "Pay at Clinic", ""
    payment_method_code: str  # PaymentMethod value or ""
    fee_paise: int
    fee_label: str  # "₹500"
    transaction_id: str  # "" when none
    booked_at: datetime
    hold_expires_at: datetime | None  # set while a payment hold runs
    paid_at: datetime | None
    cancel_reason: str  # "" when not cancelled
    refunded: bool
    can_cancel: bool
    can_reschedule: bool
    can_pay: bool


def _hold_is_live(appointment: Appointment, now: datetime) -> bool:
    hold = appointment.hold_expires_at
    return appointment.payment_status == PROCESSING or hold is None or hold > now


def time_status(appointment: Appointment, now: datetime) -> TimeStatus:
    """Where the appointment stands for lists and the dashboard (see docs/domain.md)."""
    status = appointment.status
    if status == AppointmentStatus.CONFIRMED:
        return "upcoming" if appointment.end_at > now else "completed"
    if status == AppointmentStatus.COMPLETED:
        return "completed"
    if status == AppointmentStatus.NO_SHOW:
        return "missed"
    if status == AppointmentStatus.CANCELLED:
        return "cancelled"
    if status == AppointmentStatus.PENDING_PAYMENT and _hold_is_live(appointment, now):
        return "pending_payment"
    return "expired"


def _view(row: Any, now: datetime) -> AppointmentView:
    appointment, doctor_name, specialization, hospital_name, address, city_name = row
    status = time_status(appointment, now)
    future = appointment.start_at > now
    pending_live = status == "pending_payment"
    return AppointmentView(
        id=appointment.id,
        doctor_id=appointment.doctor_id,
        doctor_name=doctor_name,
        doctor_initials=initials(doctor_name),
        specialization=specialization,
        hospital_id=appointment.hospital_id,
        hospital_name=hospital_name,
        hospital_address=address,
        city_name=city_name,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        date_label=format_local_date(appointment.start_at),
        time_label=format_local_time(appointment.start_at),
        reason=appointment.reason,
        status=appointment.status,
        time_status=status,
        payment_status=appointment.payment_status,
        payment_method=method_label(appointment.payment_method),
        payment_method_code=appointment.payment_method or "",
        fee_paise=appointment.fee_paise,
        fee_label=format_rupees(appointment.fee_paise),
        transaction_id=appointment.transaction_id or "",
        booked_at=appointment.booked_at,
        hold_expires_at=appointment.hold_expires_at,
        paid_at=appointment.paid_at,
        cancel_reason=appointment.cancel_reason or "",
        refunded=appointment.payment_status == PaymentStatus.REFUNDED,
        can_cancel=(status == "upcoming" and future)
        or (pending_live and appointment.payment_status != PROCESSING),
        can_reschedule=status == "upcoming" and future,
        can_pay=pending_live and appointment.payment_status != PROCESSING,
    )


def _query() -> Any:
    return (
        select(
            Appointment,
            Doctor.name,
            Doctor.specialization,
            Hospital.name,
            Hospital.address,
            City.name,
        )
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
    )


def _upcoming(now: datetime) -> Any:
    hold = col(Appointment.hold_expires_at)
    live_pending = and_(
        col(Appointment.status) == AppointmentStatus.PENDING_PAYMENT.value,
        or_(hold.is_(None), hold > now, col(Appointment.payment_status) == PROCESSING),
    )
    return and_(
        col(Appointment.end_at) > now,
        or_(col(Appointment.status) == AppointmentStatus.CONFIRMED.value, live_pending),
    )


def get_appointment(
    session: Session, *, appointment_id: str, patient_id: int, now: datetime
) -> AppointmentView:
    """One of the patient's appointments; ``NotFound`` for anyone else's."""
    row = session.exec(
        _query().where(
            col(Appointment.id) == str(appointment_id),
            col(Appointment.patient_id) == patient_id,
        )
    ).first()
    if row is None:
        raise NotFound("Appointment not found.")
    return _view(row, utc(now))


def list_appointments(
    session: Session, *, patient_id: int, tab: Tab, now: datetime, limit: int = 50
) -> list[AppointmentView]:
    """The patient's upcoming appointments (soonest first) or past ones (latest first).

    Upcoming: confirmed, or pending with a live hold, and not yet over. Past: the rest.
    """
    if tab not in ("upcoming", "past"):
        raise ValueError(f"unknown tab {tab!r}")
    now = utc(now)
    limit = min(max(int(limit), 0), MAX_LIMIT)
    query = _query().where(col(Appointment.patient_id) == patient_id)
    if tab == "upcoming":
        query = query.where(_upcoming(now)).order_by(col(Appointment.start_at), col(Appointment.id))
    else:
        query = query.where(not_(_upcoming(now))).order_by(
            col(Appointment.start_at).desc(), col(Appointment.id)
        )
    return [_view(row, now) for row in session.exec(query.limit(limit))]


__all__ = [
    "AppointmentView",
    "Tab",
    "TimeStatus",
    "get_appointment",
    "list_appointments",
    "time_status",
]
