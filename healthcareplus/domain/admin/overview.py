"""The admin's landing figures: the portal's size and today's work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import clinic_today, utc
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    AppointmentTally,
    City,
    Doctor,
    Hospital,
    Role,
    User,
)
from healthcareplus.core.tally_models import EVERY, Grain
from healthcareplus.domain.admin.tally_reads import bookings_where


@dataclass(frozen=True)
class Overview:
    cities: int
    hospitals: int
    active_doctors: int
    patients: int
    appointments: int
    appointments_today: int
    upcoming_confirmed: int


def _count(session: Session, *where: ColumnElement[bool], table: type = Appointment) -> int:
    return session.exec(select(func.count()).select_from(table).where(*where)).one()


def _booked(session: Session, grain: Grain, *where: ColumnElement[bool]) -> int:
    """Bookings summed from the counters of ``grain`` (no appointment is read)."""
    T = AppointmentTally
    pinned = [col(T.doctor_id) == EVERY, col(T.hospital_id) == EVERY]
    query = select(bookings_where()).where(col(T.grain) == int(grain), *pinned, *where)
    return int(session.exec(query).one())


def overview(session: Session, *, now: datetime) -> Overview:
    """The portal's size and today's work. The appointment figures come from the counters
    (all time; per clinic day), except the visits still ahead today, which are read from
    today's appointments alone: their cost does not grow with history."""
    now = utc(now)
    zone = get_settings().clinic_zone
    today = clinic_today(now)
    day_end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone)
    day = col(AppointmentTally.day)
    confirmed = col(AppointmentTally.status) == AppointmentStatus.CONFIRMED
    return Overview(
        cities=_count(session, table=City),
        hospitals=_count(session, table=Hospital),
        active_doctors=_count(session, col(Doctor.is_active).is_(True), table=Doctor),
        patients=_count(session, col(User.role) == Role.PATIENT, table=User),
        appointments=_booked(session, Grain.TOTAL),
        appointments_today=_booked(session, Grain.DAY, day == today),
        upcoming_confirmed=_booked(session, Grain.DAY, day > today, confirmed)
        + _count(
            session,
            col(Appointment.status) == AppointmentStatus.CONFIRMED,
            col(Appointment.start_at) >= now,
            col(Appointment.start_at) < day_end,
        ),
    )
