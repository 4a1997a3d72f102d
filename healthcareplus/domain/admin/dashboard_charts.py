"""The dashboard's charts besides bookings per day (``admin_dashboard``): bookings and
revenue per hospital, the busiest doctors and the payment method mix.

Each is one grouped sum over the appointment counters of the filtered appointments
(``tally_reads``: the hospital grains, or the doctor grains when a doctor is filtered or
the chart is per doctor); only the handful of groups reaches Python. Revenue is the fees
of the appointments paid (collected) less those refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import AppointmentTally, City, Doctor, Hospital, PaymentStatus
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.tally_reads import (
    By,
    bookings_where,
    collected,
    kinds,
    paid_as,
    refunded,
    sums_per,
    tally_where,
)
from healthcareplus.domain.payments.methods import METHOD_LABELS

CHART_HOSPITALS = 15  # bars in the per-hospital charts (the busiest; the table has all)
TOP_DOCTORS = 10
T = AppointmentTally
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
    collected_paise: int  # fees of appointments paid (Success or Refunded now)
    refunded_paise: int  # fees of appointments refunded
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


def _limit(limit: int) -> int:
    return min(max(int(limit), 0), 100)


def _bookings_per(by: By, filters: AdminFilters) -> Any:
    """The filtered bookings summed per hospital or doctor: a subquery of ``key`` and
    ``bookings`` (groups with some only)."""
    key = T.hospital_id if by == By.HOSPITAL else T.doctor_id
    return sums_per(key, filters, by=by, columns=[bookings_where().label("bookings")])


def revenue_totals(session: Session, *, filters: AdminFilters) -> RevenueTotals:
    """The fees of the filtered appointments paid (collected) and refunded."""
    k = kinds(session, filters)
    return RevenueTotals(
        collected_paise=k.fees(paid=(_SUCCESS, _REFUNDED)), refunded_paise=k.fees(paid=(_REFUNDED,))
    )


def hospital_bookings(
    session: Session, *, filters: AdminFilters, limit: int = CHART_HOSPITALS
) -> list[HospitalBookings]:
    """Hospitals with filtered bookings, busiest first (ties by name)."""
    booked = _bookings_per(By.HOSPITAL, filters)
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
    """Revenue per hospital from the fees of the filtered appointments paid, highest
    first (ties by name); hospitals with none paid (or refunded) are left out."""
    money = [collected().label("collected"), refunded().label("refunded")]
    paid = sums_per(
        T.hospital_id,
        filters,
        by=By.HOSPITAL,
        columns=money,
        name="hospital_id",
        where=[paid_as(_SUCCESS, _REFUNDED)],
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
    booked = _bookings_per(By.DOCTOR, filters)
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
    method = col(T.payment_method)
    counts = {
        str(m): int(n)
        for m, n in session.exec(
            select(method, bookings_where())
            .where(*tally_where(filters), method != "")
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
    "top_doctors",
]
