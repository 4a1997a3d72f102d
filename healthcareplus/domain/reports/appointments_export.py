"""The admin's appointments export: every appointment matching the filters as a streamed
CSV, how many that is, and the choices the export's filters offer.

The export walks the filtered appointments with keyset pagination in the filters' sort
order (``(start_at, id)`` for the default sort): every page is one short indexed query on
its own connection, so a million rows stream in constant memory, and a slow download never
holds a database connection or transaction open between pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session, col

from healthcareplus.core.formatting import to_local, utc
from healthcareplus.core.models import Appointment, City, Doctor, Hospital, User
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.booking.views import appointment_query, time_status
from healthcareplus.domain.payments.methods import method_label
from healthcareplus.domain.reports.csv_text import BOM, CsvLineWriter, rupees_plain, safe_cell

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

SessionSource = Engine | Callable[[], Session]

# Sort -> (key columns, descending); the last key is unique so the order is total.
_SORT_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "start_desc": (("start_at", "id"), True),
    "start_asc": (("start_at", "id"), False),
    "booked_desc": (("booked_at", "id"), True),
    "fee_desc": (("fee_paise", "start_at", "id"), True),
}


def _export_query(filters: AdminFilters, after: tuple[Any, ...] | None, limit: int) -> Any:
    keys, descending = _SORT_KEYS[filters.sort]
    columns = [getattr(Appointment, key) for key in keys]
    query = appointment_query(
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
        patient=True,
    ).where(filters.where())
    if after is not None:
        query = query.where(_after(columns, after, descending))
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order).limit(limit)


def _after(columns: list[Any], values: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the (lexicographic) sort order.

    Spelled out as ``k1 <= v1 AND (k1 < v1 OR (k1 = v1 AND ...))`` instead of a row-value
    comparison so the database can use the index on the first key."""

    def beyond(column: ColumnElement[Any], value: object) -> ColumnElement[bool]:
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
    line = CsvLineWriter()
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


def _choice(choice_id: int | None, label: str) -> Choice:
    assert choice_id is not None  # a primary key
    return Choice(choice_id, label)


def export_choices(session: Session) -> ExportChoices:
    connection = session.connection()
    cities = connection.execute(select(col(City.id), col(City.name)).order_by(col(City.name)))
    hospitals = connection.execute(
        select(col(Hospital.id), col(Hospital.name), col(City.name))
        .join(City, col(City.id) == Hospital.city_id)
        .order_by(col(Hospital.name), col(City.name))
    )
    doctors = connection.execute(
        select(col(Doctor.id), col(Doctor.name), col(Doctor.specialization)).order_by(
            col(Doctor.name), col(Doctor.id)
        )
    )
    return ExportChoices(
        cities=tuple(_choice(i, name) for i, name in cities),
        hospitals=tuple(_choice(i, f"{name}, {city}") for i, name, city in hospitals),
        doctors=tuple(_choice(i, f"{name} · {spec}") for i, name, spec in doctors),
    )


__all__ = [
    "CSV_HEADER",
    "PAGE_SIZE",
    "Choice",
    "ExportChoices",
    "count_appointments",
    "export_choices",
    "iter_appointments_csv",
]
