"""The admin dashboard's figures: statistics and bookings per day (the other charts:
``dashboard_charts``; the per-hospital and per-doctor tables: ``dashboard_breakdowns``;
the appointment table: ``dashboard_table``; what they count alike: ``figures``).

Every figure honours the same ``AdminFilters`` as the dashboard's appointment table. The
doctor/hospital/city filters also narrow the doctors and hospitals counted; the date,
status and payment filters narrow only the appointments. Everything is aggregated in SQL
(conditional sums over indexed conditions); no table is loaded into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
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
    PaymentStatus,
)
from healthcareplus.domain.admin.dashboard_charts import revenue_totals
from healthcareplus.domain.admin.figures import (
    BookingFigures,
    count_where,
    doctor_scope,
    figures_of,
    payment_is,
    status_counts,
    tally_active_doctors,
)
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.scheduling import lifecycle

CHART_MAX_DAYS = 90  # a longer filtered range shows its latest 90 days
CHART_DAYS = 30  # unfiltered: the last 30 days up to today; a range with one end: 30 days

_S = AppointmentStatus
_REFUNDED = PaymentStatus.REFUNDED


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardStats(BookingFigures):
    """The figures of the appointments matching all filters; revenue is collected minus
    refunded (payment rows)."""

    doctors: int  # doctors in the doctor/hospital/city scope
    active_doctors: int
    pending_payments: int  # live holds and unpaid Pay-at-Clinic visits
    successful_payments: int  # payment status Success now
    refunded_payments: int
    collected_paise: int  # Success payment rows (including those later refunded)
    refunded_paise: int  # Refunded payment rows
    collected_label: str
    refunded_label: str


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


# --- statistics -------------------------------------------------------------------------------


def _pending_payment(now: datetime) -> ColumnElement[bool]:
    """Money still expected: a live hold, or a confirmed/completed unpaid visit."""
    live_hold = lifecycle.PENDING_HOLDS.sql(now)
    return and_(
        payment_is(PaymentStatus.PENDING),
        or_(col(Appointment.status).in_([_S.CONFIRMED, _S.COMPLETED]), live_hold),
    )


def dashboard_stats(session: Session, *, filters: AdminFilters, now: datetime) -> DashboardStats:
    """The headline figures in three queries: doctors, one pass over the appointments,
    and the payment rows of those appointments for the revenue."""
    now = utc(now)
    doctors, active = session.exec(
        select(func.count(), tally_active_doctors())
        .select_from(Doctor)
        .where(*doctor_scope(filters))
    ).one()
    payments = {
        "pending_payments": _pending_payment(now),
        "successful_payments": payment_is(PaymentStatus.SUCCESS),
        "refunded_payments": payment_is(_REFUNDED),
    }
    # Over four columns: sqlmodel's select() is typed for at most four, SQLAlchemy's for
    # more; sqlmodel's exec() is typed for its own selects only, hence the Any.
    query: Any = (
        sa.select(func.count(), *status_counts(), *map(count_where, payments.values()))
        .select_from(Appointment)
        .where(filters.where())
    )
    *counts, pending, success, refunded = (int(v) for v in session.exec(query).one())
    money = revenue_totals(session, filters=filters)
    got, back = money.collected_paise, money.refunded_paise
    return DashboardStats(
        **figures_of((*counts, got - back)),
        **dict(zip(payments, (pending, success, refunded), strict=True)),
        doctors=int(doctors),
        active_doctors=int(active),
        collected_paise=got,
        refunded_paise=back,
        collected_label=format_rupees(got),
        refunded_label=format_rupees(back),
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
    """A cheap fingerprint of the data behind the dashboard: the newest audit entry.

    Every change the dashboard shows writes one in the same transaction (bookings,
    payments, cancellations, reschedules, admin actions, and each hold the expiry sweep
    lets lapse), so the newest id moves with every change. One probe of the primary key's
    index: its cost does not grow with history, and it needs no up-to-date visibility map
    (unlike counting rows, which on PostgreSQL slows down while autovacuum lags)."""
    last_event = session.exec(select(func.max(AuditEvent.id))).one()
    return str(last_event or 0)


__all__ = [
    "CHART_DAYS",
    "CHART_MAX_DAYS",
    "DailyChart",
    "DashboardStats",
    "DayCount",
    "bookings_per_day",
    "chart_window",
    "dashboard_stats",
    "data_version",
]
