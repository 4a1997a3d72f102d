"""The admin dashboard's figures: statistics and bookings per day (the other charts:
``admin_dashboard_charts``; the per-hospital and per-doctor tables:
``admin_dashboard_breakdowns``; the appointment table: ``admin_dashboard_table``).

Every figure honours the same ``AdminFilters`` as the dashboard's appointment table. The
doctor/hospital/city filters also narrow the doctors and hospitals counted; the date,
status and payment filters narrow only the appointments. Everything is aggregated in SQL
(conditional sums over indexed conditions); no table is loaded into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, and_, case, or_
from sqlmodel import Session, col, func, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_day_month,
    format_rupees,
    utc,
    weekday_short,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AuditEvent,
    Doctor,
    Hospital,
    PaymentStatus,
)
from healthcareplus.domain.admin.dashboard_charts import revenue_totals
from healthcareplus.domain.admin.filters import AdminFilters

CHART_MAX_DAYS = 90  # a longer filtered range shows its latest 90 days
CHART_DAYS = 30  # unfiltered: the last 30 days up to today; a range with one end: 30 days

T = TypeVar("T")
_S = AppointmentStatus
_REFUNDED = PaymentStatus.REFUNDED


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardStats:
    doctors: int  # doctors in the doctor/hospital/city scope
    active_doctors: int
    bookings: int  # appointments matching all filters
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    pending_payments: int  # live holds and unpaid Pay-at-Clinic visits
    successful_payments: int  # payment status Success now
    refunded_payments: int
    collected_paise: int  # Success payment rows (including those later refunded)
    refunded_paise: int  # Refunded payment rows
    revenue_paise: int  # collected minus refunded
    collected_label: str
    refunded_label: str
    revenue_label: str


@dataclass(frozen=True)
class DayCount:
    iso: str
    label: str  # "23 Nov"
    weekday: str  # "Mon"
    total: int
    confirmed: int  # confirmed or completed
    cancelled: int
    no_shows: int
    other: int  # awaiting payment or expired
    is_today: bool


@dataclass(frozen=True)
class DailyChart:
    days: list[DayCount]
    first_day: date
    last_day: date
    caption: str  # "Mon, 09 Nov 2026 – Tue, 08 Dec 2026"
    truncated: bool  # the filtered range is longer than the chart shows
    busiest: int
    total: int


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


# --- shared SQL pieces ------------------------------------------------------------------------


def _tally(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _fees(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, col(Appointment.fee_paise)), else_=0)), 0)


def _status(value: str) -> ColumnElement[bool]:
    return col(Appointment.status) == value


def _paid(value: str) -> ColumnElement[bool]:
    return col(Appointment.payment_status) == value


def _pending_payment(now: datetime) -> ColumnElement[bool]:
    """Money still expected: a live hold, or a confirmed/completed unpaid visit."""
    hold = col(Appointment.hold_expires_at)
    live_hold = and_(_status(_S.PENDING_PAYMENT), or_(hold.is_(None), hold > now))
    return and_(
        _paid(PaymentStatus.PENDING),
        or_(col(Appointment.status).in_([_S.CONFIRMED, _S.COMPLETED]), live_hold),
    )


def breakdown_columns() -> list[Any]:
    """Per-group counts shared by the hospital and doctor tables (order matters)."""
    taken = _fees(_paid(PaymentStatus.SUCCESS))  # collected minus refunded
    return [
        func.count().label("bookings"),
        _tally(_status(_S.CONFIRMED)).label("confirmed"),
        _tally(_status(_S.COMPLETED)).label("completed"),
        _tally(_status(_S.CANCELLED)).label("cancelled"),
        _tally(_status(_S.NO_SHOW)).label("no_shows"),
        taken.label("revenue"),
    ]


def tally_active_doctors() -> Any:
    return func.coalesce(func.sum(case((col(Doctor.is_active).is_(True), 1), else_=0)), 0)


def _city_hospitals(city_id: int) -> Any:
    return select(Hospital.id).where(col(Hospital.city_id) == city_id)


def doctor_scope(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """Conditions on ``Doctor`` for the doctor, hospital and city filters."""
    out: list[ColumnElement[bool]] = []
    if filters.doctor_id:
        out.append(col(Doctor.id) == filters.doctor_id)
    if filters.hospital_id:
        out.append(col(Doctor.hospital_id) == filters.hospital_id)
    if filters.city_id:
        out.append(col(Doctor.hospital_id).in_(_city_hospitals(filters.city_id)))
    return out


def hospital_scope(filters: AdminFilters) -> list[ColumnElement[bool]]:
    """Conditions on ``Hospital``: the filtered hospital/city, or the filtered doctor's."""
    out: list[ColumnElement[bool]] = []
    if filters.hospital_id:
        out.append(col(Hospital.id) == filters.hospital_id)
    if filters.city_id:
        out.append(col(Hospital.city_id) == filters.city_id)
    if filters.doctor_id:
        own = select(Doctor.hospital_id).where(col(Doctor.id) == filters.doctor_id)
        out.append(col(Hospital.id).in_(own))
    return out


def page_numbers(total: int, page: int, page_size: int) -> tuple[int, int, int]:
    """(page, pages, offset) with the page clamped into range."""
    pages = max(1, math.ceil(total / page_size))
    page = min(max(int(page), 1), pages)
    return page, pages, (page - 1) * page_size


def result_page(items: list[T], *, total: int, page: int, page_size: int) -> ResultPage[T]:
    first = (page - 1) * page_size + 1 if items else 0
    return ResultPage(
        items=items,
        total=total,
        page=page,
        pages=max(1, math.ceil(total / page_size)),
        first_item=first,
        last_item=first + len(items) - 1 if items else 0,
        has_prev=page > 1,
        has_next=page * page_size < total,
    )


# --- statistics -------------------------------------------------------------------------------


def dashboard_stats(session: Session, *, filters: AdminFilters, now: datetime) -> DashboardStats:
    """The headline figures in three queries: doctors, one pass over the appointments,
    and the payment rows of those appointments for the revenue."""
    now = utc(now)
    doctors, active = session.exec(
        select(func.count(), tally_active_doctors())
        .select_from(Doctor)
        .where(*doctor_scope(filters))
    ).one()
    row = session.exec(
        select(
            func.count(),
            _tally(_status(_S.CONFIRMED)),
            _tally(_status(_S.COMPLETED)),
            _tally(_status(_S.CANCELLED)),
            _tally(_status(_S.NO_SHOW)),
            _tally(_pending_payment(now)),
            _tally(_paid(PaymentStatus.SUCCESS)),
            _tally(_paid(_REFUNDED)),
        )
        .select_from(Appointment)
        .where(filters.where())
    ).one()
    bookings, confirmed, completed, cancelled, no_shows, pending, success, refunded = (
        int(v) for v in row
    )
    money = revenue_totals(session, filters=filters)
    got, back = money.collected_paise, money.refunded_paise
    return DashboardStats(
        doctors=int(doctors),
        active_doctors=int(active),
        bookings=bookings,
        confirmed=confirmed,
        completed=completed,
        cancelled=cancelled,
        no_shows=no_shows,
        pending_payments=pending,
        successful_payments=success,
        refunded_payments=refunded,
        collected_paise=got,
        refunded_paise=back,
        revenue_paise=got - back,
        collected_label=format_rupees(got),
        refunded_label=format_rupees(back),
        revenue_label=format_rupees(got - back),
    )


# --- bookings per day -------------------------------------------------------------------------


def chart_window(filters: AdminFilters, today: date) -> tuple[date, date, bool]:
    """The clinic days the chart covers: the filtered range (at most ``CHART_MAX_DAYS``,
    its latest days when longer) or, without a date filter, the last 30 days to today."""
    first, last = filters.date_from, filters.date_to
    span = timedelta(days=CHART_DAYS - 1)
    if first is None and last is None:
        return today - span, today, False
    if first is None:
        assert last is not None
        first = last - span
    if last is None:
        last = first + span
    if (last - first).days + 1 > CHART_MAX_DAYS:
        return last - timedelta(days=CHART_MAX_DAYS - 1), last, True
    return first, last, False


def bookings_per_day(session: Session, *, filters: AdminFilters, now: datetime) -> DailyChart:
    """Appointments per clinic day (by visit date) in the chart window, split by status.

    Day boundaries are computed in the clinic zone (so DST days are right) and turned
    into one CASE expression that numbers each row's day; one grouped query does the rest.
    """
    now = utc(now)
    zone = get_settings().clinic_zone
    today = clinic_today(now)
    first, last, truncated = chart_window(filters, today)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    bounds = [datetime.combine(d, time(0), tzinfo=zone) for d in [*days, last + timedelta(days=1)]]
    start = col(Appointment.start_at)
    bucket = case(*((start < bounds[i + 1], i) for i in range(len(days))), else_=len(days))
    inner = (
        select(bucket.label("bucket"), col(Appointment.status).label("status"))
        .where(filters.where(), start >= bounds[0], start < bounds[-1])
        .subquery()
    )
    counts: dict[tuple[int, str], int] = {
        (int(b), str(s)): int(n)
        for b, s, n in session.exec(
            select(inner.c.bucket, inner.c.status, func.count()).group_by(
                inner.c.bucket, inner.c.status
            )
        )
    }
    per_day = [_day_counts(counts, i) for i in range(len(days))]
    busiest = max((sum(c) for c in per_day), default=0)
    items = [
        DayCount(
            iso=d.isoformat(),
            label=format_day_month(d),
            weekday=weekday_short(d),
            total=sum(c),
            confirmed=c[0],
            cancelled=c[1],
            no_shows=c[2],
            other=c[3],
            is_today=d == today,
        )
        for d, c in zip(days, per_day, strict=True)
    ]
    return DailyChart(
        days=items,
        first_day=first,
        last_day=last,
        caption=f"{format_date(first)} – {format_date(last)}",
        truncated=truncated,
        busiest=busiest,
        total=sum(d.total for d in items),
    )


def _day_counts(counts: dict[tuple[int, str], int], index: int) -> tuple[int, int, int, int]:
    def get(*statuses: str) -> int:
        return sum(counts.get((index, s), 0) for s in statuses)

    return (
        get(_S.CONFIRMED, _S.COMPLETED),
        get(_S.CANCELLED),
        get(_S.NO_SHOW),
        get(_S.PENDING_PAYMENT, _S.EXPIRED),
    )


# --- live refresh ----------------------------------------------------------------------------


def data_version(session: Session) -> str:
    """A cheap fingerprint of the data behind the dashboard (two indexed queries).

    Every change the dashboard shows is audited (bookings, payments, cancellations,
    reschedules, admin actions) except a hold running out, which the expiry sweep records
    only as the ``expired`` status; so: the newest audit entry and the expired count."""
    last_event = session.exec(select(func.max(AuditEvent.id))).one()
    expired = session.exec(
        select(func.count()).select_from(Appointment).where(_status(_S.EXPIRED))
    ).one()
    return f"{last_event or 0}:{expired}"


__all__ = [
    "CHART_DAYS",
    "CHART_MAX_DAYS",
    "DailyChart",
    "DashboardStats",
    "DayCount",
    "ResultPage",
    "bookings_per_day",
    "chart_window",
    "breakdown_columns",
    "dashboard_stats",
    "data_version",
    "doctor_scope",
    "hospital_scope",
    "page_numbers",
    "result_page",
    "tally_active_doctors",
]
