"""The admin's timetable: one doctor's day slot by slot, and blocking single slots.

A slot is ``available`` (free, still ahead), ``booked`` (an appointment holds it:
confirmed, completed or no-show), ``held`` (awaiting payment under a live hold),
``blocked`` (time off covers it) or ``past``. A booking that fits no slot of the current
schedule (the schedule changed after it was made) still gets a row, so it can be acted on.

Blocking adds a ``TimeOff`` covering exactly one slot; unblocking removes only such a
one-slot entry (a leave or holiday is edited with the doctor's time off, not here). A
booking racing a block can still land (booking checks time off before it inserts); the
grid then shows it as booked, where the admin sees it and can cancel it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, get_args

from sqlalchemy import delete, or_
from sqlmodel import Session, col, func, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_local_date,
    format_local_time,
    format_rupees,
    to_local,
    utc,
)
from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    AppointmentStatus,
    Doctor,
    Hospital,
    Role,
    TimeOff,
    User,
)
from healthcareplus.domain.admin.actions import require_admin, rules_for
from healthcareplus.domain.payments.ledger import PROCESSING, audit_event
from healthcareplus.domain.payments.methods import method_label
from healthcareplus.domain.scheduling.availability import Slot, day_slots

SlotKind = Literal["available", "booked", "held", "blocked", "past"]
SLOT_BLOCKED = "slot_blocked"
SLOT_UNBLOCKED = "slot_unblocked"
DEFAULT_BLOCK_REASON = "Blocked by admin"
BLOCK_REASON_MAX = 300
OPTIONS_LIMIT = 25
# Slots last at most 120 minutes (DoctorSchedule.slot_minutes): how far back a booking
# overlapping a slot can start.
_MAX_SLOT = timedelta(minutes=120)
STATUS_LABELS = {
    AppointmentStatus.PENDING_PAYMENT: "Awaiting payment",
    AppointmentStatus.CONFIRMED: "Confirmed",
    AppointmentStatus.COMPLETED: "Completed",
    AppointmentStatus.NO_SHOW: "No-show",
}


@dataclass(frozen=True)
class GridSlot:
    start: str  # aware UTC ISO instant: the slot's identity in events
    time_label: str  # "09:30 AM" (clinic time)
    end_label: str
    state: str  # SlotKind
    on_schedule: bool  # False for a booking that fits no slot of the current schedule
    patient_name: str
    appointment_id: str
    short_id: str
    appointment_status: str
    status_label: str
    payment_status: str
    payment_method: str  # label, "" when none
    fee_label: str
    block_reason: str
    can_block: bool
    can_unblock: bool
    can_cancel: bool
    can_no_show: bool
    can_refund: bool
    can_mark_paid: bool


@dataclass(frozen=True)
class DayGrid:
    doctor_id: int
    doctor_name: str
    specialization: str
    hospital_name: str
    day: str  # "2026-11-23"
    day_label: str  # "Mon, 23 Nov 2026"
    previous_day: str
    next_day: str
    is_today: bool
    working: bool  # the weekly schedule has hours on this weekday
    available: int
    booked: int
    held: int
    blocked: int
    past: int
    slots: tuple[GridSlot, ...]


@dataclass(frozen=True)
class DoctorOption:
    id: int
    label: str  # "Dr. Kavya Menon · Cardiology · Sunrise Hospital"


@dataclass(frozen=True)
class SlotChange:
    doctor_id: int
    start: str
    day: str
    time_label: str
    message: str


@dataclass(frozen=True)
class _Off:
    id: int
    start_at: datetime
    end_at: datetime
    reason: str

    def covers(self, start: datetime, end: datetime) -> bool:
        # A zero-length entry still marks its instant, as in availability.
        return (self.start_at < end and self.end_at > start) or self.start_at == start

    def exactly(self, start: datetime, end: datetime) -> bool:
        return self.start_at == start and self.end_at == end


# --- queries -----------------------------------------------------------------------------


def _doctor(session: Session, doctor_id: int) -> tuple[Doctor, str]:
    row = session.exec(
        select(Doctor, Hospital.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(col(Doctor.id) == doctor_id)
    ).first()
    if row is None or not row[0].is_active:
        raise NotFound("Doctor not found.")
    return row[0], row[1]


def _day_bounds(day: date, slots: list[Slot]) -> tuple[datetime, datetime]:
    """The clinic day as UTC instants, stretched to a last slot ending at midnight."""
    zone = get_settings().clinic_zone
    lo = utc(datetime.combine(day, time(0), tzinfo=zone))
    hi = utc(datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone))
    if slots:
        lo, hi = min(lo, slots[0].start_at), max(hi, slots[-1].end_at)
    return lo, hi


def _live_bookings(
    session: Session, doctor_id: int, start: datetime, end: datetime, now: datetime
) -> list[tuple[Appointment, str]]:
    """Slot-taking appointments starting in [start, end), with the patient's name."""
    hold = col(Appointment.hold_expires_at)
    rows = session.exec(
        select(Appointment, User.name)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(
            col(Appointment.doctor_id) == doctor_id,
            col(Appointment.start_at) >= start,
            col(Appointment.start_at) < end,
            col(Appointment.status).in_([s.value for s in SLOT_TAKING_STATUSES]),
            or_(
                col(Appointment.status) != AppointmentStatus.PENDING_PAYMENT.value,
                hold.is_(None),
                hold > now,
                col(Appointment.payment_status) == PROCESSING,
            ),
        )
        .order_by(col(Appointment.start_at))
    )
    return [(appointment, name) for appointment, name in rows]


def _time_off(session: Session, doctor_id: int, start: datetime, end: datetime) -> list[_Off]:
    rows = session.exec(
        select(TimeOff.id, TimeOff.start_at, TimeOff.end_at, TimeOff.reason).where(
            col(TimeOff.doctor_id) == doctor_id,
            col(TimeOff.start_at) < end,
            col(TimeOff.end_at) >= start,
        )
    )
    return [_Off(i, s, e, r or "") for i, s, e, r in rows]


# --- the grid ----------------------------------------------------------------------------


def _booked_slot(
    appointment: Appointment, patient: str, label: str, *, on_schedule: bool, now: datetime
) -> GridSlot:
    rules = rules_for(appointment, now)
    return GridSlot(
        start=appointment.start_at.isoformat(),
        time_label=label,
        end_label=format_local_time(appointment.end_at),
        state="held" if appointment.status == AppointmentStatus.PENDING_PAYMENT else "booked",
        on_schedule=on_schedule,
        patient_name=patient,
        appointment_id=appointment.id,
        short_id=appointment.id[:8],
        appointment_status=appointment.status,
        status_label=STATUS_LABELS.get(appointment.status, appointment.status),
        payment_status=appointment.payment_status,
        payment_method=method_label(appointment.payment_method),
        fee_label=format_rupees(appointment.fee_paise),
        block_reason="",
        can_block=False,
        can_unblock=False,
        can_cancel=rules.can_cancel,
        can_no_show=rules.can_no_show,
        can_refund=rules.can_refund,
        can_mark_paid=rules.can_mark_paid,
    )


def _open_slot(slot: Slot, offs: list[_Off], now: datetime) -> GridSlot:
    covering = [o for o in offs if o.covers(slot.start_at, slot.end_at)]
    ahead = slot.start_at > now
    state: SlotKind = "blocked" if covering else ("available" if ahead else "past")
    single = bool(covering) and all(o.exactly(slot.start_at, slot.end_at) for o in covering)
    return GridSlot(
        start=slot.start_at.isoformat(),
        time_label=slot.label,
        end_label=format_local_time(slot.end_at),
        state=state,
        on_schedule=True,
        patient_name="",
        appointment_id="",
        short_id="",
        appointment_status="",
        status_label="",
        payment_status="",
        payment_method="",
        fee_label="",
        block_reason="; ".join(o.reason for o in covering if o.reason),
        can_block=state == "available",
        can_unblock=single and ahead,
        can_cancel=False,
        can_no_show=False,
        can_refund=False,
        can_mark_paid=False,
    )


def day_grid(session: Session, *, doctor_id: int, day: date, now: datetime) -> DayGrid:
    """Every slot of the doctor's clinic day with its state, booking and allowed actions.

    A fixed number of queries whatever the number of slots: the doctor, the day's slots
    (availability), then the live bookings with patient names and the time off entries.
    """
    now = utc(now)
    doctor, hospital_name = _doctor(session, doctor_id)
    slots = day_slots(session, doctor_id=doctor_id, day=day, now=now, min_notice_minutes=0)
    start, end = _day_bounds(day, slots)
    bookings = _live_bookings(session, doctor_id, start, end, now)
    offs = _time_off(session, doctor_id, start, end)
    unmatched = list(bookings)
    grid: list[GridSlot] = []
    for slot in slots:
        match = next(
            (b for b in unmatched if b[0].start_at < slot.end_at and b[0].end_at > slot.start_at),
            None,
        )
        if match is None:
            grid.append(_open_slot(slot, offs, now))
            continue
        unmatched.remove(match)
        grid.append(_booked_slot(*match, slot.label, on_schedule=True, now=now))
    for appointment, patient in unmatched:
        label = format_local_time(appointment.start_at)
        grid.append(_booked_slot(appointment, patient, label, on_schedule=False, now=now))
    grid.sort(key=lambda s: s.start)
    counts = {kind: sum(1 for s in grid if s.state == kind) for kind in get_args(SlotKind)}
    return DayGrid(
        doctor_id=doctor_id,
        doctor_name=doctor.name,
        specialization=doctor.specialization,
        hospital_name=hospital_name,
        day=day.isoformat(),
        day_label=format_date(day),
        previous_day=(day - timedelta(days=1)).isoformat(),
        next_day=(day + timedelta(days=1)).isoformat(),
        is_today=day == clinic_today(now),
        working=bool(slots),
        slots=tuple(grid),
        **counts,
    )


def doctor_options(
    session: Session, *, query: str = "", selected_id: int | None = None, limit: int = OPTIONS_LIMIT
) -> tuple[DoctorOption, ...]:
    """Active doctors matching ``query`` (name, specialization or hospital), by name.

    The selected doctor comes first even when the query does not match them.
    """
    needle = " ".join(str(query or "").split())[:100].lower()
    base = (
        select(Doctor.id, Doctor.name, Doctor.specialization, Hospital.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(col(Doctor.is_active).is_(True))
    )
    matching = base
    if needle:
        matching = base.where(
            or_(
                func.lower(Doctor.name).contains(needle, autoescape=True),
                func.lower(Doctor.specialization).contains(needle, autoescape=True),
                func.lower(Hospital.name).contains(needle, autoescape=True),
            )
        )
    rows = list(
        session.exec(matching.order_by(col(Doctor.name), col(Doctor.id)).limit(max(1, limit)))
    )
    if selected_id is not None and all(r[0] != selected_id for r in rows):
        chosen = session.exec(base.where(col(Doctor.id) == selected_id)).first()
        rows = [chosen, *rows] if chosen is not None else rows
    return tuple(DoctorOption(id=i, label=f"{n} · {s} · {h}") for i, n, s, h in rows)


# --- blocking ----------------------------------------------------------------------------


def _slot_at(session: Session, doctor_id: int, start_at: datetime, now: datetime) -> Slot:
    day = to_local(start_at).date()
    slots = day_slots(session, doctor_id=doctor_id, day=day, now=now, min_notice_minutes=0)
    slot = next((s for s in slots if s.start_at == start_at), None)
    if slot is None:
        raise NotFound("The doctor has no slot at that time.")
    if slot.start_at <= now:
        raise Conflict("That slot has already passed.")
    return slot


def _range_label(off: _Off) -> str:
    def at(instant: datetime) -> str:
        return f"{format_local_date(instant)} {format_local_time(instant)}"

    return f"{at(off.start_at)} – {at(off.end_at)}"


def _change(doctor_id: int, slot: Slot, message: str) -> SlotChange:
    return SlotChange(
        doctor_id=doctor_id,
        start=slot.start_at.isoformat(),
        day=slot.local_date.isoformat(),
        time_label=slot.label,
        message=message,
    )


def block_slot(
    session: Session,
    *,
    doctor_id: int,
    start_at: datetime,
    admin_id: int,
    reason: str = "",
    now: datetime,
) -> SlotChange:
    """Take one future, unbooked slot out of booking with a one-slot time off entry."""
    now, start_at = utc(now), utc(start_at)
    require_admin(session, admin_id)
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) > BLOCK_REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 300 characters."})
    doctor, _ = _doctor(session, doctor_id)
    slot = _slot_at(session, doctor_id, start_at, now)
    nearby = _live_bookings(session, doctor_id, slot.start_at - _MAX_SLOT, slot.end_at, now)
    if any(a.end_at > slot.start_at for a, _ in nearby):
        raise Conflict("This slot is booked. Cancel the appointment first to free it.")
    if any(o.covers(*_span(slot)) for o in _time_off(session, doctor_id, *_span(slot))):
        raise Conflict("This slot is already blocked.")
    off = TimeOff(
        doctor_id=doctor_id,
        start_at=slot.start_at,
        end_at=slot.end_at,
        reason=text or DEFAULT_BLOCK_REASON,
        created_by_user_id=admin_id,
        created_at=now,
    )
    session.add(off)
    session.flush()
    audit_event(
        session,
        action=SLOT_BLOCKED,
        appointment_id=None,
        actor_id=admin_id,
        actor_role=Role.ADMIN,
        now=now,
        reason=off.reason,
        entity="doctor",
        entity_id=str(doctor_id),
        detail={
            "doctor": doctor.name,
            "start_at": slot.start_at.isoformat(),
            "time_off_id": off.id,
        },
    )
    session.commit()
    return _change(doctor_id, slot, f"Blocked {slot.label} on {format_date(slot.local_date)}.")


def _span(slot: Slot) -> tuple[datetime, datetime]:
    return slot.start_at, slot.end_at


def unblock_slot(
    session: Session, *, doctor_id: int, start_at: datetime, admin_id: int, now: datetime
) -> SlotChange:
    """Remove the one-slot time off entry on a future slot; longer time off is refused."""
    now, start_at = utc(now), utc(start_at)
    require_admin(session, admin_id)
    doctor, _ = _doctor(session, doctor_id)
    slot = _slot_at(session, doctor_id, start_at, now)
    covering = [o for o in _time_off(session, doctor_id, *_span(slot)) if o.covers(*_span(slot))]
    if not covering:
        raise Conflict("This slot is not blocked.")
    longer = [o for o in covering if not o.exactly(*_span(slot))]
    if longer:
        raise Conflict(
            f"This slot is part of a longer time off ({_range_label(longer[0])}). "
            "Change the doctor's time off to free it."
        )
    removed = session.exec(delete(TimeOff).where(col(TimeOff.id).in_([o.id for o in covering])))
    if removed.rowcount == 0:  # another admin unblocked it a moment ago
        session.rollback()
        raise Conflict("This slot is not blocked.")
    audit_event(
        session,
        action=SLOT_UNBLOCKED,
        appointment_id=None,
        actor_id=admin_id,
        actor_role=Role.ADMIN,
        now=now,
        reason=covering[0].reason or None,
        entity="doctor",
        entity_id=str(doctor_id),
        detail={"doctor": doctor.name, "start_at": slot.start_at.isoformat()},
    )
    session.commit()
    return _change(doctor_id, slot, f"Unblocked {slot.label} on {format_date(slot.local_date)}.")


__all__ = [
    "DEFAULT_BLOCK_REASON",
    "SLOT_BLOCKED",
    "SLOT_UNBLOCKED",
    "DayGrid",
    "DoctorOption",
    "GridSlot",
    "SlotChange",
    "block_slot",
    "day_grid",
    "doctor_options",
    "unblock_slot",
]
