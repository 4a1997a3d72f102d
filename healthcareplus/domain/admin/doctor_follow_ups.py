"""The bookings an admin should follow up on: a doctor's confirmed and live held visits
from now on (shown when the doctor is deactivated, or later on their inactive profile)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from healthcareplus.core.formatting import utc, when_labels
from healthcareplus.core.models import Appointment, User
from healthcareplus.domain.scheduling import lifecycle

FOLLOW_UP_LIMIT = 500


@dataclass(frozen=True)
class FollowUp:
    """A future booking of a deactivated doctor that someone should call about."""

    appointment_id: str
    patient_name: str
    patient_phone: str
    patient_email: str
    start_at: datetime
    date_label: str
    time_label: str
    status: str


def _future_where(doctor_id: int, now: datetime) -> list[ColumnElement[bool]]:
    return [
        col(Appointment.doctor_id) == doctor_id,
        col(Appointment.start_at) >= now,
        col(Appointment.status).in_([lifecycle.CONFIRMED, lifecycle.PENDING]),
        lifecycle.holds_slot_clause(now),
    ]


def future_appointments(
    session: Session, *, doctor_id: int, now: datetime, limit: int = FOLLOW_UP_LIMIT
) -> tuple[tuple[FollowUp, ...], int]:
    """The doctor's confirmed and held bookings from now on (soonest first), and their count."""
    now = utc(now)
    where = _future_where(doctor_id, now)
    total = session.exec(select(func.count(col(Appointment.id))).where(*where)).one()
    rows = session.exec(
        select(Appointment, User.name, User.phone, User.email)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(*where)
        .order_by(col(Appointment.start_at), col(Appointment.id))
        .limit(min(max(limit, 0), FOLLOW_UP_LIMIT))
    ).all()
    items = tuple(
        FollowUp(
            appointment_id=a.id,
            patient_name=name,
            patient_phone=phone,
            patient_email=email,
            start_at=a.start_at,
            **when_labels(a.start_at),
            status=a.status,
        )
        for a, name, phone, email in rows
    )
    return items, total


__all__ = ["FOLLOW_UP_LIMIT", "FollowUp", "future_appointments"]
