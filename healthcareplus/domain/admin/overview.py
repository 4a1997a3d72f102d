"""The admin's landing figures, counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    City,
    Doctor,
    Hospital,
    Role,
    User,
)


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


def overview(session: Session, *, now: datetime) -> Overview:
    zone = get_settings().clinic_zone
    day_start = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    day_end = day_start + timedelta(days=1)
    return Overview(
        cities=_count(session, table=City),
        hospitals=_count(session, table=Hospital),
        active_doctors=_count(session, col(Doctor.is_active).is_(True), table=Doctor),
        patients=_count(session, col(User.role) == Role.PATIENT, table=User),
        appointments=_count(session),
        appointments_today=_count(
            session, col(Appointment.start_at) >= day_start, col(Appointment.start_at) < day_end
        ),
        upcoming_confirmed=_count(
            session,
            col(Appointment.status) == AppointmentStatus.CONFIRMED,
            col(Appointment.start_at) >= now,
        ),
    )
