"""The dashboard's per-hospital and per-doctor tables, each with its own server-side pages.

Hospitals and doctors in the doctor/hospital/city scope are listed even without bookings
(idle ones last); their booking figures follow every filter, summed from the appointment
counters of the hospital or doctor grains (``tally_reads``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from healthcareplus.core.models import AppointmentTally, City, Doctor, Hospital
from healthcareplus.core.paging import fetch_page
from healthcareplus.domain.admin.dashboard_charts import DOCTOR_COLUMNS
from healthcareplus.domain.admin.figures import (
    BookingFigures,
    ResultPage,
    count_active_doctors,
    doctor_scope,
    figures_of,
    hospital_scope,
    result_page,
)
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.tally_reads import By, figure_sums, sums_per

BREAKDOWN_PAGE_SIZE = 10
S = TypeVar("S", bound=BookingFigures)
_FIGURE_FIELDS = {f.name for f in fields(BookingFigures)}


@dataclass(frozen=True)
class HospitalStat(BookingFigures):
    hospital_id: int
    hospital_name: str
    city_name: str
    doctors: int
    active_doctors: int


@dataclass(frozen=True)
class DoctorStat(BookingFigures):
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    is_active: bool


def _booked(by: By, filters: AdminFilters) -> tuple[Any, list[Any]]:
    """Filtered bookings summed per hospital or doctor (a subquery with a ``key`` column)
    and its figure columns, zero where an outer-joined row has no bookings."""
    key = AppointmentTally.hospital_id if by == By.HOSPITAL else AppointmentTally.doctor_id
    booked = sums_per(key, filters, by=by, columns=figure_sums())
    return booked, [func.coalesce(c, 0) for c in list(booked.c)[1:]]


def _ranked(
    session: Session,
    stat: type[S],
    query: Any,
    *,
    model: type[Hospital] | type[Doctor],
    scope: list[ColumnElement[bool]],
    page: int,
    page_size: int,
) -> ResultPage[S]:
    """One page of ``query``'s rows (the rows of ``model`` in ``scope``: the fields of
    ``stat`` first, its figures last) as ``stat``s, in the query's order."""
    rows, p = fetch_page(
        session,
        query.where(*scope),
        count=select(func.count()).select_from(model).where(*scope),
        page=page,
        page_size=page_size,
    )
    return result_page([_stat(stat, row) for row in rows], p)


def _stat(stat: type[S], row: Sequence[Any]) -> S:
    """A ``stat`` from a row of its own fields in their order, then its figures."""
    own = [f.name for f in fields(stat) if f.name not in _FIGURE_FIELDS]
    return stat(**dict(zip(own, row, strict=False)), **figures_of(row[len(own) :]))


def bookings_per_hospital(
    session: Session, *, filters: AdminFilters, page: int = 1, page_size: int = BREAKDOWN_PAGE_SIZE
) -> ResultPage[HospitalStat]:
    """Hospitals in scope with their doctors and filtered bookings, busiest first."""
    doctors = (
        select(
            col(Doctor.hospital_id).label("hospital_id"),
            func.count().label("doctors"),
            count_active_doctors().label("active"),
        )
        .where(*doctor_scope(filters))
        .group_by(col(Doctor.hospital_id))
        .subquery()
    )
    booked, figures = _booked(By.HOSPITAL, filters)
    staff = [func.coalesce(c, 0) for c in (doctors.c.doctors, doctors.c.active)]
    # Over four columns: sqlmodel's select() is typed for at most four, SQLAlchemy's for more.
    query = (
        sa.select(col(Hospital.id), col(Hospital.name), col(City.name), *staff, *figures)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(doctors, doctors.c.hospital_id == Hospital.id)
        .outerjoin(booked, booked.c.key == Hospital.id)
        .order_by(figures[0].desc(), col(Hospital.name), col(Hospital.id))
    )
    scope = hospital_scope(filters)
    return _ranked(
        session, HospitalStat, query, model=Hospital, scope=scope, page=page, page_size=page_size
    )


def bookings_per_doctor(
    session: Session, *, filters: AdminFilters, page: int = 1, page_size: int = BREAKDOWN_PAGE_SIZE
) -> ResultPage[DoctorStat]:
    """Doctors in scope with their filtered bookings, busiest first (idle ones last)."""
    booked, figures = _booked(By.DOCTOR, filters)
    query = (
        sa.select(*DOCTOR_COLUMNS, col(Doctor.is_active), *figures)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .outerjoin(booked, booked.c.key == Doctor.id)
        .order_by(figures[0].desc(), col(Doctor.name), col(Doctor.id))
    )
    scope = doctor_scope(filters)
    return _ranked(
        session, DoctorStat, query, model=Doctor, scope=scope, page=page, page_size=page_size
    )


__all__ = [
    "BREAKDOWN_PAGE_SIZE",
    "DoctorStat",
    "HospitalStat",
    "bookings_per_doctor",
    "bookings_per_hospital",
]
