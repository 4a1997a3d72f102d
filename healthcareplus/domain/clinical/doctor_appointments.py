"""All of a doctor's appointments, past and future: a searchable, filtered list a page at
a time, and a week of them day by day (clinic time).

Both read only the doctor's own appointments (``doctor_id`` as resolved from the signed-in
user, see ``doctor_day.doctor_for_user``), over the ``(doctor_id, start_at)`` index. A
booking hold that expired or lapsed unpaid never became a visit: the list shows it only
when asked for expired ones, and the week never does (nor cancelled visits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, or_
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.family_models import Dependant
from healthcareplus.core.formatting import (
    clinic_today,
    format_day_month,
    format_local_time,
    utc,
    weekday_short,
)
from healthcareplus.core.models import Appointment, AppointmentStatus, User
from healthcareplus.core.paging import PAGE_SIZE, Page, fetch_page
from healthcareplus.core.search_text import contains_any, search_terms
from healthcareplus.domain.booking.views import visit_labels
from healthcareplus.domain.clinical.doctor_day import VisitRow, status_label
from healthcareplus.domain.clinical.records import age_label
from healthcareplus.domain.scheduling import lifecycle

SCOPES = ("upcoming", "past", "all")
# The status filter's choices: (value, label); "" is every visit that was really booked.
STATUS_FILTERS = (
    ("", "All statuses"),
    (AppointmentStatus.CONFIRMED.value, "Confirmed"),
    (AppointmentStatus.PENDING_PAYMENT.value, "Awaiting payment"),
    (AppointmentStatus.COMPLETED.value, "Completed"),
    (AppointmentStatus.NO_SHOW.value, "No-show"),
    (AppointmentStatus.CANCELLED.value, "Cancelled"),
    (AppointmentStatus.EXPIRED.value, "Expired"),
)
MAX_TERMS = 6
WEEK_LIMIT = 500  # a week's visits (a doctor sees far fewer)
FIRST_WEEK, LAST_WEEK = date(2000, 1, 3), date(2099, 12, 28)  # Mondays
BAD_WEEK = "Choose a week between 2000 and 2099."
_NOT_DIGITS = re.compile(r"\D")


@dataclass(frozen=True)
class WeekVisit:
    appointment_id: str
    day: str  # ISO date of its clinic day: the ``WeekDay`` it belongs to
    time_label: str
    end_label: str
    patient_name: str
    reason: str
    status_label: str
    time_status: str


@dataclass(frozen=True)
class WeekDay:
    day: str  # ISO date
    label: str  # "Mon 23 Nov"
    is_today: bool
    visits: tuple[WeekVisit, ...]


@dataclass(frozen=True)
class Week:
    start: str  # ISO date of its Monday
    label: str  # "23 Nov – 29 Nov 2026"
    previous: str  # the Mondays around it
    next: str
    is_current: bool
    total: int
    days: tuple[WeekDay, ...]


def local_midnight(day: date) -> datetime:
    """The instant (UTC) the clinic's ``day`` starts."""
    zone = get_settings().clinic_zone
    return datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def visit_row(
    appointment: Appointment, holder: User, dependant: Dependant | None, now: datetime
) -> VisitRow:
    """One appointment as the doctor's lists show it: the person it is for (the family
    member, booked by the account holder, or the account holder)."""
    labels = visit_labels(appointment, now)
    person: User | Dependant = dependant or holder
    return VisitRow(
        **labels,
        appointment_id=appointment.id,
        patient_name=person.name,
        age_label=age_label(person.date_of_birth, clinic_today(now)),
        reason=appointment.reason,
        status_label=status_label(appointment, labels["time_status"]),
        start_at=appointment.start_at,
        booked_by=holder.name if dependant else "",
    )


def _status_is(status: str, now: datetime) -> ColumnElement[bool]:
    """The filter's condition; "" (and anything unknown) is every booked visit."""
    stored = col(Appointment.status)
    if status == lifecycle.PENDING:
        return lifecycle.PENDING_HOLDS.sql(now)
    if status == lifecycle.EXPIRED:
        return or_(stored == lifecycle.EXPIRED, lifecycle.HOLD_LAPSED.sql(now))
    if status in (lifecycle.CONFIRMED, lifecycle.COMPLETED, lifecycle.NO_SHOW, lifecycle.CANCELLED):
        return stored == status
    return and_(stored != lifecycle.EXPIRED, not_(lifecycle.HOLD_LAPSED.sql(now)))


def person_matches(query: object) -> list[ColumnElement[bool]]:
    """Every word of ``query`` in the name of the person the visit is for or of the
    account holder, or (three digits or more) in the holder's phone."""
    where: list[ColumnElement[bool]] = []
    for term in search_terms(query, max_terms=MAX_TERMS):
        match = contains_any(term, User.name, Dependant.name)
        digits = _NOT_DIGITS.sub("", term)
        if len(digits) >= 3:  # phones are stored as "+91 98450 12345"
            match = or_(match, func.replace(User.phone, " ", "").contains(digits, autoescape=True))
        where.append(match)
    return where


def doctor_appointments(
    session: Session,
    *,
    doctor_id: int,
    now: datetime,
    query: str = "",
    status: str = "",
    scope: str = "upcoming",
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Page[VisitRow]:
    """The doctor's appointments matching ``query`` (see ``person_matches``) and
    ``status`` (one of ``STATUS_FILTERS``), a page at a time. ``scope`` "upcoming": from
    the start of today (clinic time) on, soonest first; "past": before today, latest
    first; "all" (or anything else): every one, latest first."""
    now = utc(now)
    today = local_midnight(clinic_today(now))
    start = col(Appointment.start_at)
    where = [
        col(Appointment.doctor_id) == doctor_id,
        _status_is(status if isinstance(status, str) else "", now),
        *person_matches(query),
    ]
    order = start.desc()
    if scope == "upcoming":
        where.append(start >= today)
        order = start.asc()
    elif scope == "past":
        where.append(start < today)
    rows, paging = fetch_page(
        session,
        select(Appointment, User, Dependant)
        .join(User, col(User.id) == Appointment.patient_id)
        .outerjoin(Dependant, col(Dependant.id) == Appointment.dependant_id)
        .where(*where)
        .order_by(order, col(Appointment.id)),
        count=select(func.count(col(Appointment.id)))
        .select_from(Appointment)
        .join(User, col(User.id) == Appointment.patient_id)
        .outerjoin(Dependant, col(Dependant.id) == Appointment.dependant_id)
        .where(*where),
        page=page,
        page_size=per_page,
    )
    return Page(items=tuple(visit_row(a, p, d, now) for a, p, d in rows), paging=paging)


def _week_label(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    return f"{format_day_month(monday)} – {format_day_month(sunday)} {sunday.year}"


def doctor_week(session: Session, *, doctor_id: int, week_start: date, now: datetime) -> Week:
    """The clinic-time week (Monday to Sunday) holding ``week_start``, day by day, with
    the doctor's visits that hold their slot (confirmed, completed, no-shows and live
    payment holds) in time order. ``ValidationFailed`` for a week outside 2000-2099."""
    now = utc(now)
    if not isinstance(week_start, date):
        raise ValidationFailed({"week": BAD_WEEK})
    monday = monday_of(week_start.date() if isinstance(week_start, datetime) else week_start)
    if not FIRST_WEEK <= monday <= LAST_WEEK:
        raise ValidationFailed({"week": BAD_WEEK})
    today = clinic_today(now)
    start = col(Appointment.start_at)
    rows = session.exec(
        select(Appointment, User, Dependant)
        .join(User, col(User.id) == Appointment.patient_id)
        .outerjoin(Dependant, col(Dependant.id) == Appointment.dependant_id)
        .where(
            col(Appointment.doctor_id) == doctor_id,
            start >= local_midnight(monday),
            start < local_midnight(monday + timedelta(days=7)),
            lifecycle.holds_slot_clause(now),
        )
        .order_by(start, col(Appointment.id))
        .limit(WEEK_LIMIT)
    ).all()
    by_day: dict[date, list[WeekVisit]] = {monday + timedelta(days=i): [] for i in range(7)}
    for appointment, holder, dependant in rows:
        row = visit_row(appointment, holder, dependant, now)
        day = clinic_today(appointment.start_at)
        by_day.setdefault(day, []).append(
            WeekVisit(
                appointment_id=row.appointment_id,
                day=day.isoformat(),
                time_label=row.time_label,
                end_label=format_local_time(appointment.end_at),
                patient_name=row.patient_name,
                reason=row.reason,
                status_label=row.status_label,
                time_status=row.time_status,
            )
        )
    days = tuple(
        WeekDay(
            day=day.isoformat(),
            label=f"{weekday_short(day)} {format_day_month(day)}",
            is_today=day == today,
            visits=tuple(by_day[day]),
        )
        for day in sorted(by_day)
        if monday <= day < monday + timedelta(days=7)
    )
    return Week(
        start=monday.isoformat(),
        label=_week_label(monday),
        previous=max(monday - timedelta(days=7), FIRST_WEEK).isoformat(),
        next=min(monday + timedelta(days=7), LAST_WEEK).isoformat(),
        is_current=monday == monday_of(today),
        total=sum(len(d.visits) for d in days),
        days=days,
    )


__all__ = [
    "BAD_WEEK",
    "SCOPES",
    "STATUS_FILTERS",
    "Week",
    "WeekDay",
    "WeekVisit",
    "doctor_appointments",
    "doctor_week",
    "local_midnight",
    "monday_of",
    "person_matches",
    "visit_row",
]
