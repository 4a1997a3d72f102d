"""Slot times: the candidate slots of a clinic day from a doctor's weekly blocks (pure).

Slots are generated from clinic-local wall-clock times and converted to UTC with zoneinfo,
so they stay correct across DST changes: a local time that does not exist (spring forward)
gives no slot, and an ambiguous one (fall back) gives two distinct slots, one per instant.
A block that no change of the zone's offset touches (nearly every day) is converted with
its one offset; a test checks the two ways agree on every day of a year in several zones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from healthcareplus.core.formatting import format_clock
from healthcareplus.core.i18n import current_language, use_language


class Block(Protocol):
    """A weekly working block: a ``DoctorSchedule`` row, or a ``WorkBlock`` read with it."""

    @property
    def weekday(self) -> int: ...
    @property
    def start_time(self) -> time: ...
    @property
    def end_time(self) -> time: ...
    @property
    def slot_minutes(self) -> int: ...


@dataclass(frozen=True)
class WorkBlock:
    weekday: int
    start_time: time
    end_time: time
    slot_minutes: int


@dataclass(frozen=True)
class Candidate:
    doctor_id: int
    start_at: datetime
    end_at: datetime
    local_date: date
    label: str


def wall_instants(wall: datetime, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants a naive local wall-clock time denotes: none, one or two."""
    offset = wall.replace(tzinfo=zone).utcoffset()
    if offset is not None and offset == wall.replace(tzinfo=zone, fold=1).utcoffset():
        return [(wall - offset).replace(tzinfo=UTC)]  # neither skipped nor repeated
    found: list[datetime] = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) != wall:
            continue  # skipped by a spring-forward change
        if instant not in found:
            found.append(instant)
    return found


def _clock(hour: int, minute: int) -> str:
    return _clock_in(hour, minute, current_language())


@lru_cache(maxsize=2 * 1440)
def _clock_in(hour: int, minute: int, language: str) -> str:
    """A slot's time label, cached per reader's language (``core.i18n``)."""
    with use_language(language):
        return format_clock(time(hour, minute))


def _steady_offset(walls: Sequence[datetime], wall_end: datetime, zone: ZoneInfo) -> Any:
    """The one UTC offset of every wall time in a block (a timedelta), or None when a
    change of the zone's offset touches it: the offsets of every start and of the block's
    end agree, and so do the later-fold ones at its first start and its end (a zone never
    changes its offset and back between two slot starts, so none hides between them)."""
    offset = zone.utcoffset(walls[0])
    ends = (walls[0].replace(fold=1), wall_end, wall_end.replace(fold=1))
    if offset is None or any(zone.utcoffset(w) != offset for w in ends):
        return None
    if any(zone.utcoffset(w) != offset for w in walls):
        return None
    return offset


def _block_candidates(doctor_id: int, day: date, block: Block, zone: ZoneInfo) -> list[Candidate]:
    step = timedelta(minutes=block.slot_minutes)
    wall = datetime.combine(day, block.start_time)
    # An end of 00:00 means midnight at the end of the day.
    end_day = day + timedelta(days=1) if block.end_time == time(0) else day
    wall_end = datetime.combine(end_day, block.end_time)
    walls: list[datetime] = []
    while wall + step <= wall_end:
        walls.append(wall)
        wall += step
    if not walls:
        return []
    offset = _steady_offset(walls, wall_end, zone)
    if offset is not None:  # the usual day: each start is its wall time less the offset
        first = (walls[0] - offset).replace(tzinfo=UTC)
        return [
            Candidate(
                doctor_id,
                first + i * step,
                first + (i + 1) * step,
                day,
                _clock(w.hour, w.minute),
            )
            for i, w in enumerate(walls)
        ]
    out: list[Candidate] = []
    for wall in walls:
        instants = wall_instants(wall, zone)
        for instant in instants:
            label = format_clock(wall)
            if len(instants) > 1:
                label = f"{label} {instant.astimezone(zone).tzname()}"
            out.append(Candidate(doctor_id, instant, instant + step, day, label))
    return out


def day_candidates(
    doctor_id: int, day: date, blocks: Sequence[Block], zone: ZoneInfo
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


__all__ = ["Block", "Candidate", "WorkBlock", "day_candidates", "wall_instants"]
