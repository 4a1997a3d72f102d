"""The monthly summary: the appointments starting in one month (clinic time), counted per
doctor, per hospital and in total by three SQL ``GROUP BY`` queries; revenue is the
month's successful payments minus its refunds. ``summary_csv`` and ``summary_pdf`` render
it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Label, and_, case, func, select
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from healthcareplus.core.models import Appointment, City, Doctor, Hospital, Payment, PaymentStatus
from healthcareplus.domain.admin.figures import FIGURES, BookingFigures, figure_columns
from healthcareplus.domain.reports.months import check_month, month_label, month_range

# The headings of the count columns, in the order ``figure_cells`` gives them.
SUMMARY_FIGURES = ("Bookings", "Confirmed", "Completed", "Cancelled", "No-shows")


@dataclass(frozen=True)
class DoctorMonthRow(BookingFigures):
    doctor_id: int
    doctor: str
    specialization: str
    hospital_id: int
    hospital: str
    city: str


@dataclass(frozen=True)
class HospitalMonthRow(BookingFigures):
    hospital_id: int
    hospital: str
    city: str
    doctors: int


@dataclass(frozen=True)
class MonthTotals(BookingFigures):
    doctors: int


@dataclass(frozen=True)
class MonthlySummary:
    """Appointments starting in the month (clinic time), per doctor and per hospital.

    ``bookings`` counts every appointment of the month whatever its status; the status
    columns count the current status; revenue is successful payments minus refunds."""

    year: int
    month: int
    label: str  # "March 2026", or "March 2026 · Dr. Asha Rao" for one doctor's summary
    doctors: tuple[DoctorMonthRow, ...]
    hospitals: tuple[HospitalMonthRow, ...]
    totals: MonthTotals


def figure_cells(row: BookingFigures, money: Callable[[int], str]) -> list[str]:
    """The row's counts (``SUMMARY_FIGURES``) as text, then its revenue through ``money``."""
    counts = (row.bookings, row.confirmed, row.completed, row.cancelled, row.no_shows)
    return [*(str(n) for n in counts), money(row.revenue_paise)]


def _net_paid(in_month: ColumnElement[bool]) -> Any:
    """Per appointment of the month: successful payments minus refunds (paise)."""
    signed = case(
        (col(Payment.status) == PaymentStatus.SUCCESS.value, col(Payment.amount_paise)),
        (col(Payment.status) == PaymentStatus.REFUNDED.value, -col(Payment.amount_paise)),
        else_=0,
    )
    return (
        select(col(Payment.appointment_id).label("appointment_id"), func.sum(signed).label("net"))
        .join(Appointment, col(Appointment.id) == Payment.appointment_id)
        .where(in_month)
        .group_by(col(Payment.appointment_id))
        .subquery("net_paid")
    )


def _month_query(in_month: ColumnElement[bool], *columns: Any) -> Any:
    """``columns`` plus the month's figures over the appointments starting in the month
    (hospital and city joined; payments pre-aggregated per appointment, so the join does
    not multiply the counts)."""
    net = _net_paid(in_month)
    return (
        select(*columns, *figure_columns(func.coalesce(func.sum(net.c.net), 0)))
        .select_from(Appointment)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(net, net.c.appointment_id == Appointment.id)
        .where(in_month)
    )


def _ints(row: Row[Any], *names: str) -> dict[str, int]:
    return {name: int(row._mapping[name]) for name in names}


def monthly_summary(
    session: Session, *, year: int, month: int, doctor: Doctor | None = None
) -> MonthlySummary:
    """The month's figures per doctor, per hospital and in total (three GROUP BY queries);
    only ``doctor``'s appointments when given (a doctor's own report)."""
    year, month = check_month(year, month)
    start, end = month_range(year, month)
    in_month = and_(col(Appointment.start_at) >= start, col(Appointment.start_at) < end)
    if doctor is not None:
        in_month = and_(in_month, col(Appointment.doctor_id) == doctor.id)
    connection = session.connection()
    names: tuple[Label[Any], ...] = (
        col(Hospital.id).label("hospital_id"),
        col(Hospital.name).label("hospital"),
        col(City.name).label("city"),
    )
    columns: tuple[Label[Any], ...] = (
        col(Doctor.id).label("doctor_id"),
        col(Doctor.name).label("doctor"),
        col(Doctor.specialization).label("specialization"),
    )
    doctors_booked = func.count(func.distinct(Appointment.doctor_id)).label("doctors")
    doctor_rows = connection.execute(
        _month_query(in_month, *columns, *names)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .group_by(*columns, *names)
        .order_by(col(Hospital.name), col(Doctor.name), col(Doctor.id))
    ).all()
    hospital_rows = connection.execute(
        _month_query(in_month, *names, doctors_booked)
        .group_by(*names)
        .order_by(col(Hospital.name), col(City.name), col(Hospital.id))
    ).all()
    total = connection.execute(_month_query(in_month, doctors_booked)).one()
    return MonthlySummary(
        year=year,
        month=month,
        label=month_label(year, month) + (f" · {doctor.name}" if doctor else ""),
        doctors=tuple(
            DoctorMonthRow(
                doctor=r.doctor,
                specialization=r.specialization,
                hospital=r.hospital,
                city=r.city,
                **_ints(r, "doctor_id", "hospital_id", *FIGURES),
            )
            for r in doctor_rows
        ),
        hospitals=tuple(
            HospitalMonthRow(
                hospital=r.hospital,
                city=r.city,
                **_ints(r, "hospital_id", "doctors", *FIGURES),
            )
            for r in hospital_rows
        ),
        totals=MonthTotals(**_ints(total, "doctors", *FIGURES)),
    )


__all__ = [
    "SUMMARY_FIGURES",
    "DoctorMonthRow",
    "HospitalMonthRow",
    "MonthTotals",
    "MonthlySummary",
    "figure_cells",
    "monthly_summary",
]
