"""The waitlist: a patient waits for a doctor's slot to free up between two clinic days.

One active entry per patient per doctor and overlapping range; an entry ends when the
patient leaves it, accepts an offer (``waitlist_offers``), or its last day is past. The
worker offers freed slots to the waiters first come, first served.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from healthcareplus.core.audit import Actor, audit
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import row_by_id
from healthcareplus.core.errors import Conflict, NotFound, ValidationFailed
from healthcareplus.core.formatting import clinic_today, format_date, utc
from healthcareplus.core.models import Doctor, Role
from healthcareplus.core.waitlist_models import (
    MAX_RANGE_DAYS,
    EntryStatus,
    OfferStatus,
    SlotOffer,
    WaitlistEntry,
)
from healthcareplus.domain.accounts.actors import acting_user

ACTIVE = EntryStatus.ACTIVE.value
ALREADY_WAITING = "You are already on this doctor's waitlist for some of those days."
ENTRY_MISSING = "Waitlist entry not found."


def _day(value: Any, field: str) -> date:
    """A date, or an ISO date string (a form's value); anything else is refused."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) <= 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationFailed({field: "Choose a valid date."})


def check_range(from_day: Any, to_day: Any, *, now: datetime) -> tuple[date, date]:
    """The (first, last) day of a wait: from today on, at most ``MAX_RANGE_DAYS`` days,
    within the booking horizon."""
    first, last = _day(from_day, "from_day"), _day(to_day, "to_day")
    today = clinic_today(now)
    horizon = get_settings().booking_horizon_days
    if first < today:
        raise ValidationFailed({"from_day": "Choose today or a later day."})
    if last < first:
        raise ValidationFailed({"to_day": "The last day must not be before the first."})
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValidationFailed({"to_day": f"Wait for at most {MAX_RANGE_DAYS} days at a time."})
    if (last - today).days >= horizon:
        raise ValidationFailed(
            {"to_day": f"Appointments can be booked up to {horizon} days ahead."}
        )
    return first, last


def end_past_entries(session: Session, *, now: datetime, patient_id: int | None = None) -> int:
    """Active entries whose last day is before today end (all, or one patient's)."""
    where = [col(WaitlistEntry.status) == ACTIVE, col(WaitlistEntry.to_day) < clinic_today(now)]
    if patient_id is not None:
        where.append(col(WaitlistEntry.patient_id) == patient_id)
    ended = session.execute(
        update(WaitlistEntry)
        .where(*where)
        .values(status=EntryStatus.ENDED.value, ended_at=utc(now))
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(getattr(ended, "rowcount", 0) or 0)


def join_waitlist(
    session: Session,
    *,
    patient_id: int,
    doctor_id: object,
    from_day: Any,
    to_day: Any,
    now: datetime,
) -> WaitlistEntry:
    """Put the patient on the doctor's waitlist from ``from_day`` to ``to_day`` (clinic
    days, both included)."""
    now = utc(now)
    acting_user(session, patient_id, Role.PATIENT, refusal="Only a patient can join a waitlist.")
    doctor = row_by_id(session, Doctor, doctor_id)
    if doctor is None or not doctor.is_active:
        raise NotFound("Doctor not found.")
    first, last = check_range(from_day, to_day, now=now)
    end_past_entries(session, now=now, patient_id=patient_id)
    overlapping = session.exec(
        select(WaitlistEntry.id).where(
            col(WaitlistEntry.patient_id) == patient_id,
            col(WaitlistEntry.doctor_id) == doctor.id,
            col(WaitlistEntry.status) == ACTIVE,
            col(WaitlistEntry.from_day) <= last,
            col(WaitlistEntry.to_day) >= first,
        )
    ).first()
    if overlapping is not None:
        raise Conflict(ALREADY_WAITING)
    entry = WaitlistEntry(
        patient_id=patient_id, doctor_id=doctor.id or 0, from_day=first, to_day=last, joined_at=now
    )
    session.add(entry)
    session.flush()
    detail = {"doctor_id": doctor.id, "from_day": first.isoformat(), "to_day": last.isoformat()}
    audit(
        session,
        Actor(patient_id, Role.PATIENT, now),
        "waitlist_joined",
        entity="waitlist_entry",
        entity_id=entry.id,
        detail=detail,
    )
    return entry


def leave_waitlist(
    session: Session, *, patient_id: int, entry_id: object, now: datetime
) -> WaitlistEntry:
    """The patient leaves one of their active entries (an open offer stays theirs to
    accept or decline)."""
    now = utc(now)
    acting_user(session, patient_id, Role.PATIENT)
    entry = row_by_id(session, WaitlistEntry, entry_id)
    if entry is None or entry.patient_id != patient_id:
        raise NotFound(ENTRY_MISSING)
    changed = session.execute(
        update(WaitlistEntry)
        .where(col(WaitlistEntry.id) == entry.id, col(WaitlistEntry.status) == ACTIVE)
        .values(status=EntryStatus.LEFT.value, ended_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        raise Conflict("You are no longer on this waitlist.")
    session.refresh(entry)
    by = Actor(patient_id, Role.PATIENT, now)
    audit(session, by, "waitlist_left", entity="waitlist_entry", entity_id=entry.id)
    session.flush()
    return entry


@dataclass(frozen=True)
class EntryView:
    """One of the patient's active entries, as the waitlist page shows it."""

    id: int
    doctor_id: int
    doctor_name: str
    days: str  # "Mon, 30 Nov 2026 – Fri, 4 Dec 2026"
    joined: str
    offer_id: int | None


def my_waitlist(session: Session, *, patient_id: int, now: datetime) -> list[EntryView]:
    """The patient's active entries (past ones end first), oldest first."""
    now = utc(now)
    acting_user(session, patient_id, Role.PATIENT)
    end_past_entries(session, now=now, patient_id=patient_id)
    rows = session.exec(
        select(WaitlistEntry, Doctor.name, SlotOffer.id)
        .join(Doctor, col(Doctor.id) == col(WaitlistEntry.doctor_id))
        .outerjoin(
            SlotOffer,
            (col(SlotOffer.entry_id) == col(WaitlistEntry.id))
            & (col(SlotOffer.status) == OfferStatus.OPEN.value),
        )
        .where(col(WaitlistEntry.patient_id) == patient_id, col(WaitlistEntry.status) == ACTIVE)
        .order_by(col(WaitlistEntry.joined_at), col(WaitlistEntry.id))
    ).all()
    return [
        EntryView(
            id=entry.id or 0,
            doctor_id=entry.doctor_id,
            doctor_name=name,
            days=_days_label(entry.from_day, entry.to_day),
            joined=format_date(clinic_today(entry.joined_at)),
            offer_id=offer_id,
        )
        for entry, name, offer_id in rows
    ]


def _days_label(first: date, last: date) -> str:
    return format_date(first) if first == last else f"{format_date(first)} – {format_date(last)}"


def waiting_counts(session: Session, doctor_ids: list[int]) -> dict[int, int]:
    """Active entries per doctor of ``doctor_ids`` (one grouped SELECT on the index of
    active entries; the worker ends entries whose last day is past)."""
    if not doctor_ids:
        return {}
    rows = session.exec(
        select(WaitlistEntry.doctor_id, func.count())
        .where(col(WaitlistEntry.status) == ACTIVE, col(WaitlistEntry.doctor_id).in_(doctor_ids))
        .group_by(col(WaitlistEntry.doctor_id))
    ).all()
    return {int(doctor_id): int(n) for doctor_id, n in rows}


def waitlist_counts(
    session: Session, *, now: datetime, doctor_ids: list[int] | None = None
) -> dict[int, int]:
    """Active waiters per doctor (entries whose last day is not past), counted in SQL on
    the (doctor_id, joined_at) index of active entries."""
    where = [col(WaitlistEntry.status) == ACTIVE, col(WaitlistEntry.to_day) >= clinic_today(now)]
    if doctor_ids is not None:
        if not doctor_ids:
            return {}
        where.append(col(WaitlistEntry.doctor_id).in_(doctor_ids))
    rows = session.exec(
        select(WaitlistEntry.doctor_id, func.count())
        .where(*where)
        .group_by(col(WaitlistEntry.doctor_id))
    ).all()
    return {int(doctor_id): int(n) for doctor_id, n in rows}


__all__ = [
    "ALREADY_WAITING",
    "ENTRY_MISSING",
    "EntryView",
    "check_range",
    "end_past_entries",
    "join_waitlist",
    "leave_waitlist",
    "my_waitlist",
    "waiting_counts",
    "waitlist_counts",
]
