"""The admin's timetable: one doctor's day slot by slot (blocking single slots is
``slot_blocks``, re-exported here).

A slot is ``available`` (free, still ahead), ``booked`` (an appointment holds it:
confirmed, completed or no-show), ``held`` (awaiting payment under a live hold),
``blocked`` (time off covers it) or ``past``. A booking that fits no slot of the current
schedule (the schedule changed after it was made) still gets a row, so it can be acted on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, get_args

from sqlmodel import Session, col, select

from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import (
    clinic_today,
    format_date,
    format_local_time,
    format_rupees,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    Hospital,
)
from healthcareplus.core.search_text import contains_any, search_text
from healthcareplus.core.validation import OUT_OF_RANGE_DAY, within_clinic_days
from healthcareplus.domain.admin.rules import NO_ACTIONS, rules_for
from healthcareplus.domain.admin.slot_blocks import (
    DEFAULT_BLOCK_REASON,
    SLOT_BLOCKED,
    SLOT_UNBLOCKED,
    SlotChange,
    block_slot,
    unblock_slot,
)
from healthcareplus.domain.admin.timetable_rows import (
    Off,
    active_doctor,
    day_bounds,
    live_bookings,
    time_off_between,
)
from healthcareplus.domain.payments.methods import method_label
from healthcareplus.domain.scheduling.slots import Slot, day_slots

SlotKind = Literal["available", "booked", "held", "blocked", "past"]
OPTIONS_LIMIT = 25
STATUS_LABELS: dict[str, str] = {
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


# --- the grid ----------------------------------------------------------------------------


def _booked_slot(
    appointment: Appointment, patient: str, label: str, *, on_schedule: bool, now: datetime
) -> GridSlot:
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
        **rules_for(appointment, now).flags(),
    )


def _open_slot(slot: Slot, offs: list[Off], now: datetime) -> GridSlot:
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
        **NO_ACTIONS,
    )


def day_grid(session: Session, *, doctor_id: int, day: date, now: datetime) -> DayGrid:
    """Every slot of the doctor's clinic day with its state, booking and allowed actions.

    A fixed number of queries whatever the number of slots: the doctor, the day's slots
    (availability), then the live bookings with patient names and the time off entries.
    """
    now = utc(now)
    if not within_clinic_days(day):
        raise ValidationFailed({"date": OUT_OF_RANGE_DAY})
    doctor, hospital_name = active_doctor(session, doctor_id)
    slots = day_slots(session, doctor_id=doctor_id, day=day, now=now, min_notice_minutes=0)
    start, end = day_bounds(day, slots)
    bookings = live_bookings(session, doctor_id, start, end, now)
    offs = time_off_between(session, doctor_id, start, end)
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


def _option(doctor_id: int | None, label: str) -> DoctorOption:
    assert doctor_id is not None  # a primary key
    return DoctorOption(id=doctor_id, label=label)


def doctor_options(
    session: Session, *, query: str = "", selected_id: int | None = None, limit: int = OPTIONS_LIMIT
) -> tuple[DoctorOption, ...]:
    """Active doctors matching ``query`` (name, specialization or hospital), by name.

    The selected doctor comes first even when the query does not match them.
    """
    needle = search_text(query)
    base = (
        select(Doctor.id, Doctor.name, Doctor.specialization, Hospital.name)
        .join(Hospital, col(Hospital.id) == Doctor.hospital_id)
        .where(col(Doctor.is_active).is_(True))
    )
    matching = base
    if needle:
        matching = base.where(
            contains_any(needle, Doctor.name, Doctor.specialization, Hospital.name)
        )
    rows = list(
        session.exec(matching.order_by(col(Doctor.name), col(Doctor.id)).limit(max(1, limit)))
    )
    if selected_id is not None and all(r[0] != selected_id for r in rows):
        chosen = session.exec(base.where(col(Doctor.id) == selected_id)).first()
        rows = [chosen, *rows] if chosen is not None else rows
    return tuple(_option(i, f"{n} · {s} · {h}") for i, n, s, h in rows)


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
