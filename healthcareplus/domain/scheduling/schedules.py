"""A doctor's weekly schedule: its blocks, the weekly editor's form, and replacing it.

Availability is computed from these rows on every read, so a change shows on the patients'
booking pages at once. A change that would remove booked visits is refused, or cancels
them when asked (``schedule_changes``). Time off is ``time_off``, re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session, col

from healthcareplus.core.audit import Actor
from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import ValidationFailed
from healthcareplus.core.formatting import WEEKDAY_NAMES, format_clock, utc
from healthcareplus.core.models import Appointment, DoctorSchedule
from healthcareplus.core.validation import REASON_MAX
from healthcareplus.domain.scheduling.schedule_changes import (
    AffectedAppointment,
    Consent,
    Edit,
    ScheduleConflict,
    affected_appointment,
    booked_ahead,
    make_edit,
    parse_clock,
    require_schedule_actor,
)
from healthcareplus.domain.scheduling.slots import schedule_rows
from healthcareplus.domain.scheduling.time_off import (
    TIME_OFF_KINDS,
    TimeOffChange,
    TimeOffEntry,
    add_time_off,
    list_time_off,
    remove_time_off,
    time_off_span,
)

SLOT_LENGTHS = (10, 15, 20, 30)
DAY_START, DAY_END = time(6, 0), time(23, 0)
MAX_BLOCKS_PER_DAY = 6

Block = tuple[int, str, str, int]  # (weekday Monday=0, "HH:MM", "HH:MM", slot minutes)
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2})\s*$")


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
class ScheduleChange:
    blocks: tuple[ScheduleBlock, ...]
    cancelled: tuple[AffectedAppointment, ...]


# --- weekly schedule ----------------------------------------------------------------------


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


def weekly_blocks(session: Session, *, doctor_id: int) -> tuple[ScheduleBlock, ...]:
    """The doctor's working blocks, Monday first, each day in time order."""
    return tuple(_block(row) for row in schedule_rows(session, doctor_id))


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


MISSING_DAY = "This day is missing from the form. Reload the page and try again."


def blocks_from_form(form: Mapping[str, Any]) -> list[Block]:
    """``hours-<weekday>`` ("09:00-13:00, 14:00-18:00", empty for a day off) and
    ``slot-<weekday>`` of the weekly editor as blocks; errors keyed ``day-<weekday>``.

    The editor always sends all seven days, so a day missing from the form (or not text)
    is refused, never read as a day off: a crafted form must not wipe a week."""
    blocks: list[Block] = []
    errors: dict[str, str] = {}
    for weekday in range(7):
        hours = form.get(f"hours-{weekday}")
        if not isinstance(hours, str):
            errors[f"day-{weekday}"] = MISSING_DAY
            continue
        hours = hours.strip()[:200]
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
        key, begin, finish = f"day-{weekday}", parse_clock(start), parse_clock(end)
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


# --- replacing the week -----------------------------------------------------------------


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
    doctor = require_schedule_actor(
        session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role
    )
    assert doctor.id is not None  # a loaded row
    owner_id = doctor.id  # (write() below does not see the narrowing of doctor.id)
    cleaned = clean_blocks(blocks)
    zone = get_settings().clinic_zone
    booked = booked_ahead(session, doctor.id, now)
    note = " ".join(reason.split())[:REASON_MAX] if isinstance(reason, str) else ""

    def write() -> int:
        session.exec(delete(DoctorSchedule).where(col(DoctorSchedule.doctor_id) == owner_id))
        session.add_all(
            DoctorSchedule(doctor_id=owner_id, weekday=w, start_time=s, end_time=e, slot_minutes=m)
            for w, s, e, m in cleaned
        )
        return owner_id

    weeks = {
        "before": [_block_text(b) for b in weekly_blocks(session, doctor_id=doctor.id)],
        "after": [f"{w} {s:%H:%M}-{e:%H:%M}/{m}" for w, s, e, m in cleaned],
    }
    affected = [
        affected_appointment(a, name) for a, name in booked if not _covered(a, cleaned, zone)
    ]
    edit = Edit("schedule_updated", "doctor", write, weeks, note if affected else None, affected)
    consent = Consent(cancel_affected, expected_affected, reason)
    cancelled = make_edit(session, Actor(actor_id, actor_role, now), edit, consent)
    return ScheduleChange(blocks=weekly_blocks(session, doctor_id=doctor.id), cancelled=cancelled)


def _block_text(block: ScheduleBlock) -> str:
    """A block as its audit entry records it: "0 09:00-13:00/15"."""
    return f"{block.weekday} {block.start}-{block.end}/{block.slot_minutes}"


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
