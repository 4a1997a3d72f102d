"""The dashboard's appointment table: the filtered appointments, one server-side page.

One query joined with patient, doctor, hospital and city, in the filters' sort. Each row
carries the ``can_*`` flags of ``rules.rules_for`` (the same rules the ``actions``
services enforce), so the page shows only the sensible actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import format_local_date, format_local_time, utc
from healthcareplus.core.models import Appointment, AppointmentStatus, User
from healthcareplus.core.paging import fetch_page
from healthcareplus.domain.admin.figures import ResultPage, result_page
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.rules import rules_for
from healthcareplus.domain.booking.views import (
    DOCTOR_AND_PLACE,
    appointment_query,
    clean_appointment_id,
    visit_labels,
)

PAGE_SIZE = 20
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
    start_at: datetime  # the instants behind the labels (UTC)
    end_at: datetime
    booked_at: datetime
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


# The names of the row's patient, doctor and place, by field (the doctor's: ``DOCTOR_AND_PLACE``).
_NAMES = {
    "patient_name": col(User.name),
    "patient_email": col(User.email),
    "patient_phone": col(User.phone),
    **DOCTOR_AND_PLACE,
}


def _query() -> Any:
    return appointment_query(Appointment, *_NAMES.values(), patient=True)


def _row(result: Any, now: datetime) -> AdminAppointmentRow:
    appointment, *names = result
    labels = visit_labels(appointment, now)
    booked = appointment.booked_at
    # Not marked completed or no-show yet: the admin should see it is still open.
    shown = labels["time_status"]
    passed = shown == "completed" and appointment.status == AppointmentStatus.CONFIRMED
    return AdminAppointmentRow(
        **dict(zip(_NAMES, names, strict=True)),
        **labels,
        **rules_for(appointment, now).flags(),
        id=appointment.id,
        short_id=appointment.id[:8],
        patient_id=appointment.patient_id,
        doctor_id=appointment.doctor_id,
        booked_label=f"{format_local_date(booked)}, {format_local_time(booked)}",
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        booked_at=booked,
        reason=appointment.reason,
        display_status="visit_passed" if passed else shown,
        fee_paise=appointment.fee_paise,
        cancel_reason=appointment.cancel_reason or "",
    )


def list_appointments(
    session: Session, *, filters: AdminFilters, now: datetime, page_size: int = PAGE_SIZE
) -> ResultPage[AdminAppointmentRow]:
    """One page of the filtered appointments in the filters' order (default: latest
    visit first); a page past the end shows the last page."""
    now = utc(now)
    where = filters.where()
    rows, p = fetch_page(
        session,
        _query().where(where).order_by(*_SORTS.get(filters.sort, _SORTS["start_desc"])),
        count=select(func.count()).select_from(Appointment).where(where),
        page=filters.page,
        page_size=page_size,
    )
    return result_page([_row(r, now) for r in rows], p)


def get_appointment_row(
    session: Session, *, appointment_id: str, now: datetime
) -> AdminAppointmentRow:
    """One appointment as the list shows it (any patient's: the caller is an admin)."""
    row = session.exec(
        _query().where(col(Appointment.id) == clean_appointment_id(appointment_id))
    ).first()
    if row is None:
        raise NotFound("Appointment not found.")
    return _row(row, utc(now))


__all__ = [
    "PAGE_SIZE",
    "AdminAppointmentRow",
    "get_appointment_row",
    "list_appointments",
]
