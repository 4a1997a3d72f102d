"""Bookable slots: weekly schedule blocks, minus time off, minus taken appointments.

Slots are generated from clinic-local wall-clock times and converted to UTC with zoneinfo,
so they stay correct across DST changes: a local time that does not exist (spring forward)
gives no slot, and an ambiguous one (fall back) gives two distinct slots, one per instant.

Every public function runs a fixed number of queries whatever the number of days, doctors
or appointments: schedules, then time off and appointments over the whole range at once.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.errors import NotFound
from healthcareplus.core.formatting import (
    WEEKDAY_NAMES,
    clinic_today,
    format_clock,
    format_date,
    format_day_month,
    weekday_short,
)
from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    AppointmentStatus,
    Doctor,
    DoctorSchedule,
    TimeOff,
)

SlotState = Literal["free", "taken", "past", "blocked"]

BADGE_NOT_AVAILABLE = "Not available"
BADGE_AVAILABLE = "Available"
BADGE_FILLING_FAST = "Filling Fast"
BADGE_ALMOST_FULL = "Almost Full"
BADGE_FULL = "Full"

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
class DayAvailability:
    date: date
    iso: str  # "2026-11-23", for URLs and event arguments
    weekday_label: str  # "Mon"
    day_label: str  # "23 Nov"
    date_label: str  # "Mon, 23 Nov 2026"
    total: int  # working slots, time off excluded
    taken: int
    free: int  # bookable now
    badge: str
    bookable: bool


@dataclass(frozen=True)
class WeekdayHours:
    weekday: int  # Monday = 0
    day_name: str  # "Monday"
    blocks: tuple[str, ...]  # ("09:00 AM – 01:00 PM", ...)
    slot_minutes: int | None  # shortest slot length of the day; None when closed
    slot_label: str  # "15 min slots", "15–30 min slots" or ""
    hours_label: str  # blocks joined with ", " or "Closed"
    closed: bool


@dataclass(frozen=True)
class _Candidate:
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
) -> list[_Candidate]:
    step = timedelta(minutes=block.slot_minutes)
    wall = datetime.combine(day, block.start_time)
    # An end of 00:00 means midnight at the end of the day.
    end_day = day + timedelta(days=1) if block.end_time == time(0) else day
    wall_end = datetime.combine(end_day, block.end_time)
    out: list[_Candidate] = []
    while wall + step <= wall_end:
        instants = _instants(wall, zone)
        for instant in instants:
            label = format_clock(wall)
            if len(instants) > 1:
                label = f"{label} {instant.astimezone(zone).tzname()}"
            out.append(_Candidate(doctor_id, instant, instant + step, day, label))
        wall += step
    return out


def _day_candidates(
    doctor_id: int, day: date, blocks: Sequence[DoctorSchedule], zone: ZoneInfo
) -> list[_Candidate]:
    """All slots of one clinic day, in time order, with no two overlapping."""
    raw = [
        c
        for block in blocks
        if block.weekday == day.weekday()
        for c in _block_candidates(doctor_id, day, block, zone)
    ]
    raw.sort(key=lambda c: (c.start_at, c.end_at))
    kept: list[_Candidate] = []
    for cand in raw:
        # Overlapping blocks, or a slot stretched across a spring-forward gap, would give
        # two slots over the same minutes; the earlier one wins.
        if kept and cand.start_at < kept[-1].end_at:
            continue
        kept.append(cand)
    return kept


def _slot_state(
    cand: _Candidate, blocked: _Intervals, taken: _Intervals, cutoff: datetime
) -> SlotState:
    if blocked.overlaps(cand.start_at, cand.end_at):
        return "blocked"
    if taken.overlaps(cand.start_at, cand.end_at):
        return "taken"
    if cand.start_at < cutoff:
        return "past"
    return "free"


# --- queries -----------------------------------------------------------------------------


def _settings_defaults(
    zone: ZoneInfo | None, min_notice_minutes: int | None
) -> tuple[ZoneInfo, int]:
    settings = get_settings()
    zone = zone or settings.clinic_zone
    notice = settings.min_notice_minutes if min_notice_minutes is None else min_notice_minutes
    return zone, notice


def _check_now(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(UTC)


def _require_doctor(session: Session, doctor_id: int) -> Doctor:
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
            col(Appointment.status).in_([s.value for s in SLOT_TAKING_STATUSES]),
            # A payment hold takes its slot only until it expires. A hold without an
            # expiry is treated as live: the unique slot index would refuse a booking.
            or_(
                col(Appointment.status) != AppointmentStatus.PENDING_PAYMENT.value,
                col(Appointment.hold_expires_at).is_(None),
                col(Appointment.hold_expires_at) > now,
            ),
        )
    )
    for doctor_id, s, e in rows:
        taken[doctor_id].append((s, e))
    return (
        {d: _Intervals(v) for d, v in off.items()},
        {d: _Intervals(v) for d, v in taken.items()},
    )


def _resolve(
    session: Session,
    candidates: dict[int, list[_Candidate]],
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


def _schedule(session: Session, doctor_id: int) -> list[DoctorSchedule]:
    return list(
        session.exec(
            select(DoctorSchedule)
            .where(DoctorSchedule.doctor_id == doctor_id)
            .order_by(col(DoctorSchedule.weekday), col(DoctorSchedule.start_time))
        )
    )


def _range_slots(
    session: Session,
    *,
    doctor_id: int,
    days: Sequence[date],
    now: datetime,
    zone: ZoneInfo,
    notice: int,
) -> list[Slot]:
    _require_doctor(session, doctor_id)
    blocks = _schedule(session, doctor_id)
    cands = [c for day in days for c in _day_candidates(doctor_id, day, blocks, zone)]
    return _resolve(session, {doctor_id: cands}, now=now, notice=notice)[doctor_id]


def _horizon(now: datetime, zone: ZoneInfo, days: int | None) -> list[date]:
    count = get_settings().booking_horizon_days if days is None else days
    today = clinic_today(now, zone)
    return [today + timedelta(days=i) for i in range(max(count, 0))]


# --- public API --------------------------------------------------------------------------


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
    zone, notice = _settings_defaults(zone, min_notice_minutes)
    return _range_slots(
        session, doctor_id=doctor_id, days=[day], now=_check_now(now), zone=zone, notice=notice
    )


def _badge(total: int, taken: int, free: int, upcoming: int) -> str:
    if total == 0 or upcoming == 0:
        return BADGE_NOT_AVAILABLE
    if free == 0:
        return BADGE_FULL
    share = taken / total
    if share < 0.5:
        return BADGE_AVAILABLE
    if share < 0.75:
        return BADGE_FILLING_FAST
    return BADGE_ALMOST_FULL


def summarize_day(day: date, slots: Sequence[Slot], *, now: datetime) -> DayAvailability:
    """Counts and badge of one day's slots (see the badge rules in docs/domain.md).

    A day whose working slots are all blocked or already past is "Not available"; a day
    with slots still ahead but none bookable is "Full".
    """
    working = [s for s in slots if s.state != "blocked"]
    taken = sum(1 for s in working if s.state == "taken")
    free = sum(1 for s in working if s.state == "free")
    upcoming = sum(1 for s in working if s.state != "past" and s.start_at > now)
    return DayAvailability(
        date=day,
        iso=day.isoformat(),
        weekday_label=weekday_short(day),
        day_label=format_day_month(day),
        date_label=format_date(day),
        total=len(working),
        taken=taken,
        free=free,
        badge=_badge(len(working), taken, free, upcoming),
        bookable=free > 0,
    )


def calendar(
    session: Session,
    *,
    doctor_id: int,
    now: datetime,
    days: int | None = None,
    zone: ZoneInfo | None = None,
    min_notice_minutes: int | None = None,
) -> list[DayAvailability]:
    """One entry per clinic day from today for ``days`` days (default: booking horizon)."""
    zone, notice = _settings_defaults(zone, min_notice_minutes)
    now = _check_now(now)
    dates = _horizon(now, zone, days)
    slots = _range_slots(
        session, doctor_id=doctor_id, days=dates, now=now, zone=zone, notice=notice
    )
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_day[slot.local_date].append(slot)
    return [summarize_day(d, by_day.get(d, []), now=now) for d in dates]


def next_free_slots(
    session: Session,
    *,
    doctor_id: int,
    now: datetime,
    limit: int = 6,
    zone: ZoneInfo | None = None,
    min_notice_minutes: int | None = None,
) -> list[Slot]:
    """The first ``limit`` bookable slots within the booking horizon."""
    zone, notice = _settings_defaults(zone, min_notice_minutes)
    now = _check_now(now)
    slots = _range_slots(
        session,
        doctor_id=doctor_id,
        days=_horizon(now, zone, None),
        now=now,
        zone=zone,
        notice=notice,
    )
    return [s for s in slots if s.state == "free"][: max(limit, 0)]


def available_doctor_ids(
    session: Session,
    *,
    day: date,
    now: datetime,
    doctor_ids: Iterable[int] | None = None,
    zone: ZoneInfo | None = None,
    min_notice_minutes: int | None = None,
) -> set[int]:
    """Active doctors (of ``doctor_ids``, or all) with a bookable slot on a clinic day.

    At most three queries for any number of doctors.
    """
    zone, notice = _settings_defaults(zone, min_notice_minutes)
    now = _check_now(now)
    query = (
        select(DoctorSchedule)
        .join(Doctor, col(Doctor.id) == DoctorSchedule.doctor_id)
        .where(col(Doctor.is_active).is_(True), DoctorSchedule.weekday == day.weekday())
    )
    if doctor_ids is not None:
        wanted = sorted(set(doctor_ids))
        if not wanted:
            return set()
        query = query.where(col(DoctorSchedule.doctor_id).in_(wanted))
    blocks: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for block in session.exec(query):
        blocks[block.doctor_id].append(block)
    cutoff = now + timedelta(minutes=notice)
    candidates: dict[int, list[_Candidate]] = {}
    for doctor_id, doctor_blocks in blocks.items():
        # Doctors whose slots have all gone by cannot qualify: no need to load their data.
        cands = _day_candidates(doctor_id, day, doctor_blocks, zone)
        if any(c.start_at >= cutoff and c.start_at > now for c in cands):
            candidates[doctor_id] = cands
    resolved = _resolve(session, candidates, now=now, notice=notice)
    return {d for d, slots in resolved.items() if any(s.state == "free" for s in slots)}


def _slot_summary(minutes: Sequence[int]) -> str:
    lengths = sorted(set(minutes))
    if not lengths:
        return ""
    if len(lengths) == 1:
        return f"{lengths[0]} min slots"
    return f"{lengths[0]}–{lengths[-1]} min slots"


def weekly_schedule(session: Session, *, doctor_id: int) -> list[WeekdayHours]:
    """Working hours Monday..Sunday for the profile page."""
    _require_doctor(session, doctor_id)
    by_day: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for block in _schedule(session, doctor_id):
        by_day[block.weekday].append(block)
    week: list[WeekdayHours] = []
    for weekday, name in enumerate(WEEKDAY_NAMES):
        day_blocks = by_day.get(weekday, [])
        spans = tuple(
            f"{format_clock(b.start_time)} – {format_clock(b.end_time)}" for b in day_blocks
        )
        minutes = [b.slot_minutes for b in day_blocks]
        week.append(
            WeekdayHours(
                weekday=weekday,
                day_name=name,
                blocks=spans,
                slot_minutes=min(minutes) if minutes else None,
                slot_label=_slot_summary(minutes),
                hours_label=", ".join(spans) if spans else "Closed",
                closed=not spans,
            )
        )
    return week


__all__ = [
    "BADGE_ALMOST_FULL",
    "BADGE_AVAILABLE",
    "BADGE_FILLING_FAST",
    "BADGE_FULL",
    "BADGE_NOT_AVAILABLE",
    "DayAvailability",
    "Slot",
    "SlotState",
    "WeekdayHours",
    "available_doctor_ids",
    "calendar",
    "day_slots",
    "next_free_slots",
    "summarize_day",
    "weekly_schedule",
]
