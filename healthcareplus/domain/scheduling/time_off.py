"""A doctor's time off: leave, a holiday, an afternoon or one slot taken out of booking.

Availability reads these rows on every request, so a change shows at once. Time off over
booked visits is refused unless the caller asks to cancel them (``schedule_changes``).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import NotFound, ValidationFailed
from healthcareplus.core.formatting import clinic_today, format_clock, format_date, to_local, utc
from healthcareplus.core.models import TimeOff
from healthcareplus.core.validation import OUT_OF_RANGE_DAY, within_clinic_days
from healthcareplus.domain.scheduling.freed_slots import record_freed_slots
from healthcareplus.domain.scheduling.schedule_changes import (
    AffectedAppointment,
    Consent,
    Edit,
    affected_appointment,
    booked_ahead,
    make_edit,
    parse_clock,
    require_schedule_actor,
)
from healthcareplus.domain.scheduling.slots import day_slots, doctor_slots, horizon, zone_and_notice

TIME_OFF_REASON_MAX = 300
MAX_TIME_OFF_DAYS = 366
TIME_OFF_KINDS = ("day", "range", "hours", "slot")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class TimeOffEntry:
    id: int
    start_at: datetime
    end_at: datetime
    label: str  # "Mon, 23 Nov 2026, 02:00 PM – 06:00 PM"
    reason: str


@dataclass(frozen=True)
class TimeOffChange:
    entry: TimeOffEntry
    cancelled: tuple[AffectedAppointment, ...]


def _local_instant(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone).astimezone(UTC)


def _day(value: Any, field: str) -> date:
    text = value.strip() if isinstance(value, str) else ""
    try:
        if _ISO_DAY.match(text):
            day = date.fromisoformat(text)
            if not within_clinic_days(day):
                raise ValidationFailed({field: OUT_OF_RANGE_DAY})
            return day
    except ValueError:
        pass
    raise ValidationFailed({field: "Choose a date."})


def _time(value: Any, field: str) -> time:
    found = parse_clock(value)
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
    if kind in ("day", "range"):
        last = _day(date_to, "date_to") if kind == "range" else first
        if last < first:
            raise ValidationFailed({"date_to": "The last day must not be before the first."})
        after = last + timedelta(days=1)
        return _local_instant(first, time(0), zone), _local_instant(after, time(0), zone)
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


def _check(text: str, start_at: datetime, end_at: datetime, now: datetime) -> None:
    """``ValidationFailed`` naming what is wrong with a new time off's reason and span."""
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
    doctor = require_schedule_actor(
        session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role
    )
    assert doctor.id is not None  # a loaded row
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    _check(text, start_at, end_at, now)
    booked = booked_ahead(session, doctor.id, now, (start_at, end_at))
    row = TimeOff(
        doctor_id=doctor.id,
        start_at=start_at,
        end_at=end_at,
        reason=text,
        created_by_user_id=actor_id,
        created_at=now,
    )

    def write() -> int | None:
        session.add(row)
        session.flush()
        return row.id

    span = {"start_at": start_at.isoformat(), "end_at": end_at.isoformat()}
    edit = Edit(
        action="time_off_added",
        entity="time_off",
        write=write,
        detail={"doctor_id": doctor.id, **span},
        note=text,
        affected=[affected_appointment(a, name) for a, name in booked],
    )
    told = text if cancel_reason is None else cancel_reason
    consent = Consent(cancel_affected, expected_affected, told)
    cancelled = make_edit(session, Actor(actor_id, actor_role, now), edit, consent)
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
    by = Actor(actor_id, actor_role, utc(now))
    doctor = require_schedule_actor(
        session, doctor_id=doctor_id, actor_id=actor_id, actor_role=actor_role
    )
    row = row_by_id(session, TimeOff, time_off_id)
    if row is None or row.doctor_id != doctor.id:
        raise NotFound("Time off not found.")
    entry = _entry(row)
    session.delete(row)
    session.flush()
    record_freed_slots(session, _given_back(session, doctor.id, entry, by.now), now=by.now)
    span = {"start_at": entry.start_at.isoformat(), "end_at": entry.end_at.isoformat()}
    detail = {"doctor_id": doctor.id, **span}
    audit(
        session,
        by,
        "time_off_removed",
        entity="time_off",
        entity_id=entry.id,
        reason=row.reason,
        detail=detail,
    )
    session.flush()
    return entry


def _given_back(
    session: Session, doctor_id: int, entry: TimeOffEntry, now: datetime
) -> list[tuple[int, datetime]]:
    """The slots of the booking horizon that the removed time off covered and that are now
    free to book: recorded as freed, so the waitlist offers them."""
    zone, notice = zone_and_notice(None, None)
    first = to_local(entry.start_at, zone).date()
    last = to_local(entry.end_at - timedelta(microseconds=1), zone).date()
    days = [day for day in horizon(now, zone, None) if first <= day <= last]
    if not days:
        return []
    slots = doctor_slots(session, doctor_id=doctor_id, days=days, now=now, zone=zone, notice=notice)
    return [
        (doctor_id, slot.start_at)
        for slot in slots
        if slot.is_free and slot.start_at < entry.end_at and slot.end_at > entry.start_at
    ]


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
    "TIME_OFF_KINDS",
    "TimeOffChange",
    "TimeOffEntry",
    "add_time_off",
    "list_time_off",
    "remove_time_off",
    "time_off_span",
]
