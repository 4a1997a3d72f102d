"""Slots: weekly schedule blocks, minus time off, minus taken appointments, each with
its state. ``availability`` sums them up for the booking pages.

Slots are generated from clinic-local wall-clock times and converted to UTC with zoneinfo,
so they stay correct across DST changes: a local time that does not exist (spring forward)
gives no slot, and an ambiguous one (fall back) gives two distinct slots, one per instant.

Slots are resolved with a fixed number of queries whatever the number of days, doctors or
appointments: schedules, then time off and appointments over the whole range at once.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import (
    clinic_today,
    format_clock,
)
from healthcareplus.core.models import (
    Appointment,
    Doctor,
    DoctorSchedule,
    TimeOff,
)
from healthcareplus.domain.scheduling import lifecycle

SlotState = Literal["free", "taken", "past", "blocked"]

# DoctorSchedule.slot_minutes is at most 120: an appointment that overlaps a range starts
# at most this long before it (used to widen the indexed start_at range scan).
_MAX_SLOT = timedelta(minutes=120)


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


@dataclass(frozen=True)
class Candidate:
    doctor_id: int
    start_at: datetime
    end_at: datetime
    local_date: date
    label: str


class _Intervals:
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


_EMPTY = _Intervals(())


# --- slot generation (pure) --------------------------------------------------------------


def _instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants a naive local wall-clock time denotes: none, one or two."""
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) != wall:
            continue  # skipped by a spring-forward change
        if instant not in found:
            found.append(instant)
    return found


def _block_candidates(
    doctor_id: int, day: date, block: DoctorSchedule, zone: ZoneInfo
) -> list[Candidate]:
    step = timedelta(minutes=block.slot_minutes)
    wall = datetime.combine(day, block.start_time)
    # An end of 00:00 means midnight at the end of the day.
    end_day = day + timedelta(days=1) if block.end_time == time(0) else day
    wall_end = datetime.combine(end_day, block.end_time)
    out: list[Candidate] = []
    while wall + step <= wall_end:
        instants = _instants(wall, zone)
        for instant in instants:
            label = format_clock(wall)
            if len(instants) > 1:
                label = f"{label} {instant.astimezone(zone).tzname()}"
            out.append(Candidate(doctor_id, instant, instant + step, day, label))
        wall += step
    return out


def day_candidates(
    doctor_id: int, day: date, blocks: Sequence[DoctorSchedule], zone: ZoneInfo
) -> list[Candidate]:
    """All slots of one clinic day, in time order, with no two overlapping."""
    raw = [
        c
        for block in blocks
        if block.weekday == day.weekday()
        for c in _block_candidates(doctor_id, day, block, zone)
    ]
    raw.sort(key=lambda c: (c.start_at, c.end_at))
    kept: list[Candidate] = []
    for cand in raw:
        # Overlapping blocks, or a slot stretched across a spring-forward gap, would give
        # two slots over the same minutes; the earlier one wins.
        if kept and cand.start_at < kept[-1].end_at:
            continue
        kept.append(cand)
    return kept


def _slot_state(
    cand: Candidate, blocked: _Intervals, taken: _Intervals, cutoff: datetime
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


def _doctor_filter(column: Any, doctor_ids: Sequence[int]) -> ColumnElement[bool]:
    return column == doctor_ids[0] if len(doctor_ids) == 1 else col(column).in_(doctor_ids)


def _load_blocking(
    session: Session,
    doctor_ids: Sequence[int],
    start: datetime,
    end: datetime,
    now: datetime,
) -> tuple[dict[int, _Intervals], dict[int, _Intervals]]:
    """Time off and slot-taking appointments over [start, end): two queries in all."""
    off: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = session.exec(
        select(TimeOff.doctor_id, TimeOff.start_at, TimeOff.end_at).where(
            _doctor_filter(TimeOff.doctor_id, doctor_ids),
            col(TimeOff.start_at) < end,
            col(TimeOff.end_at) > start,
        )
    )
    for doctor_id, s, e in rows:
        off[doctor_id].append((s, e))

    taken: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = session.exec(
        select(Appointment.doctor_id, Appointment.start_at, Appointment.end_at).where(
            _doctor_filter(Appointment.doctor_id, doctor_ids),
            # Range on the (doctor_id, start_at) index; end_at narrows what it finds.
            col(Appointment.start_at) >= start - _MAX_SLOT,
            col(Appointment.start_at) < end,
            col(Appointment.end_at) > start,
            col(Appointment.status).in_(sorted(lifecycle.INDEXED_STATUSES)),
            lifecycle.holds_slot_clause(now),
        )
    )
    for doctor_id, s, e in rows:
        taken[doctor_id].append((s, e))
    return (
        {d: _Intervals(v) for d, v in off.items()},
        {d: _Intervals(v) for d, v in taken.items()},
    )


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
    blocked, taken = _load_blocking(session, sorted(present), start, end, now)
    cutoff = max(now + timedelta(minutes=notice), now + timedelta(microseconds=1))
    result: dict[int, list[Slot]] = {}
    for doctor_id, cands in candidates.items():
        off = blocked.get(doctor_id, _EMPTY)
        busy = taken.get(doctor_id, _EMPTY)
        result[doctor_id] = [
            Slot(
                start_at=c.start_at,
                end_at=c.end_at,
                local_date=c.local_date,
                label=c.label,
                state=_slot_state(c, off, busy, cutoff),
            )
            for c in cands
        ]
    return result


def schedule_rows(session: Session, doctor_id: int) -> list[DoctorSchedule]:
    """The doctor's weekly schedule rows, Monday first, each day in time order."""
    return list(
        session.exec(
            select(DoctorSchedule)
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
    active_doctor(session, doctor_id)
    blocks = schedule_rows(session, doctor_id)
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
    "Candidate",
    "Slot",
    "SlotState",
    "active_doctor",
    "aware_now",
    "day_candidates",
    "day_slots",
    "doctor_slots",
    "horizon",
    "resolve",
    "schedule_rows",
    "zone_and_notice",
]
