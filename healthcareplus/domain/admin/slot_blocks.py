"""The admin blocks and unblocks single slots of a doctor's timetable.

Blocking adds a ``TimeOff`` covering exactly one slot; unblocking removes only such a
one-slot entry (a leave or holiday is edited with the doctor's time off, not here). A
booking racing a block can still land (booking checks time off before it inserts); the
grid then shows it as booked, where the admin sees it and can cancel it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import (
    format_date,
    format_local_date,
    format_local_time,
    to_local,
    utc,
)
from healthcareplus.core.models import Doctor, Role, TimeOff
from healthcareplus.domain.admin.actions import require_admin
from healthcareplus.domain.admin.timetable_rows import (
    MAX_SLOT,
    Off,
    active_doctor,
    live_bookings,
    time_off_between,
)
from healthcareplus.domain.scheduling.freed_slots import record_freed_slot
from healthcareplus.domain.scheduling.slots import Slot, day_slots

SLOT_BLOCKED = "slot_blocked"
SLOT_UNBLOCKED = "slot_unblocked"
DEFAULT_BLOCK_REASON = "Blocked by admin"
BLOCK_REASON_MAX = 300


@dataclass(frozen=True)
class SlotChange:
    doctor_id: int
    start: str
    day: str
    time_label: str
    message: str


def _slot_at(session: Session, doctor_id: int, start_at: datetime, now: datetime) -> Slot:
    day = to_local(start_at).date()
    slots = day_slots(session, doctor_id=doctor_id, day=day, now=now, min_notice_minutes=0)
    slot = next((s for s in slots if s.start_at == start_at), None)
    if slot is None:
        raise NotFound("The doctor has no slot at that time.")
    if slot.start_at <= now:
        raise Conflict("That slot has already passed.")
    return slot


def _range_label(off: Off) -> str:
    def at(instant: datetime) -> str:
        return f"{format_local_date(instant)} {format_local_time(instant)}"

    return f"{at(off.start_at)} – {at(off.end_at)}"


def _change(doctor_id: int, slot: Slot, message: str) -> SlotChange:
    return SlotChange(
        doctor_id=doctor_id,
        start=slot.start_at.isoformat(),
        day=slot.local_date.isoformat(),
        time_label=slot.label,
        message=message,
    )


def block_slot(
    session: Session,
    *,
    doctor_id: int,
    start_at: datetime,
    admin_id: int,
    reason: str = "",
    now: datetime,
) -> SlotChange:
    """Take one future, unbooked slot out of booking with a one-slot time off entry."""
    now, start_at = utc(now), utc(start_at)
    require_admin(session, admin_id)
    text = " ".join(reason.split()) if isinstance(reason, str) else ""
    if len(text) > BLOCK_REASON_MAX:
        raise ValidationFailed({"reason": "Keep the reason under 300 characters."})
    doctor, _ = active_doctor(session, doctor_id)
    slot = _slot_at(session, doctor_id, start_at, now)
    nearby = live_bookings(session, doctor_id, slot.start_at - MAX_SLOT, slot.end_at, now)
    if any(a.end_at > slot.start_at for a, _ in nearby):
        raise Conflict("This slot is booked. Cancel the appointment first to free it.")
    if any(o.covers(*_span(slot)) for o in time_off_between(session, doctor_id, *_span(slot))):
        raise Conflict("This slot is already blocked.")
    off = TimeOff(
        doctor_id=doctor_id,
        start_at=slot.start_at,
        end_at=slot.end_at,
        reason=text or DEFAULT_BLOCK_REASON,
        created_by_user_id=admin_id,
        created_at=now,
    )
    session.add(off)
    session.flush()
    _audit_slot(session, admin_id, now, SLOT_BLOCKED, doctor, slot, off.reason, time_off_id=off.id)
    session.flush()
    return _change(doctor_id, slot, f"Blocked {slot.label} on {format_date(slot.local_date)}.")


def _audit_slot(
    session: Session,
    admin_id: int,
    now: datetime,
    action: str,
    doctor: Doctor,
    slot: Slot,
    reason: str,
    **detail: object,
) -> None:
    """The audit entry of a slot (un)blocked by the admin, on the doctor's record."""
    about = {"doctor": doctor.name, "start_at": slot.start_at.isoformat(), **detail}
    by = Actor(admin_id, Role.ADMIN, now)
    audit(session, by, action, entity="doctor", entity_id=doctor.id, reason=reason, detail=about)


def _span(slot: Slot) -> tuple[datetime, datetime]:
    return slot.start_at, slot.end_at


def unblock_slot(
    session: Session, *, doctor_id: int, start_at: datetime, admin_id: int, now: datetime
) -> SlotChange:
    """Remove the one-slot time off entry on a future slot; longer time off is refused."""
    now, start_at = utc(now), utc(start_at)
    require_admin(session, admin_id)
    doctor, _ = active_doctor(session, doctor_id)
    slot = _slot_at(session, doctor_id, start_at, now)
    covering = [
        o for o in time_off_between(session, doctor_id, *_span(slot)) if o.covers(*_span(slot))
    ]
    if not covering:
        raise Conflict("This slot is not blocked.")
    longer = [o for o in covering if not o.exactly(*_span(slot))]
    if longer:
        raise Conflict(
            f"This slot is part of a longer time off ({_range_label(longer[0])}). "
            "Change the doctor's time off to free it."
        )
    removed = session.exec(delete(TimeOff).where(col(TimeOff.id).in_([o.id for o in covering])))
    if removed.rowcount == 0:  # another admin unblocked it a moment ago
        raise Conflict("This slot is not blocked.")
    _audit_slot(session, admin_id, now, SLOT_UNBLOCKED, doctor, slot, covering[0].reason)
    record_freed_slot(session, doctor_id=doctor_id, start_at=slot.start_at, now=now)
    session.flush()
    return _change(doctor_id, slot, f"Unblocked {slot.label} on {format_date(slot.local_date)}.")


__all__ = [
    "DEFAULT_BLOCK_REASON",
    "SLOT_BLOCKED",
    "SLOT_UNBLOCKED",
    "SlotChange",
    "block_slot",
    "unblock_slot",
]
