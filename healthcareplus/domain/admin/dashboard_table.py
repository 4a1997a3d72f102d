"""The dashboard's appointment table: the filtered appointments, one server-side page.

The total (and so the pages) is a sum of the appointment counters (``tally_reads``), never
a count of the appointments. The page is one query joined with patient, doctor, hospital
and city, in the filters' sort, read along an index. A deep page of a visit-date sort
starts at the clinic day it falls on, found from the per-day counters, so it skips only
that day's earlier rows instead of every row before it. Each row carries the ``can_*``
flags of ``rules.rules_for`` (the same rules the ``actions`` services enforce), so the
page shows only the sensible actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import format_local_date, format_local_time, utc
from healthcareplus.core.models import Appointment, AppointmentStatus, AppointmentTally, User
from healthcareplus.core.paging import offset_of, paging
from healthcareplus.domain.accounts.dependants import relation_label
from healthcareplus.domain.admin.figures import ResultPage, result_page
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.rules import rules_for
from healthcareplus.domain.admin.tally_reads import bookings_where, tally_day, tally_where
from healthcareplus.domain.booking.views import (
    DOCTOR_AND_PLACE,
    appointment_query,
    clean_appointment_id,
    visit_labels,
)

PAGE_SIZE = 20
# From this many rows in, a page of a visit-date sort starts at its day (``_seek``).
SEEK_FROM = 1_000
_BY_VISIT = {"start_desc": True, "start_asc": False}  # sort -> latest first
# Each sort: the columns it orders by, latest/highest first where True.
_SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "start_desc": (("start_at", True), ("id", False)),
    "start_asc": (("start_at", False), ("id", False)),
    "booked_desc": (("booked_at", True), ("id", False)),
    "fee_desc": (("fee_paise", True), ("start_at", True), ("id", False)),
}


@dataclass(frozen=True)
class AdminAppointmentRow:
    id: str
    short_id: str  # first 8 characters, for people
    patient_id: int
    patient_name: str
    patient_email: str
    patient_phone: str
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    city_name: str
    date_label: str  # clinic time: "Mon, 23 Nov 2026"
    time_label: str  # "09:30 AM"
    booked_label: str  # "Sun, 22 Nov 2026, 06:10 PM"
    start_at: datetime  # the instants behind the labels (UTC)
    end_at: datetime
    booked_at: datetime
    reason: str
    status: str  # AppointmentStatus value
    time_status: str  # upcoming / pending_payment / completed / missed / cancelled / expired
    display_status: str  # time_status, but "visit_passed" for a confirmed visit now over
    payment_status: str
    payment_method: str  # label, "" when none chosen yet
    fee_paise: int
    fee_label: str
    transaction_id: str
    cancel_reason: str
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool
    # The family member the visit is for ("" when it is for the account holder).
    for_name: str = ""
    for_relation: str = ""  # "Child", "Spouse"...


# The names of the row's patient, doctor and place, by field (the doctor's: ``DOCTOR_AND_PLACE``).
_NAMES = {
    "patient_name": col(User.name),
    "patient_email": col(User.email),
    "patient_phone": col(User.phone),
    **DOCTOR_AND_PLACE,
}


def row_query() -> Any:
    """The table's rows: the appointment with its patient (and the family member it is
    for, if any), doctor and place."""
    person = (col(Dependant.name), col(Dependant.relation))
    return appointment_query(Appointment, *person, *_NAMES.values(), patient=True, dependant=True)


def table_row(result: Any, now: datetime) -> AdminAppointmentRow:
    appointment, for_name, for_relation, *names = result
    labels = visit_labels(appointment, now)
    booked = appointment.booked_at
    # Not marked completed or no-show yet: the admin should see it is still open.
    shown = labels["time_status"]
    passed = shown == "completed" and appointment.status == AppointmentStatus.CONFIRMED
    return AdminAppointmentRow(
        **dict(zip(_NAMES, names, strict=True)),
        **labels,
        **rules_for(appointment, now).flags(),
        id=appointment.id,
        short_id=appointment.id[:8],
        patient_id=appointment.patient_id,
        doctor_id=appointment.doctor_id,
        booked_label=f"{format_local_date(booked)}, {format_local_time(booked)}",
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        booked_at=booked,
        reason=appointment.reason,
        display_status="visit_passed" if passed else shown,
        fee_paise=appointment.fee_paise,
        cancel_reason=appointment.cancel_reason or "",
        for_name=for_name or "",
        for_relation=relation_label(for_relation),
    )


def sort_order(sort: str, columns: Any = None) -> list[Any]:
    """ORDER BY for ``sort`` over ``columns`` (the appointments' by default, or those a
    subquery selected under the same names)."""
    source = columns if columns is not None else Appointment.__table__.c  # type: ignore[attr-defined]
    keys = _SORTS.get(sort, _SORTS["start_desc"])
    return [source[name].desc() if latest else source[name] for name, latest in keys]


def list_appointments(
    session: Session, *, filters: AdminFilters, now: datetime, page_size: int = PAGE_SIZE
) -> ResultPage[AdminAppointmentRow]:
    """One page of the filtered appointments in the filters' order (default: latest
    visit first); a page past the end shows the last page.

    The page is found from the appointments alone, along the sort's index (its ids and
    sort keys); only its rows are then read whole and joined with their patient, doctor
    and place, in the page's order."""
    now = utc(now)
    total = session.exec(select(bookings_where()).where(*tally_where(filters))).one()
    p = paging(int(total), filters.page, page_size)
    narrowed, skip = _seek(session, filters, offset_of(p))
    table = Appointment.__table__.c  # type: ignore[attr-defined]
    keys = {name for name, _ in _SORTS.get(filters.sort, _SORTS["start_desc"])}
    page = (
        select(*(table[name] for name in sorted(keys)))
        .where(filters.where(), *narrowed)
        .order_by(*sort_order(filters.sort))
        .limit(p.page_size)
        .offset(skip)
        .subquery()
    )
    query = row_query().join(page, page.c.id == Appointment.id)
    rows = session.exec(query.order_by(*sort_order(filters.sort, page.c))).all()
    return result_page([table_row(r, now) for r in rows], p)


def _seek(
    session: Session, filters: AdminFilters, offset: int
) -> tuple[list[ColumnElement[bool]], int]:
    """For row ``offset`` of a visit-date sort: the condition that starts the rows at the
    clinic day holding it (from the per-day counters), and the offset left within them;
    none and ``offset`` for other sorts, or near the top where skipping costs little."""
    latest_first = _BY_VISIT.get(filters.sort)
    if latest_first is None or offset < SEEK_FROM:
        return [], offset
    day = col(AppointmentTally.day)
    per_day = session.exec(
        select(day, bookings_where())
        .where(*tally_where(filters, per_day=True))
        .group_by(day)
        .order_by(day.desc() if latest_first else day)
    ).all()
    before = 0  # rows on the days ahead of this one in the sort
    for value, n in per_day:
        if before + int(n) > offset:
            first = tally_day(value)
            zone = get_settings().clinic_zone
            start = col(Appointment.start_at)
            if latest_first:
                end = datetime.combine(first + timedelta(days=1), time(0), tzinfo=zone)
                return [start < end], offset - before
            return [start >= datetime.combine(first, time(0), tzinfo=zone)], offset - before
        before += int(n)
    return [], offset


def get_appointment_row(
    session: Session, *, appointment_id: str, now: datetime
) -> AdminAppointmentRow:
    """One appointment as the list shows it (any patient's: the caller is an admin)."""
    row = session.exec(
        row_query().where(col(Appointment.id) == clean_appointment_id(appointment_id))
    ).first()
    if row is None:
        raise NotFound("Appointment not found.")
    return table_row(row, utc(now))


__all__ = [
    "PAGE_SIZE",
    "AdminAppointmentRow",
    "get_appointment_row",
    "list_appointments",
    "row_query",
    "table_row",
]
