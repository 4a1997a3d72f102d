"""What the admin's timetable reads of one doctor's day, shared by the grid
(``timetable``) and slot blocking (``slot_blocks``): the doctor, the bookings holding
slots, and the time off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import utc
from healthcareplus.core.models import Appointment, Doctor, Hospital, TimeOff, User
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.slots import Slot

# Slots last at most 120 minutes (DoctorSchedule.slot_minutes): how far back a booking
# overlapping a slot can start.
MAX_SLOT = timedelta(minutes=120)


@dataclass(frozen=True)
class Off:
    """A time off entry as the timetable uses it."""

    id: int
    start_at: datetime
    end_at: datetime
    reason: str

    def covers(self, start: datetime, end: datetime) -> bool:
        # A zero-length entry still marks its instant, as in availability.
        return (self.start_at < end and self.end_at > start) or self.start_at == start

    def exactly(self, start: datetime, end: datetime) -> bool:
        return self.start_at == start and self.end_at == end


def active_doctor(session: Session, doctor_id: int) -> tuple[Doctor, str]:
    row = session.exec(
        select(Doctor, Hospital.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(col(Doctor.id) == doctor_id)
    ).first()
    if row is None or not row[0].is_active:
        raise NotFound("Doctor not found.")
    return row[0], row[1]


def day_bounds(day: date, slots: list[Slot]) -> tuple[datetime, datetime]:
    """The clinic day as UTC instants, stretched to a last slot ending at midnight."""
    zone = get_settings().clinic_zone
    lo = utc(datetime.combine(day, time(0), tzinfo=zone))
    hi = utc(datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))
    if slots:
        lo, hi = min(lo, slots[0].start_at), max(hi, slots[-1].end_at)
    return lo, hi


def live_bookings(
    session: Session, doctor_id: int, start: datetime, end: datetime, now: datetime
) -> list[tuple[Appointment, str]]:
    """Slot-taking appointments starting in [start, end), with the patient's name."""
    rows = session.exec(
        select(Appointment, User.name)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(
            col(Appointment.doctor_id) == doctor_id,
            col(Appointment.start_at) >= start,
            col(Appointment.start_at) < end,
            col(Appointment.status).in_(sorted(lifecycle.INDEXED_STATUSES)),
            lifecycle.holds_slot_clause(now),
        )
        .order_by(col(Appointment.start_at))
    )
    return [(appointment, name) for appointment, name in rows]


def time_off_between(session: Session, doctor_id: int, start: datetime, end: datetime) -> list[Off]:
    rows = session.exec(
        select(TimeOff.id, TimeOff.start_at, TimeOff.end_at, TimeOff.reason).where(
            col(TimeOff.doctor_id) == doctor_id,
            col(TimeOff.start_at) < end,
            col(TimeOff.end_at) >= start,
        )
    )
    out: list[Off] = []
    for i, s, e, r in rows:
        assert i is not None  # a primary key
        out.append(Off(i, s, e, r or ""))
    return out


__all__ = ["MAX_SLOT", "Off", "active_doctor", "day_bounds", "live_bookings", "time_off_between"]
