"""The dashboard's appointment table: the filtered appointments, one server-side page.

One query joined with patient, doctor, hospital and city, in the filters' sort. Each row
carries the ``can_*`` flags of ``admin_rules.allowed_actions`` (the same rules the
``admin_actions`` services enforce), so the page shows only the sensible actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import format_local_date, format_local_time, format_rupees, utc
from healthcareplus.core.models import Appointment, AppointmentStatus, City, Doctor, Hospital, User
from healthcareplus.domain.admin.actions import rules_for
from healthcareplus.domain.admin.dashboard import ResultPage, page_numbers, result_page
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.booking.views import time_status
from healthcareplus.domain.payments.methods import method_label

PAGE_SIZE = 20
_APPOINTMENT_ID = re.compile(r"[0-9a-fA-F-]{1,36}")
_SORTS: dict[str, tuple[Any, ...]] = {
    "start_desc": (col(Appointment.start_at).desc(), col(Appointment.id)),
    "start_asc": (col(Appointment.start_at), col(Appointment.id)),
    "booked_desc": (col(Appointment.booked_at).desc(), col(Appointment.id)),
    "fee_desc": (col(Appointment.fee_paise).desc(), col(Appointment.start_at).desc()),
}


@dataclass(frozen=True)
class AdminAppointmentRow:
    id: str
    short_id: str  # first 8 characters, for people
    patient_id: int
    patient_name: str
    patient_email: str
    patient_phone: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    date_label: str  # clinic time: "Mon, 23 Nov 2026"
    time_label: str  # "09:30 AM"
    booked_label: str  # "Sun, 22 Nov 2026, 06:10 PM"
    reason: str
    status: str  # AppointmentStatus value
    time_status: str  # upcoming / pending_payment / completed / missed / cancelled / expired
    display_status: str  # time_status, but "visit_passed" for a confirmed visit now over
    payment_status: str
    payment_method: str  # label, "" when none chosen yet
    fee_paise: int
    fee_label: str
    transaction_id: str
    cancel_reason: str
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool


def _query() -> Any:
    return (
        select(
            Appointment,
            User.name,
            User.email,
            User.phone,
            Doctor.name,
            Doctor.specialization,
            Hospital.name,
            City.name,
        )
        .join(User, col(User.id) == Appointment.patient_id)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
    )


def _row(result: Any, now: datetime) -> AdminAppointmentRow:
    appointment, patient, email, phone, doctor, specialization, hospital, city = result
    rules = rules_for(appointment, now)
    booked = appointment.booked_at
    shown = time_status(appointment, now)
    # Not marked completed or no-show yet: the admin should see it is still open.
    passed = shown == "completed" and appointment.status == AppointmentStatus.CONFIRMED
    return AdminAppointmentRow(
        id=appointment.id,
        short_id=appointment.id[:8],
        patient_id=appointment.patient_id,
        patient_name=patient,
        patient_email=email,
        patient_phone=phone,
        doctor_id=appointment.doctor_id,
        doctor_name=doctor,
        specialization=specialization,
        hospital_name=hospital,
        city_name=city,
        date_label=format_local_date(appointment.start_at),
        time_label=format_local_time(appointment.start_at),
        booked_label=f"{format_local_date(booked)}, {format_local_time(booked)}",
        reason=appointment.reason,
        status=appointment.status,
        time_status=shown,
        display_status="visit_passed" if passed else shown,
        payment_status=appointment.payment_status,
        payment_method=method_label(appointment.payment_method),
        fee_paise=appointment.fee_paise,
        fee_label=format_rupees(appointment.fee_paise),
        transaction_id=appointment.transaction_id or "",
        cancel_reason=appointment.cancel_reason or "",
        can_cancel=rules.can_cancel,
        can_no_show=rules.can_no_show,
        can_refund=rules.can_refund,
        can_mark_paid=rules.can_mark_paid,
    )


def list_appointments(
    session: Session, *, filters: AdminFilters, now: datetime, page_size: int = PAGE_SIZE
) -> ResultPage[AdminAppointmentRow]:
    """One page of the filtered appointments in the filters' order (default: latest
    visit first); a page past the end shows the last page."""
    now = utc(now)
    page_size = min(max(int(page_size), 1), 100)
    where = filters.where()
    total = session.exec(select(func.count()).select_from(Appointment).where(where)).one()
    page, _, offset = page_numbers(total, filters.page, page_size)
    rows = session.exec(
        _query()
        .where(where)
        .order_by(*_SORTS.get(filters.sort, _SORTS["start_desc"]))
        .offset(offset)
        .limit(page_size)
    ).all()
    items = [_row(r, now) for r in rows]
    return result_page(items, total=total, page=page, page_size=page_size)


def _clean_id(appointment_id: object) -> str:
    text = appointment_id.strip() if isinstance(appointment_id, str) else ""
    if not _APPOINTMENT_ID.fullmatch(text):
        raise NotFound("Appointment not found.")
    return text.lower()


def get_appointment_row(
    session: Session, *, appointment_id: str, now: datetime
) -> AdminAppointmentRow:
    """One appointment as the list shows it (any patient's: the caller is an admin)."""
    row = session.exec(_query().where(col(Appointment.id) == _clean_id(appointment_id))).first()
    if row is None:
        raise NotFound("Appointment not found.")
    return _row(row, utc(now))


__all__ = [
    "PAGE_SIZE",
    "AdminAppointmentRow",
    "get_appointment_row",
    "list_appointments",
]
