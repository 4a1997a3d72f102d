"""The dashboard's per-hospital and per-doctor tables, each with its own server-side pages.

Hospitals and doctors in the doctor/hospital/city scope are listed even without bookings
(idle ones last); their booking figures follow every filter, aggregated in SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import Appointment, City, Doctor, Hospital
from healthcareplus.domain.admin.dashboard import (
    ResultPage,
    breakdown_columns,
    doctor_scope,
    hospital_scope,
    page_numbers,
    result_page,
    tally_active_doctors,
)
from healthcareplus.domain.admin.dashboard_charts import scan_key
from healthcareplus.domain.admin.filters import AdminFilters

BREAKDOWN_PAGE_SIZE = 10


@dataclass(frozen=True)
class HospitalStat:
    hospital_id: int
    hospital_name: str
    city_name: str
    doctors: int
    active_doctors: int
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int
    revenue_label: str


@dataclass(frozen=True)
class DoctorStat:
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    is_active: bool
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int
    revenue_label: str


def _paging(
    session: Session,
    model: type[Hospital] | type[Doctor],
    scope: list[ColumnElement[bool]],
    page: int,
    page_size: int,
) -> tuple[int, int, int, int]:
    """Rows of ``model`` in ``scope``: (total, page, page_size, offset), the page clamped."""
    page_size = min(max(int(page_size), 1), 100)
    total = session.exec(select(func.count()).select_from(model).where(*scope)).one()
    page, _, offset = page_numbers(total, page, page_size)
    return total, page, page_size, offset


def _booked(key: Any, filters: AdminFilters) -> tuple[Any, list[Any]]:
    """Filtered bookings aggregated per ``key`` (a subquery with a ``key`` column) and its
    figure columns, zero where an outer-joined row has no bookings."""
    booked = (
        select(scan_key(key).label("key"), *breakdown_columns())
        .where(filters.where())
        .group_by(scan_key(key))
        .subquery()
    )
    return booked, [func.coalesce(c, 0) for c in list(booked.c)[1:]]


def _figures(r: Sequence[Any]) -> dict[str, Any]:
    """The stat fields read from the figure columns of ``_booked``, in their order."""
    return {
        "bookings": int(r[0]),
        "confirmed": int(r[1]),
        "completed": int(r[2]),
        "cancelled": int(r[3]),
        "no_shows": int(r[4]),
        "revenue_paise": int(r[5]),
        "revenue_label": format_rupees(int(r[5])),
    }


def bookings_per_hospital(
    session: Session, *, filters: AdminFilters, page: int = 1, page_size: int = BREAKDOWN_PAGE_SIZE
) -> ResultPage[HospitalStat]:
    """Hospitals in scope with their doctors and filtered bookings, busiest first."""
    scope = hospital_scope(filters)
    total, page, page_size, offset = _paging(session, Hospital, scope, page, page_size)
    doctors = (
        select(
            col(Doctor.hospital_id).label("hospital_id"),
            func.count().label("doctors"),
            tally_active_doctors().label("active"),
        )
        .where(*doctor_scope(filters))
        .group_by(col(Doctor.hospital_id))
        .subquery()
    )
    booked, figures = _booked(Appointment.hospital_id, filters)
    rows = session.exec(
        select(
            Hospital.id,
            Hospital.name,
            City.name,
            func.coalesce(doctors.c.doctors, 0),
            func.coalesce(doctors.c.active, 0),
            *figures,
        )
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(doctors, doctors.c.hospital_id == Hospital.id)
        .outerjoin(booked, booked.c.key == Hospital.id)
        .where(*scope)
        .order_by(figures[0].desc(), col(Hospital.name), col(Hospital.id))
        .offset(offset)
        .limit(page_size)
    ).all()
    items = [
        HospitalStat(
            hospital_id=r[0],
            hospital_name=r[1],
            city_name=r[2],
            doctors=int(r[3]),
            active_doctors=int(r[4]),
            **_figures(r[5:]),
        )
        for r in rows
    ]
    return result_page(items, total=total, page=page, page_size=page_size)


def bookings_per_doctor(
    session: Session, *, filters: AdminFilters, page: int = 1, page_size: int = BREAKDOWN_PAGE_SIZE
) -> ResultPage[DoctorStat]:
    """Doctors in scope with their filtered bookings, busiest first (idle ones last)."""
    scope = doctor_scope(filters)
    total, page, page_size, offset = _paging(session, Doctor, scope, page, page_size)
    booked, figures = _booked(Appointment.doctor_id, filters)
    rows = session.exec(
        select(
            Doctor.id,
            Doctor.name,
            Doctor.specialization,
            Hospital.name,
            Doctor.is_active,
            *figures,
        )
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .outerjoin(booked, booked.c.key == Doctor.id)
        .where(*scope)
        .order_by(figures[0].desc(), col(Doctor.name), col(Doctor.id))
        .offset(offset)
        .limit(page_size)
    ).all()
    items = [
        DoctorStat(
            doctor_id=r[0],
            doctor_name=r[1],
            specialization=r[2],
            hospital_name=r[3],
            is_active=bool(r[4]),
            **_figures(r[5:]),
        )
        for r in rows
    ]
    return result_page(items, total=total, page=page, page_size=page_size)


__all__ = [
    "BREAKDOWN_PAGE_SIZE",
    "DoctorStat",
    "HospitalStat",
    "bookings_per_doctor",
    "bookings_per_hospital",
]
