"""What the dashboard and the monthly reports count alike: how a group's bookings went
(``BookingFigures``; the reports count them from the appointments with ``figure_columns``,
the dashboard sums the counters with ``tally_reads.figure_sums``), the doctors and
hospitals in the scope of the admin filters, and one page of a ranked table
(``ResultPage``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, case
from sqlmodel import col, func, select

from healthcareplus.core.formatting import format_rupees
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    Hospital,
)
from healthcareplus.core.paging import Paging
from healthcareplus.domain.admin.filters import AdminFilters, FilterSQL, hospitals_in, where_set

T = TypeVar("T")
_S = AppointmentStatus
# The figures in the order ``figure_columns`` counts them.
FIGURES = ("bookings", "confirmed", "completed", "cancelled", "no_shows", "revenue_paise")
COUNTS = FIGURES[:-1]  # the figures that count appointments


@dataclass(frozen=True)
class BookingFigures:
    """How a group's bookings went: all of them, how many stand in each closing status
    (their current status), and the revenue."""

    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int
    revenue_label: str = field(init=False)  # "₹2,300"

    def __post_init__(self) -> None:
        object.__setattr__(self, "revenue_label", format_rupees(self.revenue_paise))


@dataclass(frozen=True)
class ResultPage(Generic[T]):
    items: list[T]
    total: int
    page: int
    pages: int
    first_item: int
    last_item: int
    has_prev: bool
    has_next: bool


def result_page(items: list[T], p: Paging) -> ResultPage[T]:
    return ResultPage(
        items, p.total, p.page, p.pages, p.first_item, p.last_item, p.has_prev, p.has_next
    )


def count_where(condition: ColumnElement[bool]) -> Any:
    """How many of the grouped appointments match ``condition`` (0 for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def status_is(value: str) -> ColumnElement[bool]:
    return col(Appointment.status) == value


def status_counts() -> list[Any]:
    """The closing-status counts of ``BookingFigures``, in order."""
    statuses = (_S.CONFIRMED, _S.COMPLETED, _S.CANCELLED, _S.NO_SHOW)
    return [count_where(status_is(s)) for s in statuses]


def figure_columns(revenue: Any) -> list[Any]:
    """The columns of ``BookingFigures`` per group, ``revenue`` last (labelled by name)."""
    counts = [func.count(), *status_counts(), revenue]
    return [column.label(name) for column, name in zip(counts, FIGURES, strict=True)]


def figures_of(values: Sequence[Any]) -> dict[str, int]:
    """``BookingFigures`` fields from the values of ``figure_columns``, in their order."""
    return {name: int(value) for name, value in zip(FIGURES, values, strict=True)}


def count_active_doctors() -> Any:
    """How many of the grouped doctors are active."""
    return count_where(col(Doctor.is_active).is_(True))


# The doctor, hospital and city filters as conditions on doctors and on hospitals.
_DOCTOR_SCOPE: dict[str, FilterSQL] = {
    "doctor_id": lambda v: col(Doctor.id) == v,
    "hospital_id": lambda v: col(Doctor.hospital_id) == v,
    "city_id": lambda v: col(Doctor.hospital_id).in_(hospitals_in(v)),
}
_HOSPITAL_SCOPE: dict[str, FilterSQL] = {
    "hospital_id": lambda v: col(Hospital.id) == v,
    "city_id": lambda v: col(Hospital.city_id) == v,
    "doctor_id": lambda v: col(Hospital.id).in_(
        select(Doctor.hospital_id).where(col(Doctor.id) == v)
    ),
}


def doctor_scope(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """Conditions on ``Doctor`` for the doctor, hospital and city filters."""
    return where_set(filters, _DOCTOR_SCOPE)


def hospital_scope(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """Conditions on ``Hospital``: the filtered hospital/city, or the filtered doctor's."""
    return where_set(filters, _HOSPITAL_SCOPE)


__all__ = [
    "FIGURES",
    "BookingFigures",
    "ResultPage",
    "count_active_doctors",
    "count_where",
    "doctor_scope",
    "figure_columns",
    "figures_of",
    "hospital_scope",
    "result_page",
    "status_counts",
    "status_is",
]
