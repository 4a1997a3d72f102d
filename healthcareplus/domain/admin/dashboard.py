"""The admin dashboard's figures: statistics and bookings per day (the other charts:
``dashboard_charts``; the per-hospital and per-doctor tables: ``dashboard_breakdowns``;
the appointment table: ``dashboard_table``; how the filters read the counters:
``tally_reads``).

Every figure honours the same ``AdminFilters`` as the dashboard's appointment table. The
doctor/hospital/city filters also narrow the doctors and hospitals counted; the date,
status and payment filters narrow only the appointments. The appointment figures are sums
of the appointment counters (``AppointmentTally``) of the smallest grain that answers the
filters, so their cost follows the doctors, hospitals and days shown, not the length of
history; only the doctors are counted from their own (small) table.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_day_month,
    format_rupees,
    utc,
    weekday_short,
)
from healthcareplus.core.models import (
    AppointmentStatus,
    AppointmentTally,
    AuditEvent,
    Doctor,
    PaymentStatus,
)
from healthcareplus.domain.admin.figures import (
    BookingFigures,
    count_active_doctors,
    doctor_scope,
)
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.tally_reads import (
    bookings_where,
    kinds,
    lapsed_holds,
    tally_day,
    tally_where,
)

CHART_MAX_DAYS = 90  # a longer filtered range shows its latest 90 days
CHART_DAYS = 30  # unfiltered: the last 30 days up to today; a range with one end: 30 days

_S = AppointmentStatus
_PENDING, _SUCCESS, _REFUNDED = PaymentStatus.PENDING, PaymentStatus.SUCCESS, PaymentStatus.REFUNDED


# --- records -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardStats(BookingFigures):
    """The figures of the appointments matching all filters; revenue is collected minus
    refunded (the fees of appointments paid and not refunded)."""

    doctors: int  # doctors in the doctor/hospital/city scope
    active_doctors: int
    pending_payments: int  # live holds and unpaid Pay-at-Clinic visits
    successful_payments: int  # payment status Success now
    refunded_payments: int
    collected_paise: int  # fees of appointments paid (payment status Success or Refunded)
    refunded_paise: int  # fees of appointments refunded
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


def dashboard_stats(session: Session, *, filters: AdminFilters, now: datetime) -> DashboardStats:
    """The headline figures: the doctors in scope, the counters of the filtered
    appointments summed per status and payment status, and (for the pending payments)
    the holds that lapsed but are not swept yet."""
    now = utc(now)
    doctors, active = session.exec(
        select(func.count(), count_active_doctors())
        .select_from(Doctor)
        .where(*doctor_scope(filters))
    ).one()
    k = kinds(session, filters)
    # Money still expected: unpaid visits booked or done, and holds (live ones: below).
    pending = k.bookings((_S.CONFIRMED, _S.COMPLETED, _S.PENDING_PAYMENT), (_PENDING,))
    if pending:
        pending -= lapsed_holds(session, filters=filters, now=now)
    got, back = k.fees(paid=(_SUCCESS, _REFUNDED)), k.fees(paid=(_REFUNDED,))
    return DashboardStats(
        bookings=k.bookings(),
        confirmed=k.bookings((_S.CONFIRMED,)),
        completed=k.bookings((_S.COMPLETED,)),
        cancelled=k.bookings((_S.CANCELLED,)),
        no_shows=k.bookings((_S.NO_SHOW,)),
        revenue_paise=got - back,
        pending_payments=pending,
        successful_payments=k.bookings(paid=(_SUCCESS,)),
        refunded_payments=k.bookings(paid=(_REFUNDED,)),
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
    """Appointments per clinic day (by visit date) in the chart window, split by status:
    one grouped sum over the per-day counter rows of the window (their day is the clinic
    day, so DST days are right)."""
    today = clinic_today(utc(now))
    first, last, truncated = chart_window(filters, today)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    window = replace(filters, date_from=first, date_to=last)  # inside the filtered range
    day, status = col(AppointmentTally.day), col(AppointmentTally.status)
    counts: dict[tuple[date, str], int] = {
        (tally_day(d), str(s)): int(n)
        for d, s, n in session.exec(
            select(day, status, bookings_where())
            .where(*tally_where(window, per_day=True))
            .group_by(day, status)
        )
    }
    per_day = [_day_counts(counts, d) for d in days]
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


def _day_counts(counts: dict[tuple[date, str], int], day: date) -> tuple[int, int, int, int]:
    def get(*statuses: str) -> int:
        return sum(counts.get((day, s), 0) for s in statuses)

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
