"""The next free slots of many doctors at once: for each, the earliest clinic day within
the booking horizon with a free slot, and that day's first few free slots (what a doctor
card offers to book in one tap).

Set-based, like the calendar (``availability.calendar``: the doctor with the weekly
blocks, then time off and appointments in one statement), for a whole page of doctors:
one statement for every doctor's weekly blocks, then one for the time off and slot-taking
appointments (live holds included, lapsed ones not) of every doctor over the first
``FIRST_WINDOW_DAYS`` days, and, only for the doctors with nothing free there, one more
over the rest of the horizon. At most three statements, however many doctors.

A slot is offered when ``slots`` calls it free: inside a weekly block, not in time off,
not taken, and starting after the minimum notice (``slots.bookable_from``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlmodel import Session

from healthcareplus.core.db import table_of
from healthcareplus.core.models import Doctor, DoctorSchedule
from healthcareplus.domain.scheduling.slots import (
    NO_INTERVALS,
    Intervals,
    Slot,
    WorkBlock,
    aware_now,
    bookable_from,
    day_candidates,
    horizon,
    load_blocking,
    slot_state,
    zone_and_notice,
)

# Most doctors have a free slot within a week: the rest of the horizon is read only for
# those who have none (a second statement, for them alone).
FIRST_WINDOW_DAYS = 7
DEFAULT_PER_DOCTOR = 3

_DOCTORS = table_of(Doctor)
_SCHEDULES = table_of(DoctorSchedule)

# Every weekly block of the active doctors among :doctor_ids (typed Any: sqlmodel's
# ``exec`` does not list wide selects among its overloads).
_BLOCKS_OF_DOCTORS: Any = (
    select(
        _SCHEDULES.c.doctor_id,
        _SCHEDULES.c.weekday,
        _SCHEDULES.c.start_time,
        _SCHEDULES.c.end_time,
        _SCHEDULES.c.slot_minutes,
    )
    .select_from(_SCHEDULES.join(_DOCTORS, _DOCTORS.c.id == _SCHEDULES.c.doctor_id))
    .where(
        _DOCTORS.c.id.in_(bindparam("doctor_ids", expanding=True)),
        _DOCTORS.c.is_active.is_(True),
    )
    .order_by(_SCHEDULES.c.doctor_id, _SCHEDULES.c.weekday, _SCHEDULES.c.start_time)
)


@dataclass(frozen=True)
class NextFreeSlots:
    """A doctor's earliest day with a free slot: its first free slots, in time order."""

    doctor_id: int
    day: date  # the clinic day
    slots: tuple[Slot, ...]  # at most ``per_doctor``, each "free"
    free_that_day: int  # every free slot of that day


def _blocks_by_doctor(session: Session, doctor_ids: list[int]) -> dict[int, list[WorkBlock]]:
    found: dict[int, list[WorkBlock]] = defaultdict(list)
    for r in session.exec(_BLOCKS_OF_DOCTORS, params={"doctor_ids": doctor_ids}):
        found[r.doctor_id].append(WorkBlock(r.weekday, r.start_time, r.end_time, r.slot_minutes))
    return found


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0)).replace(tzinfo=zone).astimezone(UTC)


def _first_free_day(
    doctor_id: int,
    blocks: Sequence[WorkBlock],
    days: Sequence[date],
    off: Intervals,
    taken: Intervals,
    *,
    cutoff: datetime,
    zone: ZoneInfo,
    per_doctor: int,
) -> NextFreeSlots | None:
    """The first of ``days`` with a free slot (days in order; stops at the first)."""
    for day in days:
        free = [
            c
            for c in day_candidates(doctor_id, day, blocks, zone)
            if c.start_at >= cutoff and slot_state(c, off, taken, cutoff) == "free"
        ]
        if free:
            shown = tuple(
                Slot(c.start_at, c.end_at, c.local_date, c.label, "free") for c in free[:per_doctor]
            )
            return NextFreeSlots(doctor_id, day, shown, len(free))
    return None


def next_free_slots_by_doctor(
    session: Session,
    *,
    doctor_ids: Iterable[int],
    now: datetime,
    per_doctor: int = DEFAULT_PER_DOCTOR,
    days: int | None = None,
    zone: ZoneInfo | None = None,
    min_notice_minutes: int | None = None,
) -> dict[int, NextFreeSlots]:
    """For each active doctor of ``doctor_ids`` with a free slot within the booking
    horizon (``days`` from today, default the setting), the first ``per_doctor`` (at
    least one) free slots of the earliest day that has one. Doctors with none, and
    unknown or inactive doctors, are left out. At most three statements in all."""
    zone, notice = zone_and_notice(zone, min_notice_minutes)
    now = aware_now(now)
    per_doctor = max(per_doctor, 1)
    wanted = sorted(set(doctor_ids))
    blocks = _blocks_by_doctor(session, wanted) if wanted else {}
    dates = horizon(now, zone, days)
    cutoff = bookable_from(now, notice)
    found: dict[int, NextFreeSlots] = {}
    pending = sorted(blocks)
    for window in (dates[:FIRST_WINDOW_DAYS], dates[FIRST_WINDOW_DAYS:]):
        if not window or not pending:
            continue
        # From a day before the window (any candidate of its days starts later) to two
        # days after its last: generous bounds only read a few more rows.
        start = max(cutoff, _midnight(window[0] - timedelta(days=1), zone))
        end = _midnight(window[-1] + timedelta(days=2), zone)
        off, taken = load_blocking(session, pending, start, end, now)
        for doctor_id in pending:
            first = _first_free_day(
                doctor_id,
                blocks[doctor_id],
                window,
                off.get(doctor_id, NO_INTERVALS),
                taken.get(doctor_id, NO_INTERVALS),
                cutoff=cutoff,
                zone=zone,
                per_doctor=per_doctor,
            )
            if first is not None:
                found[doctor_id] = first
        pending = [d for d in pending if d not in found]
    return found


__all__ = [
    "DEFAULT_PER_DOCTOR",
    "FIRST_WINDOW_DAYS",
    "NextFreeSlots",
    "next_free_slots_by_doctor",
]
