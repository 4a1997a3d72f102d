"""Availability for the booking pages: a day's slots summed up with a badge, the calendar
of the booking horizon, the next free slots, which doctors are free on a day, and a
doctor's weekly hours. The slots themselves are ``slots`` (``Slot`` and ``day_slots`` are
re-exported here); the next free slots of a whole page of doctors at once (the doctor
cards) are ``next_slots``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from healthcareplus.core.formatting import (
    WEEKDAY_NAMES,
    format_clock,
    format_date,
    format_day_month,
    weekday_short,
)
from healthcareplus.core.models import Doctor, DoctorSchedule
from healthcareplus.domain.scheduling.slots import (
    Candidate,
    Slot,
    SlotState,
    active_doctor,
    aware_now,
    day_candidates,
    day_slots,
    doctor_slots,
    horizon,
    resolve,
    schedule_rows,
    zone_and_notice,
)

BADGE_NOT_AVAILABLE = "Not available"
BADGE_AVAILABLE = "Available"
BADGE_FILLING_FAST = "Filling Fast"
BADGE_ALMOST_FULL = "Almost Full"
BADGE_FULL = "Full"

# The calendar runs out just after this day (its end, in any zone, is past datetime.max).
LAST_BOOKABLE_DAY = date.max - timedelta(days=2)


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
    zone, notice = zone_and_notice(zone, min_notice_minutes)
    now = aware_now(now)
    dates = horizon(now, zone, days)
    slots = doctor_slots(
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
    zone, notice = zone_and_notice(zone, min_notice_minutes)
    now = aware_now(now)
    slots = doctor_slots(
        session,
        doctor_id=doctor_id,
        days=horizon(now, zone, None),
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
    if day >= LAST_BOOKABLE_DAY:  # nobody works there, and its instants would overflow
        return set()
    zone, notice = zone_and_notice(zone, min_notice_minutes)
    now = aware_now(now)
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
    candidates: dict[int, list[Candidate]] = {}
    for doctor_id, doctor_blocks in blocks.items():
        # Doctors whose slots have all gone by cannot qualify: no need to load their data.
        cands = day_candidates(doctor_id, day, doctor_blocks, zone)
        if any(c.start_at >= cutoff and c.start_at > now for c in cands):
            candidates[doctor_id] = cands
    resolved = resolve(session, candidates, now=now, notice=notice)
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
    active_doctor(session, doctor_id)
    by_day: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for block in schedule_rows(session, doctor_id):
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
    "schedule_rows",
    "summarize_day",
    "weekly_schedule",
]
