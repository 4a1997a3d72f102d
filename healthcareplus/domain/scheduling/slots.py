"""Slots: weekly schedule blocks, minus time off, minus taken appointments, each with
its state. ``availability`` sums them up for the booking pages.

The candidate slots of a day come from ``slot_times`` (clinic-local wall-clock times
converted to UTC, correct across DST changes).

Slots are resolved with a fixed number of queries whatever the number of days, doctors or
appointments: the doctor with their schedule, then time off and appointments over the whole
range at once (one statement). Each reads only the doctors' rows near the range, through
the (doctor_id, start_at) indexes: an appointment starts at most ``MAX_SLOT`` before a slot
it overlaps, and time off at most ``LONGEST_TIME_OFF`` before, so neither scan grows with
the length of history.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, literal_column, select, union_all
from sqlmodel import Session, col
from sqlmodel import select as orm_select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import (
    clinic_today,
)
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    DoctorSchedule,
    TimeOff,
)
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.slot_times import Block, Candidate, WorkBlock, day_candidates

SlotState = Literal["free", "taken", "past", "blocked"]

# DoctorSchedule.slot_minutes is at most 120: an appointment that overlaps a range starts
# at most this long before it (used to widen the indexed start_at range scan).
MAX_SLOT = timedelta(minutes=120)
# Time off covers at most 366 days (``time_off.MAX_TIME_OFF_DAYS``; a test keeps the two in
# step), so time off overlapping a range starts at most this long before it.
LONGEST_TIME_OFF = timedelta(days=367)

_APPOINTMENTS = table_of(Appointment)
_TIME_OFF = table_of(TimeOff)
_DOCTORS = table_of(Doctor)
_SCHEDULES = table_of(DoctorSchedule)


@dataclass(frozen=True)
class Slot:
    start_at: datetime  # aware UTC
    end_at: datetime  # aware UTC
    local_date: date  # the clinic date the slot belongs to
    label: str  # clinic-local start, "09:30 AM" (with the zone abbreviation when ambiguous)
    state: SlotState

    @property
    def is_free(self) -> bool:
        return self.state == "free"


class Intervals:
    """Half-open UTC intervals answering "does [start, end) overlap any of them?"."""

    def __init__(self, pairs: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted(pairs)
        self._starts = [s for s, _ in ordered]
        self._ends = [e for _, e in ordered]
        self._longest = max((e - s for s, e in ordered), default=timedelta(0))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        i = bisect.bisect_left(self._starts, end) - 1
        while i >= 0 and self._starts[i] > start - self._longest - timedelta(seconds=1):
            s, e = self._starts[i], self._ends[i]
            if e > start or s == start:  # a zero-length interval still marks its instant
                return True
            i -= 1
        return False


NO_INTERVALS = Intervals(())


def slot_state(
    cand: Candidate, blocked: Intervals, taken: Intervals, cutoff: datetime
) -> SlotState:
    if blocked.overlaps(cand.start_at, cand.end_at):
        return "blocked"
    if taken.overlaps(cand.start_at, cand.end_at):
        return "taken"
    if cand.start_at < cutoff:
        return "past"
    return "free"


# --- queries -----------------------------------------------------------------------------


def zone_and_notice(zone: ZoneInfo | None, min_notice_minutes: int | None) -> tuple[ZoneInfo, int]:
    settings = get_settings()
    zone = zone or settings.clinic_zone
    notice = settings.min_notice_minutes if min_notice_minutes is None else min_notice_minutes
    return zone, notice


def aware_now(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(UTC)


def active_doctor(session: Session, doctor_id: int) -> Doctor:
    doctor = session.get(Doctor, doctor_id)
    if doctor is None or not doctor.is_active:
        raise NotFound("Doctor not found")
    return doctor


# The doctor's active flag with each weekly block (one row with no block when none). The
# prebuilt statements here are typed Any: sqlmodel's ``exec`` does not list wide or
# compound selects among its overloads.
_DOCTOR_BLOCKS: Any = (
    select(
        _DOCTORS.c.is_active,
        _SCHEDULES.c.weekday,
        _SCHEDULES.c.start_time,
        _SCHEDULES.c.end_time,
        _SCHEDULES.c.slot_minutes,
    )
    .select_from(_DOCTORS.outerjoin(_SCHEDULES, _SCHEDULES.c.doctor_id == _DOCTORS.c.id))
    .where(_DOCTORS.c.id == bindparam("doctor_id"))
    .order_by(_SCHEDULES.c.weekday, _SCHEDULES.c.start_time)
)


def active_doctor_blocks(session: Session, doctor_id: int) -> list[WorkBlock]:
    """The active doctor's weekly blocks, Monday first (one query); ``NotFound`` if none."""
    rows = session.exec(_DOCTOR_BLOCKS, params={"doctor_id": doctor_id}).all()
    if not rows or not rows[0].is_active:
        raise NotFound("Doctor not found")
    return [
        WorkBlock(r.weekday, r.start_time, r.end_time, r.slot_minutes)
        for r in rows
        if r.weekday is not None
    ]


def now_param(name: str) -> datetime:
    """A bound parameter where the lifecycle's conditions take ``now``, so the statement
    is built once (the column's type converts the value)."""
    return cast(datetime, bindparam(name))


OFF, TAKEN = 0, 1  # the kinds of rows ``_BLOCKING`` returns


def _kind(value: int) -> Any:
    return literal_column(str(value))


def blocking_rows(doctor_column: Any) -> tuple[Any, Any]:
    """SELECTs of (kind, doctor_id, start_at, end_at): the time off and the slot-taking
    appointments overlapping [:start, :end), for the doctors ``doctor_column`` matches.

    Each is a range on its (doctor_id, start_at) index bounded below (``:off_from``,
    ``:taken_from``), so it reads the doctors' rows near the range and no others.
    """
    t, a = _TIME_OFF.c, _APPOINTMENTS.c
    off = select(_kind(OFF), t.doctor_id, t.start_at, t.end_at).where(
        doctor_column(t.doctor_id),
        t.start_at >= bindparam("off_from"),
        t.start_at < bindparam("end"),
        t.end_at > bindparam("start"),
    )
    taken = select(_kind(TAKEN), a.doctor_id, a.start_at, a.end_at).where(
        doctor_column(a.doctor_id),
        a.start_at >= bindparam("taken_from"),
        a.start_at < bindparam("end"),
        a.end_at > bindparam("start"),
        a.status.in_(sorted(lifecycle.INDEXED_STATUSES)),
        lifecycle.holds_slot_clause(now_param("now")),
    )
    return off, taken


_BLOCKING: Any = union_all(
    *blocking_rows(lambda column: column.in_(bindparam("doctor_ids", expanding=True)))
)


def blocking_params(start: datetime, end: datetime, now: datetime) -> dict[str, Any]:
    return {
        "start": start,
        "end": end,
        "now": now,
        "off_from": start - LONGEST_TIME_OFF,
        "taken_from": start - MAX_SLOT,
    }


def load_blocking(
    session: Session,
    doctor_ids: Sequence[int],
    start: datetime,
    end: datetime,
    now: datetime,
) -> tuple[dict[int, Intervals], dict[int, Intervals]]:
    """Time off and slot-taking appointments over [start, end): one query in all."""
    found: tuple[dict[int, list[tuple[datetime, datetime]]], ...] = (
        defaultdict(list),
        defaultdict(list),
    )
    params = {"doctor_ids": list(doctor_ids), **blocking_params(start, end, now)}
    for kind, doctor_id, s, e in session.exec(_BLOCKING, params=params):
        found[kind][doctor_id].append((s, e))
    off, taken = found
    return (
        {d: Intervals(v) for d, v in off.items()},
        {d: Intervals(v) for d, v in taken.items()},
    )


def bookable_from(now: datetime, notice: int) -> datetime:
    """Slots starting before this are "past" (too soon to book)."""
    return max(now + timedelta(minutes=notice), now + timedelta(microseconds=1))


def state_of(
    candidate: Candidate,
    *,
    off: Iterable[tuple[datetime, datetime]],
    taken: Iterable[tuple[datetime, datetime]],
    now: datetime,
    notice: int,
) -> SlotState:
    """One candidate's state, given the time off and slot-taking appointments (start, end)
    loaded around its day as ``blocking_rows`` does."""
    return slot_state(candidate, Intervals(off), Intervals(taken), bookable_from(now, notice))


def resolve(
    session: Session,
    candidates: dict[int, list[Candidate]],
    *,
    now: datetime,
    notice: int,
) -> dict[int, list[Slot]]:
    """Give every candidate slot its state, with two queries for all doctors and days."""
    present = {d: c for d, c in candidates.items() if c}
    if not present:
        return {d: [] for d in candidates}
    start = min(c.start_at for cands in present.values() for c in cands)
    end = max(c.end_at for cands in present.values() for c in cands)
    blocked, taken = load_blocking(session, sorted(present), start, end, now)
    cutoff = bookable_from(now, notice)
    result: dict[int, list[Slot]] = {}
    for doctor_id, cands in candidates.items():
        off = blocked.get(doctor_id, NO_INTERVALS)
        busy = taken.get(doctor_id, NO_INTERVALS)
        result[doctor_id] = [
            Slot(
                start_at=c.start_at,
                end_at=c.end_at,
                local_date=c.local_date,
                label=c.label,
                state=slot_state(c, off, busy, cutoff),
            )
            for c in cands
        ]
    return result


def schedule_rows(session: Session, doctor_id: int) -> list[DoctorSchedule]:
    """The doctor's weekly schedule rows, Monday first, each day in time order."""
    return list(
        session.exec(
            orm_select(DoctorSchedule)
            .where(DoctorSchedule.doctor_id == doctor_id)
            .order_by(col(DoctorSchedule.weekday), col(DoctorSchedule.start_time))
        )
    )


def doctor_slots(
    session: Session,
    *,
    doctor_id: int,
    days: Sequence[date],
    now: datetime,
    zone: ZoneInfo,
    notice: int,
) -> list[Slot]:
    blocks = active_doctor_blocks(session, doctor_id)
    cands = [c for day in days for c in day_candidates(doctor_id, day, blocks, zone)]
    return resolve(session, {doctor_id: cands}, now=now, notice=notice)[doctor_id]


def horizon(now: datetime, zone: ZoneInfo, days: int | None) -> list[date]:
    count = get_settings().booking_horizon_days if days is None else days
    today = clinic_today(now, zone)
    return [today + timedelta(days=i) for i in range(max(count, 0))]


def day_slots(
    session: Session,
    *,
    doctor_id: int,
    day: date,
    now: datetime,
    zone: ZoneInfo | None = None,
    min_notice_minutes: int | None = None,
) -> list[Slot]:
    """Every slot of one clinic day in time order, each with its state."""
    zone, notice = zone_and_notice(zone, min_notice_minutes)
    return doctor_slots(
        session, doctor_id=doctor_id, days=[day], now=aware_now(now), zone=zone, notice=notice
    )


__all__ = [
    "LONGEST_TIME_OFF",
    "MAX_SLOT",
    "NO_INTERVALS",
    "OFF",
    "TAKEN",
    "Block",
    "Candidate",
    "Intervals",
    "Slot",
    "SlotState",
    "WorkBlock",
    "active_doctor",
    "active_doctor_blocks",
    "aware_now",
    "blocking_params",
    "blocking_rows",
    "bookable_from",
    "load_blocking",
    "now_param",
    "day_candidates",
    "day_slots",
    "doctor_slots",
    "horizon",
    "resolve",
    "schedule_rows",
    "slot_state",
    "state_of",
    "zone_and_notice",
]
