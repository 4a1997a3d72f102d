"""The dashboard's figures as every open page shows them: computed once per change of the
data and shared (``core.shared_cache``), not once per admin watching.

Each piece is cached under what it is computed from, so a key never needs invalidating:
the database, the piece, the change marker (``dashboard.data_version``: it moves with
every change the dashboard shows), the filters that piece reads, and the time it reads:

- the statistics, the appointment table and the landing figures read the clock (live
  holds, a visit's time status and its actions, "upcoming", "today"): keyed by the minute,
  computed as of its start;
- the charts read only today's clinic date (bookings per day): keyed by the day;
- the per-hospital and per-doctor tables read no clock: the marker and filters alone.

The filters in a key are only those the piece reads: the figures ignore the table's page
and sort (and are computed without them, so the key says exactly what was computed);
the table keeps both; a breakdown table adds its own page. Nothing here is per viewer:
every admin with the same filters sees the same rows (the export links and the action
dialog, which are per viewer, are not here).

A change the marker misses shows within ``VIEW_TTL_SECONDS`` (the next minute for the
minute-keyed pieces) on a page that loads: one that writes no audit entry (a patient
registering), or, on PostgreSQL, one whose audit id is lower than a concurrent change's
that committed first (the marker was already past it). An open page's tick, as before,
reloads only when the marker moves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from sqlalchemy.engine import Engine
from sqlmodel import Session

from healthcareplus.core.formatting import clinic_today, utc
from healthcareplus.core.shared_cache import shared_cache
from healthcareplus.domain.admin import dashboard_breakdowns as breakdowns
from healthcareplus.domain.admin import dashboard_charts as charts
from healthcareplus.domain.admin.dashboard import (
    DailyChart,
    DashboardStats,
    bookings_per_day,
    dashboard_stats,
    data_version,
)
from healthcareplus.domain.admin.dashboard_breakdowns import DoctorStat, HospitalStat
from healthcareplus.domain.admin.dashboard_charts import (
    DoctorBookings,
    HospitalBookings,
    HospitalRevenue,
    MethodCount,
)
from healthcareplus.domain.admin.dashboard_table import AdminAppointmentRow, list_appointments
from healthcareplus.domain.admin.figures import ResultPage
from healthcareplus.domain.admin.filters import DEFAULT_SORT, AdminFilters
from healthcareplus.domain.admin.overview import Overview, overview
from healthcareplus.domain.admin.visits_to_close import place_only, visits_to_close

V = TypeVar("V")
VIEW_TTL_SECONDS = 60.0
KEY_VERSION = "v1"  # bump when a piece's meaning changes (a changed shape recomputes anyway)


@dataclass(frozen=True)
class ChartSet:
    """The dashboard's five charts."""

    days: DailyChart
    hospital_bookings: list[HospitalBookings]
    hospital_revenue: list[HospitalRevenue]
    top_doctors: list[DoctorBookings]
    methods: list[MethodCount]


def change_marker(session: Session) -> str:
    """The change marker the keys are made with (one cheap query)."""
    return data_version(session)


def figure_filters(filters: AdminFilters) -> AdminFilters:
    """What the figures read of the filters: neither the table's page nor its sort."""
    return replace(filters, page=1, sort=DEFAULT_SORT)


def minute_of(now: datetime) -> datetime:
    return utc(now).replace(second=0, microsecond=0)


def stats(session: Session, *, filters: AdminFilters, marker: str, now: datetime) -> DashboardStats:
    scope, at = figure_filters(filters), minute_of(now)
    return _shared(
        session,
        ("stats", marker, _stamp(at), _query(scope)),
        lambda: dashboard_stats(session, filters=scope, now=at),
        DashboardStats,
    )


def appointments(
    session: Session, *, filters: AdminFilters, marker: str, now: datetime
) -> ResultPage[AdminAppointmentRow]:
    """The appointment table's page (the filters' page and sort)."""
    at = minute_of(now)
    return _shared(
        session,
        ("table", marker, _stamp(at), _query(filters)),
        lambda: list_appointments(session, filters=filters, now=at),
        ResultPage[AdminAppointmentRow],
    )


def to_close(
    session: Session, *, filters: AdminFilters, marker: str, now: datetime, page: int
) -> ResultPage[AdminAppointmentRow]:
    """Page ``page`` of the visits to close, in the filters' place (the minute decides
    which visits have started)."""
    scope, at = place_only(filters), minute_of(now)
    return _shared(
        session,
        ("to_close", marker, _stamp(at), _query(scope), str(page)),
        lambda: visits_to_close(session, filters=scope, now=at, page=page),
        ResultPage[AdminAppointmentRow],
    )


def chart_set(session: Session, *, filters: AdminFilters, marker: str, now: datetime) -> ChartSet:
    scope, at = figure_filters(filters), minute_of(now)

    def compute() -> ChartSet:
        return ChartSet(
            days=bookings_per_day(session, filters=scope, now=at),
            hospital_bookings=charts.hospital_bookings(session, filters=scope),
            hospital_revenue=charts.hospital_revenue(session, filters=scope),
            top_doctors=charts.top_doctors(session, filters=scope),
            methods=charts.payment_method_mix(session, filters=scope),
        )

    day = clinic_today(at).isoformat()
    return _shared(session, ("charts", marker, day, _query(scope)), compute, ChartSet)


def hospitals(
    session: Session, *, filters: AdminFilters, marker: str, page: int
) -> ResultPage[HospitalStat]:
    """Page ``page`` of the per-hospital table."""
    scope = figure_filters(filters)
    return _shared(
        session,
        ("hospitals", marker, "-", _query(scope), str(page)),
        lambda: breakdowns.bookings_per_hospital(session, filters=scope, page=page),
        ResultPage[HospitalStat],
    )


def doctors(
    session: Session, *, filters: AdminFilters, marker: str, page: int
) -> ResultPage[DoctorStat]:
    """Page ``page`` of the per-doctor table."""
    scope = figure_filters(filters)
    return _shared(
        session,
        ("doctors", marker, "-", _query(scope), str(page)),
        lambda: breakdowns.bookings_per_doctor(session, filters=scope, page=page),
        ResultPage[DoctorStat],
    )


def landing(session: Session, *, marker: str, now: datetime) -> Overview:
    """The admin landing page's figures."""
    at = minute_of(now)
    return _shared(
        session, ("overview", marker, _stamp(at), ""), lambda: overview(session, now=at), Overview
    )


def _shared(session: Session, parts: tuple[str, ...], compute: Callable[[], V], kind: Any) -> V:
    key = ":".join(("dash", KEY_VERSION, _database(session), *parts))
    value: V = shared_cache().get_or_compute(key, compute, kind=kind, ttl=VIEW_TTL_SECONDS)
    return value


def _database(session: Session) -> str:
    """Which database (its URL, password hidden, hashed): two apps on one Redis, or two
    test databases in one process, never share an entry."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def _query(filters: AdminFilters) -> str:
    return urlencode(sorted(filters.to_query().items()))


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%MZ")


__all__ = [
    "KEY_VERSION",
    "VIEW_TTL_SECONDS",
    "ChartSet",
    "appointments",
    "chart_set",
    "change_marker",
    "doctors",
    "figure_filters",
    "hospitals",
    "landing",
    "minute_of",
    "stats",
    "to_close",
]
