"""A doctor's weekly schedule and time off, and what a change does to booked visits.

Availability is computed from these rows on every read, so a change shows on the patients'
booking pages at once. A change that takes working time away from under a confirmed (or
live pending) future appointment is refused with ``ScheduleConflict`` listing those
appointments, unless the caller asks to cancel them: then each is cancelled through
``booking.cancel`` (refunded when paid, the reason shown to the patient) in the same
database transaction as the change, so either everything happens or nothing does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, or_
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    WEEKDAY_NAMES,
    clinic_today,
    format_clock,
    format_date,
    format_local_date,
    format_local_time,
    to_local,
    utc,
)
from healthcareplus.core.models import (
    Appointment,
    AppointmentStatus,
    Doctor,
    DoctorSchedule,
    PaymentStatus,
    Role,
    TimeOff,
    User,
)
from healthcareplus.domain.booking import appointments as booking
from healthcareplus.domain.payments.ledger import PROCESSING, audit_event
from healthcareplus.domain.scheduling.availability import day_slots

SLOT_LENGTHS = (10, 15, 20, 30)
DAY_START, DAY_END = time(6, 0), time(23, 0)
MAX_BLOCKS_PER_DAY = 6
TIME_OFF_REASON_MAX = 300
CANCEL_REASON_MIN, CANCEL_REASON_MAX = 3, 500
MAX_TIME_OFF_DAYS = 366
TIME_OFF_KINDS = ("day", "range", "hours", "slot")
NOT_ALLOWED = "You are not allowed to change this doctor's schedule."

Block = tuple[int, str, str, int]  # (weekday Monday=0, "HH:MM", "HH:MM", slot minutes)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})\s*$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ScheduleBlock:
    weekday: int
    day_name: str  # "Monday"
    start: str  # "09:00"
    end: str  # "13:00"
    slot_minutes: int
    label: str  # "09:00 AM – 01:00 PM"


@dataclass(frozen=True)
class WeekdayHours:
    """One row of the weekly editor: a day's blocks as text and its slot length."""

    weekday: int
    day_name: str
    hours: str  # "09:00-13:00, 14:00-18:00" ("" when closed)
    slot_minutes: str  # "15" ("" when closed)


@dataclass(frozen=True)
class AffectedAppointment:
    id: str
    patient_name: str
    date_label: str  # "Mon, 23 Nov 2026"
    time_label: str  # "02:15 PM"
    status: str
    paid: bool


@dataclass(frozen=True)
class TimeOffEntry:
    id: int
    start_at: datetime
    end_at: datetime
    label: str  # "Mon, 23 Nov 2026, 02:00 PM – 06:00 PM"
    reason: str


@dataclass(frozen=True)
class ScheduleChange:
    blocks: tuple[ScheduleBlock, ...]
    cancelled: tuple[AffectedAppointment, ...]


@dataclass(frozen=True)
class TimeOffChange:
    entry: TimeOffEntry
    cancelled: tuple[AffectedAppointment, ...]


class ScheduleConflict(Conflict):
    """The change would take away booked appointments; ``affected`` lists them."""

    def __init__(self, affected: Sequence[AffectedAppointment]) -> None:
        self.affected = tuple(affected)
        count = len(self.affected)
        noun = "appointment" if count == 1 else "appointments"
        super().__init__(
            f"This change would remove {count} booked {noun}. Keep those hours, or cancel "
            f"the {noun} (paid ones are refunded and the patients see your reason)."
        )


# --- who may change what ------------------------------------------------------------------


def _require_actor(session: Session, *, doctor_id: Any, actor_id: Any, actor_role: str) -> Doctor:
    """The doctor whose schedule changes: their own (doctor) or any (active admin)."""
    doctor = session.get(Doctor, doctor_id) if type(doctor_id) is int else None
    if doctor is None:
        raise NotFound("Doctor not found.")
    actor = session.get(User, actor_id) if type(actor_id) is int else None
    if actor is None or actor.role != actor_role or not actor.is_active or actor.is_blocked:
        raise Forbidden(NOT_ALLOWED)
    if actor_role == Role.ADMIN or (actor_role == Role.DOCTOR and doctor.user_id == actor.id):
        return doctor
    raise Forbidden(NOT_ALLOWED)


# --- weekly schedule ----------------------------------------------------------------------


def _clock(value: Any) -> time | None:
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2)))


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _block(row: DoctorSchedule) -> ScheduleBlock:
    return ScheduleBlock(
        weekday=row.weekday,
        day_name=WEEKDAY_NAMES[row.weekday],
        start=f"{row.start_time:%H:%M}",
        end=f"{row.end_time:%H:%M}",
        slot_minutes=row.slot_minutes,
        label=f"{format_clock(row.start_time)} – {format_clock(row.end_time)}",
    )


def _rows(session: Session, doctor_id: int) -> list[DoctorSchedule]:
    return list(
        session.exec(
            select(DoctorSchedule)
            .where(DoctorSchedule.doctor_id == doctor_id)
            .order_by(col(DoctorSchedule.weekday), col(DoctorSchedule.start_time))
        )
    )


def weekly_blocks(session: Session, *, doctor_id: int) -> tuple[ScheduleBlock, ...]:
    """The doctor's working blocks, Monday first, each day in time order."""
    return tuple(_block(row) for row in _rows(session, doctor_id))


def weekly_form(blocks: Sequence[ScheduleBlock]) -> tuple[WeekdayHours, ...]:
    """The blocks as the weekly editor shows them: one line of hours per day."""
    rows = []
    for weekday, name in enumerate(WEEKDAY_NAMES):
        day = [b for b in blocks if b.weekday == weekday]
        rows.append(
            WeekdayHours(
                weekday=weekday,
                day_name=name,
                hours=", ".join(f"{b.start}-{b.end}" for b in day),
                slot_minutes=str(day[0].slot_minutes) if day else "",
            )
        )
    return tuple(rows)


def blocks_from_form(form: Mapping[str, Any]) -> list[Block]:
    """``hours-<weekday>`` ("09:00-13:00, 14:00-18:00", empty for a day off) and
    ``slot-<weekday>`` of the weekly editor as blocks; errors keyed ``day-<weekday>``."""
    blocks: list[Block] = []
    errors: dict[str, str] = {}
    for weekday in range(7):
        hours = form.get(f"hours-{weekday}", "")
        hours = hours.strip()[:200] if isinstance(hours, str) else ""
        if not hours:
            continue
        slot = form.get(f"slot-{weekday}", "")
        minutes = int(slot) if isinstance(slot, str) and slot.strip().isdigit() else 0
        spans = [_SPAN.match(part) for part in hours.split(",")]
        if not all(spans):
            errors[f"day-{weekday}"] = "Write the hours like 09:00-13:00, 14:00-18:00"
            continue
        blocks.extend((weekday, m.group(1), m.group(2), minutes) for m in spans if m)
    if errors:
        raise ValidationFailed(errors)
    return blocks


def clean_blocks(blocks: Any) -> list[tuple[int, time, time, int]]:
    """Validated blocks, sorted; ``ValidationFailed`` keyed ``day-<weekday>`` (or ``blocks``)."""
    if not isinstance(blocks, list | tuple) or len(blocks) > 7 * MAX_BLOCKS_PER_DAY:
        raise ValidationFailed({"blocks": "Send at most six working blocks a day."})
    errors: dict[str, str] = {}
    cleaned: list[tuple[int, time, time, int]] = []
    for block in blocks:
        weekday, start, end, slot = (
            tuple(block) if isinstance(block, list | tuple) and len(block) == 4 else (None,) * 4
        )
        if type(weekday) is not int or not 0 <= weekday <= 6:
            errors["blocks"] = "Choose a day of the week for every block."
            continue
        key, begin, finish = f"day-{weekday}", _clock(start), _clock(end)
        if begin is None or finish is None:
            errors[key] = "Enter the start and end times as HH:MM"
        elif type(slot) is not int or slot not in SLOT_LENGTHS:
            errors[key] = "Choose a slot length of 10, 15, 20 or 30 minutes"
        elif finish <= begin:
            errors[key] = "The end time must be after the start time"
        elif begin < DAY_START or finish > DAY_END:
            errors[key] = "Working hours must lie between 06:00 and 23:00"
        elif _minutes(finish) - _minutes(begin) < slot:
            errors[key] = f"A block must be at least one {slot}-minute slot long"
        else:
            cleaned.append((weekday, begin, finish, slot))
    cleaned.sort()
    for weekday in range(7):
        day = [b for b in cleaned if b[0] == weekday]
        if len(day) > MAX_BLOCKS_PER_DAY:
            errors.setdefault(f"day-{weekday}", "At most six working blocks a day")
        for before, after in zip(day, day[1:], strict=False):
            if after[1] < before[2]:
                clash = f"{after[1]:%H:%M}-{after[2]:%H:%M} overlaps {before[1]:%H:%M}"
                errors.setdefault(f"day-{weekday}", f"{clash}-{before[2]:%H:%M}")
    if errors:
        raise ValidationFailed(errors)
    return cleaned


# --- appointments a change would remove ----------------------------------------------------


def _live_future(
    session: Session,
    doctor_id: int,
    now: datetime,
    window: tuple[datetime, datetime] | None = None,
) -> list[tuple[Appointment, str]]:
    """Confirmed and live pending appointments starting after ``now`` (in ``window``)."""
    hold = col(Appointment.hold_expires_at)
    query = (
        select(Appointment, User.name)
        .join(User, col(User.id) == Appointment.patient_id)
        .where(
            Appointment.doctor_id == doctor_id,
            col(Appointment.start_at) > now,
            or_(
                col(Appointment.status) == AppointmentStatus.CONFIRMED.value,
                and_(
                    col(Appointment.status) == AppointmentStatus.PENDING_PAYMENT.value,
                    or_(hold.is_(None), hold > now, col(Appointment.payment_status) == PROCESSING),
                ),
            ),
        )
        .order_by(col(Appointment.start_at))
    )
    if window is not None:
        start, end = window
        query = query.where(
            col(Appointment.start_at) >= start - timedelta(hours=2),  # index range
            col(Appointment.start_at) < end,
            col(Appointment.end_at) > start,
        )
    return [(row[0], row[1]) for row in session.exec(query)]


def _affected(appointment: Appointment, patient_name: str) -> AffectedAppointment:
    return AffectedAppointment(
        id=appointment.id,
        patient_name=patient_name,
        date_label=format_local_date(appointment.start_at),
        time_label=format_local_time(appointment.start_at),
        status=appointment.status,
        paid=appointment.payment_status == PaymentStatus.SUCCESS,
    )


def _covered(
    appointment: Appointment, blocks: Sequence[tuple[int, time, time, int]], zone: ZoneInfo
) -> bool:
    """Whether the new working hours still cover the whole appointment."""
    start = appointment.start_at.astimezone(zone)
    begin = _minutes(start.time())
    finish = begin + int((appointment.end_at - appointment.start_at).total_seconds() // 60)
    return any(
        weekday == start.weekday() and _minutes(s) <= begin and finish <= _minutes(e)
        for weekday, s, e, _ in blocks
    )


def _cancel_reason(reason: Any) -> str:
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) < CANCEL_REASON_MIN:
        raise ValidationFailed(
            {"cancel_reason": "Tell the patients why their appointments are cancelled."}
        )
    if len(text) > CANCEL_REASON_MAX:
        raise ValidationFailed({"cancel_reason": "Keep the reason under 500 characters."})
    return text


def _apply(
    session: Session,
    *,
    change: Callable[[], None],
    affected: list[AffectedAppointment],
    cancel_affected: bool,
    expected_affected: Collection[str] | None,
    reason: Any,
    actor_id: int,
    actor_role: str,
    now: datetime,
) -> tuple[AffectedAppointment, ...]:
    """Run ``change`` and cancel ``affected`` in one transaction, or refuse.

    ``booking.cancel`` commits: it runs in a second session joined to this session's
    connection with ``create_savepoint``, so its commit only releases a savepoint and the
    outer transaction decides. The change's own writes come first (on SQLite the driver
    opens the transaction at the first write, and a savepoint opened before it would
    commit on release).
    """
    if affected and not cancel_affected:
        raise ScheduleConflict(affected)
    if expected_affected is not None and {a.id for a in affected} - set(expected_affected):
        raise ScheduleConflict(affected)  # more were booked since the doctor looked
    text = _cancel_reason(reason) if affected else ""
    try:
        change()
        session.flush()
        if affected:
            with Session(
                bind=session.connection(),
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
            ) as inner:
                for item in affected:
                    booking.cancel(
                        inner,
                        appointment_id=item.id,
                        actor_id=actor_id,
                        actor_role=actor_role,
                        reason=text,
                        now=now,
                    )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return tuple(affected)


def replace_weekly_schedule(
    session: Session,
    *,
    doctor_id: int,
    blocks: Sequence[Block],
    actor_id: int,
    actor_role: str,
    cancel_affected: bool,
    reason: str,
    now: datetime,
    expected_affected: Collection[str] | None = None,
) -> ScheduleChange:
    """Replace every working block of the doctor's week.

    An appointment is affected when the new hours no longer cover all of it (a new slot
    length alone does not remove a booked visit: its time is still working time).
    ``expected_affected`` (the ids the doctor agreed to cancel) makes the change refuse
    again if more appointments would be cancelled than the doctor saw.
    """
    now = utc(now)
    doctor = _require_actor(session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role)
    cleaned = clean_blocks(blocks)
    zone = get_settings().clinic_zone
    affected = [
        _affected(a, name)
        for a, name in _live_future(session, doctor.id, now)
        if not _covered(a, cleaned, zone)
    ]
    before = [
        f"{b.weekday} {b.start}-{b.end}/{b.slot_minutes}"
        for b in weekly_blocks(session, doctor_id=doctor.id)
    ]
    note = " ".join(reason.split())[:CANCEL_REASON_MAX] if isinstance(reason, str) else ""

    def change() -> None:
        session.exec(delete(DoctorSchedule).where(col(DoctorSchedule.doctor_id) == doctor.id))
        session.add_all(
            DoctorSchedule(doctor_id=doctor.id, weekday=w, start_time=s, end_time=e, slot_minutes=m)
            for w, s, e, m in cleaned
        )
        audit_event(
            session,
            action="schedule_updated",
            appointment_id=None,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            reason=note if affected and note else None,
            entity="doctor",
            entity_id=str(doctor.id),
            detail={
                "before": before,
                "after": [f"{w} {s:%H:%M}-{e:%H:%M}/{m}" for w, s, e, m in cleaned],
                "cancelled": [a.id for a in affected],
            },
        )

    cancelled = _apply(
        session,
        change=change,
        affected=affected,
        cancel_affected=cancel_affected,
        expected_affected=expected_affected,
        reason=reason,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
    )
    return ScheduleChange(blocks=weekly_blocks(session, doctor_id=doctor.id), cancelled=cancelled)


# --- time off ------------------------------------------------------------------------------


def _local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone).astimezone(UTC)


def _day(value: Any, field: str) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if _ISO_DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationFailed({field: "Choose a date."})


def _time(value: Any, field: str) -> time:
    found = _clock(value)
    if found is None:
        raise ValidationFailed({field: "Enter a time as HH:MM."})
    return found


def time_off_span(
    session: Session,
    *,
    doctor_id: int,
    kind: str,
    date_from: str,
    date_to: str = "",
    time_from: str = "",
    time_to: str = "",
    now: datetime,
) -> tuple[datetime, datetime]:
    """The UTC instants of a time-off form, from clinic-local dates and times.

    ``day``: one whole day; ``range``: whole days ``date_from``..``date_to``; ``hours``:
    ``time_from``..``time_to`` on ``date_from``; ``slot``: the doctor's slot starting at
    ``time_from`` on ``date_from``.
    """
    zone = get_settings().clinic_zone
    if kind not in TIME_OFF_KINDS:
        raise ValidationFailed({"kind": "Choose what to block: a day, days, hours or a slot."})
    first = _day(date_from, "date_from")
    if kind == "day":
        return _local_instant(first, time(0), zone), _local_instant(
            first + timedelta(days=1), time(0), zone
        )
    if kind == "range":
        last = _day(date_to, "date_to")
        if last < first:
            raise ValidationFailed({"date_to": "The last day must not be before the first."})
        return _local_instant(first, time(0), zone), _local_instant(
            last + timedelta(days=1), time(0), zone
        )
    start = _time(time_from, "time_from")
    if kind == "hours":
        end = _time(time_to, "time_to")
        if end <= start:
            raise ValidationFailed({"time_to": "The end time must be after the start time."})
        return _local_instant(first, start, zone), _local_instant(first, end, zone)
    wanted = _local_instant(first, start, zone)
    for slot in day_slots(session, doctor_id=doctor_id, day=first, now=utc(now)):
        if slot.start_at == wanted:
            return slot.start_at, slot.end_at
    raise ValidationFailed({"time_from": "You have no slot at that time on that day."})


def _span_label(start_at: datetime, end_at: datetime) -> str:
    start, end = to_local(start_at), to_local(end_at)
    if start.time() == time(0) and end.time() == time(0):
        last = end.date() - timedelta(days=1)
        if last == start.date():
            return f"{format_date(start.date())} (whole day)"
        return f"{format_date(start.date())} – {format_date(last)}"
    if start.date() == end.date():
        return f"{format_date(start.date())}, {format_clock(start)} – {format_clock(end)}"
    first = f"{format_date(start.date())} {format_clock(start)}"
    return f"{first} – {format_date(end.date())} {format_clock(end)}"


def _entry(row: TimeOff) -> TimeOffEntry:
    assert row.id is not None
    return TimeOffEntry(
        id=row.id,
        start_at=row.start_at,
        end_at=row.end_at,
        label=_span_label(row.start_at, row.end_at),
        reason=row.reason,
    )


def add_time_off(
    session: Session,
    *,
    doctor_id: int,
    start_at: datetime,
    end_at: datetime,
    reason: str,
    actor_id: int,
    actor_role: str,
    cancel_affected: bool,
    now: datetime,
    cancel_reason: str | None = None,
    expected_affected: Collection[str] | None = None,
) -> TimeOffChange:
    """Block [start_at, end_at) for the doctor (leave, a holiday, an afternoon, one slot).

    Cancelled patients are told ``cancel_reason`` (default: the time-off reason).
    """
    now, start_at, end_at = utc(now), utc(start_at), utc(end_at)
    doctor = _require_actor(session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role)
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    errors: dict[str, str] = {}
    if not text:
        errors["reason"] = "Give a reason for the time off (e.g. Conference, Leave)."
    elif len(text) > TIME_OFF_REASON_MAX:
        errors["reason"] = "Keep the reason under 300 characters."
    if end_at <= start_at:
        errors["end"] = "The end must be after the start."
    elif end_at <= now:
        errors["start"] = "That time has already passed."
    elif end_at - start_at > timedelta(days=MAX_TIME_OFF_DAYS):
        errors["end"] = "Time off can cover at most 366 days at a time."
    elif (to_local(start_at).date() - clinic_today(now)).days > MAX_TIME_OFF_DAYS:
        errors["start"] = "Time off can be planned up to a year ahead."
    if errors:
        raise ValidationFailed(errors)
    affected = [
        _affected(a, name) for a, name in _live_future(session, doctor.id, now, (start_at, end_at))
    ]
    row = TimeOff(
        doctor_id=doctor.id,
        start_at=start_at,
        end_at=end_at,
        reason=text,
        created_by_user_id=actor_id,
        created_at=now,
    )

    def change() -> None:
        session.add(row)
        session.flush()
        audit_event(
            session,
            action="time_off_added",
            appointment_id=None,
            actor_id=actor_id,
            actor_role=actor_role,
            now=now,
            reason=text,
            entity="time_off",
            entity_id=str(row.id),
            detail={
                "doctor_id": doctor.id,
                "start_at": start_at.isoformat(),
                "end_at": end_at.isoformat(),
                "cancelled": [a.id for a in affected],
            },
        )

    cancelled = _apply(
        session,
        change=change,
        affected=affected,
        cancel_affected=cancel_affected,
        expected_affected=expected_affected,
        reason=text if cancel_reason is None else cancel_reason,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
    )
    return TimeOffChange(entry=_entry(row), cancelled=cancelled)


def remove_time_off(
    session: Session,
    *,
    doctor_id: int,
    time_off_id: int,
    actor_id: int,
    actor_role: str,
    now: datetime,
) -> TimeOffEntry:
    """Give the blocked time back to the booking calendar (nothing booked can conflict)."""
    now = utc(now)
    doctor = _require_actor(session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role)
    row = session.get(TimeOff, time_off_id) if type(time_off_id) is int else None
    if row is None or row.doctor_id != doctor.id:
        raise NotFound("Time off not found.")
    entry = _entry(row)
    session.delete(row)
    audit_event(
        session,
        action="time_off_removed",
        appointment_id=None,
        actor_id=actor_id,
        actor_role=actor_role,
        now=now,
        reason=row.reason,
        entity="time_off",
        entity_id=str(entry.id),
        detail={
            "doctor_id": doctor.id,
            "start_at": entry.start_at.isoformat(),
            "end_at": entry.end_at.isoformat(),
        },
    )
    session.commit()
    return entry


def list_time_off(
    session: Session, *, doctor_id: int, now: datetime, limit: int = 100
) -> tuple[TimeOffEntry, ...]:
    """Time off that has not ended yet, soonest first."""
    rows = session.exec(
        select(TimeOff)
        .where(TimeOff.doctor_id == doctor_id, col(TimeOff.end_at) > utc(now))
        .order_by(col(TimeOff.start_at), col(TimeOff.id))
        .limit(max(1, min(limit, 500)))
    )
    return tuple(_entry(row) for row in rows)


__all__ = [
    "SLOT_LENGTHS",
    "TIME_OFF_KINDS",
    "AffectedAppointment",
    "Block",
    "ScheduleBlock",
    "ScheduleChange",
    "ScheduleConflict",
    "TimeOffChange",
    "TimeOffEntry",
    "WeekdayHours",
    "add_time_off",
    "blocks_from_form",
    "clean_blocks",
    "list_time_off",
    "remove_time_off",
    "replace_weekly_schedule",
    "time_off_span",
    "weekly_blocks",
    "weekly_form",
]
