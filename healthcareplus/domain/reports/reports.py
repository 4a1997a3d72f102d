"""Admin reports: the appointments export (streamed CSV) and the monthly summary.

The export walks the filtered appointments with keyset pagination in the filters' sort
order (``(start_at, id)`` for the default sort): every page is one short indexed query on
its own connection, so a million rows stream in constant memory, and a slow download never
holds a database connection or transaction open between pages.

The monthly summary is three SQL ``GROUP BY`` queries over the appointments starting in
the month (clinic time); revenue is the month's successful payments minus its refunds.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session, col

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import to_local, utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    Payment,
    PaymentStatus,
    User,
)
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.booking.views import time_status
from healthcareplus.domain.payments.methods import method_label

BOM = "\ufeff"  # lets spreadsheet programs read the CSV (names, "₹") as UTF-8
PAGE_SIZE = 5000
CSV_HEADER: tuple[str, ...] = (
    "Appointment ID",
    "Booked at (clinic)",
    "Date",
    "Time (clinic)",
    "Patient",
    "Patient email",
    "Doctor",
    "Specialization",
    "Hospital",
    "City",
    "Status",
    "Time status",
    "Payment status",
    "Payment method",
    "Fee (₹)",
    "Transaction ID",
)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MIN_YEAR, MAX_YEAR = 2000, 2100
_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Cells a spreadsheet would run as a formula; such text cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SessionSource = Engine | Callable[[], Session]

# Sort -> (key columns, descending); the last key is unique so the order is total.
_SORT_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "start_desc": (("start_at", "id"), True),
    "start_asc": (("start_at", "id"), False),
    "booked_desc": (("booked_at", "id"), True),
    "fee_desc": (("fee_paise", "start_at", "id"), True),
}


# --- CSV helpers -------------------------------------------------------------------------


def safe_cell(value: str | None) -> str:
    """Text as a CSV cell that no spreadsheet will evaluate (CSV/formula injection)."""
    text = value or ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def rupees_plain(paise: int) -> str:
    """Integer paise as a plain number of rupees for spreadsheets: 50050 -> "500.50"."""
    sign = "-" if paise < 0 else ""
    rupees, rest = divmod(abs(int(paise)), 100)
    return f"{sign}{rupees}.{rest:02d}"


class _LineWriter:
    """Formats one CSV record at a time (RFC 4180 quoting, CRLF line ends)."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def __call__(self, cells: Sequence[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(cells)
        return self._buffer.getvalue()


# --- the appointments export ---------------------------------------------------------------


def _export_query(filters: AdminFilters, after: tuple[Any, ...] | None, limit: int) -> Any:
    keys, descending = _SORT_KEYS[filters.sort]
    columns = [getattr(Appointment, key) for key in keys]
    query = (
        select(
            col(Appointment.id),
            col(Appointment.booked_at),
            col(Appointment.start_at),
            col(Appointment.end_at),
            col(Appointment.status),
            col(Appointment.payment_status),
            col(Appointment.payment_method),
            col(Appointment.fee_paise),
            col(Appointment.transaction_id),
            col(Appointment.hold_expires_at),
            col(User.name).label("patient_name"),
            col(User.email).label("patient_email"),
            col(Doctor.name).label("doctor_name"),
            col(Doctor.specialization),
            col(Hospital.name).label("hospital_name"),
            col(City.name).label("city_name"),
        )
        .join(User, col(User.id) == Appointment.patient_id)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .where(filters.where())
    )
    if after is not None:
        query = query.where(_after(columns, after, descending))
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order).limit(limit)


def _after(columns: list[Any], values: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the (lexicographic) sort order.

    Spelled out as ``k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND ...))`` instead of a row-value
    comparison so the database can use the index on the first key."""

    def beyond(column: Any, value: Any) -> ColumnElement[bool]:
        return column < value if descending else column > value

    condition = beyond(columns[-1], values[-1])
    for column, value in zip(reversed(columns[:-1]), reversed(values[:-1]), strict=True):
        condition = or_(beyond(column, value), and_(column == value, condition))
    first = columns[0] <= values[0] if descending else columns[0] >= values[0]
    return and_(first, condition)


@contextmanager
def _connection(source: SessionSource) -> Iterator[Connection]:
    if isinstance(source, Engine):
        with source.connect() as connection:
            yield connection
    else:
        with source() as session:
            yield session.connection()


def _csv_cells(row: Row[Any], now: datetime) -> list[str]:
    start = to_local(row.start_at)
    return [
        row.id,
        to_local(row.booked_at).strftime("%Y-%m-%d %H:%M"),
        start.date().isoformat(),
        start.strftime("%H:%M"),
        safe_cell(row.patient_name),
        safe_cell(row.patient_email),
        safe_cell(row.doctor_name),
        safe_cell(row.specialization),
        safe_cell(row.hospital_name),
        safe_cell(row.city_name),
        row.status,
        # time_status reads only status, end_at, hold_expires_at and payment_status,
        # which the row carries under the same names.
        time_status(cast(Appointment, row), now),
        safe_cell(row.payment_status),
        method_label(row.payment_method),
        rupees_plain(row.fee_paise),
        safe_cell(row.transaction_id),
    ]


def iter_appointments_csv(
    engine_or_session_factory: SessionSource,
    *,
    filters: AdminFilters,
    now: datetime,
    page_size: int = PAGE_SIZE,
) -> Iterator[str]:
    """Every appointment matching ``filters`` (all pages) as CSV lines, header first.

    Takes an engine or a session factory, not a session: the lines are produced while the
    response streams, after the request's own session is gone. Each page is read row by
    row into its CSV lines and the connection goes back to the pool before the lines are
    handed out, so memory holds one page of text and a slow client holds no connection."""
    now = utc(now)
    page_size = max(1, min(int(page_size), 50_000))
    keys, _ = _SORT_KEYS[filters.sort]
    line = _LineWriter()
    yield BOM + line(CSV_HEADER)
    after: tuple[Any, ...] | None = None
    while True:
        lines: list[str] = []
        with _connection(engine_or_session_factory) as connection:
            last = None
            for last in connection.execute(_export_query(filters, after, page_size)):
                lines.append(line(_csv_cells(last, now)))
            if last is not None:
                after = tuple(getattr(last, key) for key in keys)
            del last
        yield from lines
        if len(lines) < page_size:
            return
        del lines


def count_appointments(session: Session, *, filters: AdminFilters) -> int:
    """How many appointments the export of ``filters`` holds."""
    query = select(func.count()).select_from(Appointment).where(filters.where())
    return int(session.connection().execute(query).scalar_one())


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


@dataclass(frozen=True)
class ExportChoices:
    """The options of the export filters."""

    cities: tuple[Choice, ...]
    hospitals: tuple[Choice, ...]
    doctors: tuple[Choice, ...]


def export_choices(session: Session) -> ExportChoices:
    connection = session.connection()
    cities = connection.execute(select(City.id, City.name).order_by(col(City.name)))
    hospitals = connection.execute(
        select(Hospital.id, Hospital.name, City.name)
        .join(City, col(City.id) == Hospital.city_id)
        .order_by(col(Hospital.name), col(City.name))
    )
    doctors = connection.execute(
        select(Doctor.id, Doctor.name, Doctor.specialization).order_by(
            col(Doctor.name), col(Doctor.id)
        )
    )
    return ExportChoices(
        cities=tuple(Choice(i, name) for i, name in cities),
        hospitals=tuple(Choice(i, f"{name}, {city}") for i, name, city in hospitals),
        doctors=tuple(Choice(i, f"{name} · {spec}") for i, name, spec in doctors),
    )


# --- months --------------------------------------------------------------------------------


def month_label(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def parse_month(text: object) -> tuple[int, int]:
    """ "2026-03" -> (2026, 3); anything else is a ``ValidationFailed``."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match:
        year, month = int(match[1]), int(match[2])
        if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
            return year, month
    raise ValidationFailed({"month": "Choose a month (YYYY-MM)."})


def month_range(year: int, month: int) -> tuple[datetime, datetime]:
    """The month's [start, end) instants: midnight to midnight in the clinic's zone."""
    zone = get_settings().clinic_zone
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return utc(start), utc(end)


def previous_month(now: datetime) -> tuple[int, int]:
    """Last month in clinic time (the report's default: the last complete month)."""
    first = to_local(now).date().replace(day=1)
    last_month = first - timedelta(days=1)
    return last_month.year, last_month.month


def recent_months(now: datetime, count: int = 24) -> list[tuple[str, str]]:
    """(``"YYYY-MM"``, ``"March 2026"``) for this month and the ``count - 1`` before it."""
    today = to_local(now).date()
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append((f"{year:04d}-{month:02d}", month_label(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


# --- the monthly summary ---------------------------------------------------------------


@dataclass(frozen=True)
class DoctorMonthRow:
    doctor_id: int
    doctor: str
    specialization: str
    hospital_id: int
    hospital: str
    city: str
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int


@dataclass(frozen=True)
class HospitalMonthRow:
    hospital_id: int
    hospital: str
    city: str
    doctors: int
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int


@dataclass(frozen=True)
class MonthTotals:
    doctors: int
    bookings: int
    confirmed: int
    completed: int
    cancelled: int
    no_shows: int
    revenue_paise: int


@dataclass(frozen=True)
class MonthlySummary:
    """Appointments starting in the month (clinic time), per doctor and per hospital.

    ``bookings`` counts every appointment of the month whatever its status; the status
    columns count the current status; revenue is successful payments minus refunds."""

    year: int
    month: int
    label: str
    doctors: tuple[DoctorMonthRow, ...]
    hospitals: tuple[HospitalMonthRow, ...]
    totals: MonthTotals


def _status_count(status: AppointmentStatus, label: str) -> Any:
    hits = func.sum(case((col(Appointment.status) == status.value, 1), else_=0))
    return func.coalesce(hits, 0).label(label)


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
        select(
            *columns,
            func.count(col(Appointment.id)).label("bookings"),
            _status_count(AppointmentStatus.CONFIRMED, "confirmed"),
            _status_count(AppointmentStatus.COMPLETED, "completed"),
            _status_count(AppointmentStatus.CANCELLED, "cancelled"),
            _status_count(AppointmentStatus.NO_SHOW, "no_shows"),
            func.coalesce(func.sum(net.c.net), 0).label("revenue_paise"),
        )
        .select_from(Appointment)
        .join(Hospital, col(Hospital.id) == Appointment.hospital_id)
        .join(City, col(City.id) == Hospital.city_id)
        .outerjoin(net, net.c.appointment_id == Appointment.id)
        .where(in_month)
    )


def _ints(row: Row[Any], *names: str) -> dict[str, int]:
    return {name: int(row._mapping[name]) for name in names}


_FIGURES = ("bookings", "confirmed", "completed", "cancelled", "no_shows", "revenue_paise")


def monthly_summary(session: Session, *, year: int, month: int) -> MonthlySummary:
    """The month's figures per doctor, per hospital and in total (three GROUP BY queries)."""
    if not (MIN_YEAR <= int(year) <= MAX_YEAR and 1 <= int(month) <= 12):
        raise ValidationFailed({"month": "Choose a month (YYYY-MM)."})
    year, month = int(year), int(month)
    start, end = month_range(year, month)
    in_month = and_(col(Appointment.start_at) >= start, col(Appointment.start_at) < end)
    connection = session.connection()
    names = (
        col(Hospital.id).label("hospital_id"),
        col(Hospital.name).label("hospital"),
        col(City.name).label("city"),
    )
    doctor = (
        col(Doctor.id).label("doctor_id"),
        col(Doctor.name).label("doctor"),
        col(Doctor.specialization).label("specialization"),
    )
    doctors_booked = func.count(func.distinct(Appointment.doctor_id)).label("doctors")
    doctor_rows = connection.execute(
        _month_query(in_month, *doctor, *names)
        .join(Doctor, col(Doctor.id) == Appointment.doctor_id)
        .group_by(*doctor, *names)
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
        label=month_label(year, month),
        doctors=tuple(
            DoctorMonthRow(
                doctor=r.doctor,
                specialization=r.specialization,
                hospital=r.hospital,
                city=r.city,
                **_ints(r, "doctor_id", "hospital_id", *_FIGURES),
            )
            for r in doctor_rows
        ),
        hospitals=tuple(
            HospitalMonthRow(
                hospital=r.hospital,
                city=r.city,
                **_ints(r, "hospital_id", "doctors", *_FIGURES),
            )
            for r in hospital_rows
        ),
        totals=MonthTotals(**_ints(total, "doctors", *_FIGURES)),
    )


SUMMARY_FIGURES = ("Bookings", "Confirmed", "Completed", "Cancelled", "No-shows")
DOCTOR_HEADER = ("Doctor", "Specialization", "Hospital", "City", *SUMMARY_FIGURES, "Revenue (₹)")
HOSPITAL_HEADER = ("Hospital", "City", "Doctors", *SUMMARY_FIGURES, "Revenue (₹)")


def _numbers(row: DoctorMonthRow | HospitalMonthRow | MonthTotals) -> list[str]:
    counts = (row.bookings, row.confirmed, row.completed, row.cancelled, row.no_shows)
    return [*(str(n) for n in counts), rupees_plain(row.revenue_paise)]


def monthly_summary_csv(summary: MonthlySummary) -> str:
    """The summary as one CSV: a title line, the doctors' table, then the hospitals'."""
    line = _LineWriter()
    totals = summary.totals
    parts = [BOM + line(["Monthly summary", summary.label]), "\r\n", line(["Doctors"])]
    parts.append(line(DOCTOR_HEADER))
    for d in summary.doctors:
        text = [safe_cell(v) for v in (d.doctor, d.specialization, d.hospital, d.city)]
        parts.append(line([*text, *_numbers(d)]))
    parts.append(line(["Total", "", "", "", *_numbers(totals)]))
    parts += ["\r\n", line(["Hospitals"]), line(HOSPITAL_HEADER)]
    for h in summary.hospitals:
        parts.append(line([safe_cell(h.hospital), safe_cell(h.city), str(h.doctors), *_numbers(h)]))
    parts.append(line(["Total", "", str(totals.doctors), *_numbers(totals)]))
    return "".join(parts)


__all__ = [
    "CSV_HEADER",
    "Choice",
    "DoctorMonthRow",
    "ExportChoices",
    "HospitalMonthRow",
    "MonthTotals",
    "MonthlySummary",
    "count_appointments",
    "export_choices",
    "iter_appointments_csv",
    "month_label",
    "month_range",
    "monthly_summary",
    "monthly_summary_csv",
    "parse_month",
    "previous_month",
    "recent_months",
    "rupees_plain",
    "safe_cell",
]
