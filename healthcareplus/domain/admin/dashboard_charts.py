"""The dashboard's charts besides bookings per day (``admin_dashboard``): bookings and
revenue per hospital, the busiest doctors and the payment method mix.

Each is one grouped SQL query over the appointments matching the filters (revenue: the
payment rows of those appointments); only the handful of groups reaches Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, case, literal_column
from sqlmodel import Session, col, func, select

from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import Appointment, City, Doctor, Hospital, Payment, PaymentStatus
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.payments.methods import METHOD_LABELS

CHART_HOSPITALS = 15  # bars in the per-hospital charts (the busiest; the table has all)
TOP_DOCTORS = 10
_SUCCESS, _REFUNDED = PaymentStatus.SUCCESS.value, PaymentStatus.REFUNDED.value
# A doctor as the charts and tables name one (their hospital joined).
DOCTOR_COLUMNS = (col(Doctor.id), col(Doctor.name), col(Doctor.specialization), col(Hospital.name))


@dataclass(frozen=True)
class HospitalBookings:
    hospital_id: int
    hospital_name: str
    city_name: str
    bookings: int


@dataclass(frozen=True)
class HospitalRevenue:
    hospital_id: int
    hospital_name: str
    city_name: str
    collected_paise: int  # Success payment rows
    refunded_paise: int  # Refunded payment rows
    revenue_paise: int  # collected minus refunded
    revenue_rupees: int  # whole rupees, for the chart's axis
    revenue_label: str  # "₹2,300"


@dataclass(frozen=True)
class DoctorBookings:
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    bookings: int


@dataclass(frozen=True)
class MethodCount:
    method: str  # PaymentMethod value
    label: str  # "UPI", "Card", "Net Banking", "Wallet", "Pay at Clinic"
    count: int
    percent: int  # rounded share of the appointments with a method


@dataclass(frozen=True)
class RevenueTotals:
    collected_paise: int
    refunded_paise: int


def scan_key(column: Any) -> Any:
    """``column + 0``: a grouping key no index matches. Grouping by the bare column makes
    SQLite walk the (hospital|doctor, start) index and fetch every row out of order, far
    slower over 1M rows than one scan with a temporary B-tree; PostgreSQL hash-aggregates
    either way. A literal so SELECT and GROUP BY are the same text (PostgreSQL insists)."""
    return col(column) + literal_column("0")


def _amount(status: str) -> Any:
    return func.coalesce(
        func.sum(case((col(Payment.status) == status, col(Payment.amount_paise)), else_=0)), 0
    )


def _paid_rows(filters: AdminFilters) -> list[ColumnElement[bool]]:
    return [col(Payment.status).in_([_SUCCESS, _REFUNDED]), filters.where()]


def _limit(limit: int) -> int:
    return min(max(int(limit), 0), 100)


def _bookings_per(column: Any, filters: AdminFilters) -> Any:
    """The filtered bookings counted per ``column``: a subquery of ``key`` and ``bookings``."""
    key = scan_key(column)
    return (
        select(key.label("key"), func.count().label("bookings"))
        .where(filters.where())
        .group_by(key)
        .subquery()
    )


def revenue_totals(session: Session, *, filters: AdminFilters) -> RevenueTotals:
    """Success minus Refunded payment rows of the filtered appointments (no join when
    nothing is filtered: every payment row belongs to an appointment)."""
    query = select(_amount(_SUCCESS), _amount(_REFUNDED)).select_from(Payment)
    if filters.conditions():
        query = query.join(Appointment, col(Appointment.id) == Payment.appointment_id)
    collected, refunded = session.exec(query.where(*_paid_rows(filters))).one()
    return RevenueTotals(collected_paise=int(collected), refunded_paise=int(refunded))


def hospital_bookings(
    session: Session, *, filters: AdminFilters, limit: int = CHART_HOSPITALS
) -> list[HospitalBookings]:
    """Hospitals with filtered bookings, busiest first (ties by name)."""
    booked = _bookings_per(Appointment.hospital_id, filters)
    rows = session.exec(
        select(Hospital.id, Hospital.name, City.name, booked.c.bookings)
        .join(booked, booked.c.key == Hospital.id)
        .join(City, col(City.id) == Hospital.city_id)
        .order_by(booked.c.bookings.desc(), col(Hospital.name), col(Hospital.id))
        .limit(_limit(limit))
    ).all()
    out: list[HospitalBookings] = []
    for h, name, city, n in rows:
        assert h is not None  # a primary key
        out.append(
            HospitalBookings(hospital_id=h, hospital_name=name, city_name=city, bookings=int(n))
        )
    return out


def hospital_revenue(
    session: Session, *, filters: AdminFilters, limit: int = CHART_HOSPITALS
) -> list[HospitalRevenue]:
    """Revenue per hospital from the payment rows of the filtered appointments, highest
    first (ties by name); hospitals without a Success or Refunded row are left out."""
    key = scan_key(Appointment.hospital_id)
    paid = (
        select(
            key.label("hospital_id"),
            _amount(_SUCCESS).label("collected"),
            _amount(_REFUNDED).label("refunded"),
        )
        .select_from(Payment)
        .join(Appointment, col(Appointment.id) == Payment.appointment_id)
        .where(*_paid_rows(filters))
        .group_by(key)
        .subquery()
    )
    revenue = paid.c.collected - paid.c.refunded
    # Five columns: sqlmodel's select() is typed for at most four, SQLAlchemy's for more;
    # sqlmodel's exec() is typed for its own selects only, hence the Any.
    query: Any = (
        sa.select(
            col(Hospital.id), col(Hospital.name), col(City.name), paid.c.collected, paid.c.refunded
        )
        .join(paid, paid.c.hospital_id == Hospital.id)
        .join(City, col(City.id) == Hospital.city_id)
        .order_by(revenue.desc(), col(Hospital.name), col(Hospital.id))
        .limit(_limit(limit))
    )
    rows = session.exec(query).all()
    return [
        HospitalRevenue(
            hospital_id=int(h),
            hospital_name=name,
            city_name=city,
            collected_paise=int(got),
            refunded_paise=int(back),
            revenue_paise=int(got) - int(back),
            revenue_rupees=(int(got) - int(back)) // 100,
            revenue_label=format_rupees(int(got) - int(back)),
        )
        for h, name, city, got, back in rows
    ]


def top_doctors(
    session: Session, *, filters: AdminFilters, limit: int = TOP_DOCTORS
) -> list[DoctorBookings]:
    """The doctors with the most filtered bookings (ties by name); none without any."""
    booked = _bookings_per(Appointment.doctor_id, filters)
    # Five columns: sqlmodel's select() is typed for at most four, SQLAlchemy's for more;
    # sqlmodel's exec() is typed for its own selects only, hence the Any.
    query: Any = (
        sa.select(*DOCTOR_COLUMNS, booked.c.bookings)
        .join(booked, booked.c.key == Doctor.id)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .order_by(booked.c.bookings.desc(), col(Doctor.name), col(Doctor.id))
        .limit(_limit(limit))
    )
    rows = session.exec(query).all()
    return [
        DoctorBookings(
            doctor_id=int(d),
            doctor_name=name,
            specialization=specialization,
            hospital_name=hospital,
            bookings=int(n),
        )
        for d, name, specialization, hospital, n in rows
    ]


def payment_method_mix(session: Session, *, filters: AdminFilters) -> list[MethodCount]:
    """How the filtered appointments that have a payment method chose to pay, in the
    payment page's order; methods nobody chose are left out."""
    method = col(Appointment.payment_method)
    counts = {
        str(m): int(n)
        for m, n in session.exec(
            select(method, func.count())
            .where(filters.where(), method.is_not(None), method != "")
            .group_by(method)
        ).all()
    }
    total = sum(counts.values())
    order = [*METHOD_LABELS, *sorted(set(counts) - set(METHOD_LABELS))]
    return [
        MethodCount(
            method=m,
            label=METHOD_LABELS.get(m, m),
            count=counts[m],
            percent=round(100 * counts[m] / total),
        )
        for m in order
        if counts.get(m)
    ]


__all__ = [
    "CHART_HOSPITALS",
    "DOCTOR_COLUMNS",
    "TOP_DOCTORS",
    "DoctorBookings",
    "HospitalBookings",
    "HospitalRevenue",
    "MethodCount",
    "RevenueTotals",
    "hospital_bookings",
    "hospital_revenue",
    "payment_method_mix",
    "revenue_totals",
    "scan_key",
    "top_doctors",
]
