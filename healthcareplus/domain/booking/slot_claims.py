"""What a booking (or a move) reads before it claims a slot: two statements, whatever the
length of history.

1. ``read_parties``: the patient's account, the doctor (if active) and the doctor's
   working blocks on the slot's weekday, in one SELECT; the caller checks the patient
   with ``acting_user``, which finds the account in the session (no other query).
2. ``claimable_slot``: the slot (from those blocks, in Python), then one SELECT (a UNION
   ALL, each part a range on a (doctor_id | patient_id, start_at) index near the slot)
   of the doctor's time off and slot-taking appointments around that day, the person's
   appointments overlapping the slot, and a lapsed hold on the slot itself, which the
   caller expires before claiming it.

The no-overlap rule is per person: the account holder's own visits (no ``dependant_id``,
on the (patient_id, start_at) index) or one family member's (on (dependant_id,
start_at)), so a parent and their child may see two doctors at the same time.

The refusals, and their order, are the booking rules: the account and the doctor (the
caller's), the time (passed, beyond the horizon, no slot there), the slot (blocked,
taken, too soon), then the person's own overlapping appointment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, literal_column, select, union_all
from sqlmodel import Session, col

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.errors import Conflict, SlotUnavailable
from healthcareplus.core.formatting import clinic_today, to_local
from healthcareplus.core.models import Appointment, Doctor, DoctorSchedule, User
from healthcareplus.domain.scheduling import lifecycle
from healthcareplus.domain.scheduling.slots import (
    MAX_SLOT,
    OFF,
    TAKEN,
    Candidate,
    Slot,
    WorkBlock,
    blocking_params,
    blocking_rows,
    day_candidates,
    now_param,
    state_of,
)

SLOT_JUST_TAKEN = "This slot was just booked by someone else. Please choose another time."
CLASH, LAPSED = 2, 3  # kinds of rows of ``_AROUND`` beyond slots.OFF and slots.TAKEN

_DOCTORS = table_of(Doctor)
_SCHEDULES = table_of(DoctorSchedule)
_APPOINTMENTS = table_of(Appointment)

# The patient (fresh), the doctor if active, and the doctor's blocks on the weekday.
_PARTIES: Any = (
    select(
        User,
        _DOCTORS.c.id.label("doctor_id"),
        _DOCTORS.c.hospital_id,
        _DOCTORS.c.fee_paise,
        _DOCTORS.c.confirms_bookings,
        _SCHEDULES.c.weekday,
        _SCHEDULES.c.start_time,
        _SCHEDULES.c.end_time,
        _SCHEDULES.c.slot_minutes,
    )
    .select_from(User)
    .outerjoin(
        _DOCTORS,
        and_(_DOCTORS.c.id == bindparam("doctor_id"), _DOCTORS.c.is_active.is_(True)),
    )
    .outerjoin(
        _SCHEDULES,
        and_(
            _SCHEDULES.c.doctor_id == _DOCTORS.c.id,
            _SCHEDULES.c.weekday == bindparam("weekday"),
        ),
    )
    .where(col(User.id) == bindparam("patient_id"))
    .execution_options(populate_existing=True)
)


@dataclass(frozen=True)
class BookingDoctor:
    doctor_id: int
    hospital_id: int
    fee_paise: int
    confirms_bookings: bool = False  # bookings wait as requests for him to accept


@dataclass(frozen=True)
class Parties:
    """Who a booking is between, as read (nothing checked yet): the patient's account,
    the doctor if active, and the doctor's working blocks on the slot's weekday."""

    patient: User | None
    doctor: BookingDoctor | None
    blocks: tuple[WorkBlock, ...]


def read_parties(
    session: Session, *, patient_id: object, doctor_id: int, start_at: datetime
) -> Parties:
    """One SELECT. The patient's ``User`` stays in the session, so the caller's
    ``acting_user`` check of it runs no other query."""
    if type(patient_id) is not int:  # a crafted value is never looked up
        return Parties(None, None, ())
    weekday = to_local(start_at).date().weekday()
    params = {"patient_id": patient_id, "doctor_id": doctor_id, "weekday": weekday}
    rows = session.exec(_PARTIES, params=params).all()
    if not rows:
        return Parties(None, None, ())
    first = rows[0]
    doctor = None
    if first.doctor_id is not None:
        doctor = BookingDoctor(
            first.doctor_id, first.hospital_id, first.fee_paise, bool(first.confirms_bookings)
        )
    blocks = tuple(
        WorkBlock(r.weekday, r.start_time, r.end_time, r.slot_minutes)
        for r in rows
        if r.weekday is not None
    )
    return Parties(first.User, doctor, blocks)


def _around_statement(*, dependant: bool) -> Any:
    """(kind, doctor_id, start_at, end_at) rows: ``blocking_rows`` for the doctor over the
    day, the person's clashing appointments (the holder's own, or the family member's),
    a lapsed hold on the slot."""
    a = _APPOINTMENTS.c
    now = now_param("now")
    off, taken = blocking_rows(lambda column: column == bindparam("doctor_id"))
    person = (
        (a.dependant_id == bindparam("dependant_id"),)
        if dependant
        else (a.patient_id == bindparam("patient_id"), a.dependant_id.is_(None))
    )
    clash = select(literal_column(str(CLASH)), a.doctor_id, a.start_at, a.end_at).where(
        *person,
        a.start_at >= bindparam("clash_from"),  # the (person, start_at) index range
        a.start_at < bindparam("slot_end"),
        a.end_at > bindparam("slot_start"),
        a.status.in_([lifecycle.PENDING, lifecycle.CONFIRMED]),
        lifecycle.HOLDS_SLOT.sql(now),
        a.id != bindparam("ignore_id"),
    )
    lapsed = select(literal_column(str(LAPSED)), a.doctor_id, a.start_at, a.end_at).where(
        a.doctor_id == bindparam("doctor_id"),
        a.start_at == bindparam("slot_start"),
        lifecycle.HOLD_LAPSED.sql(now),
    )
    return union_all(off, taken, clash, lapsed)


_AROUND = _around_statement(dependant=False)
_AROUND_DEPENDANT = _around_statement(dependant=True)


@dataclass(frozen=True)
class Claim:
    slot: Slot
    lapsed_hold: bool  # a lapsed hold sits on the slot: expire it before inserting


def _minutes_text(minutes: int) -> str:
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def claimable_slot(
    session: Session,
    doctor: BookingDoctor,
    blocks: Sequence[WorkBlock],
    *,
    patient_id: int,
    start_at: datetime,
    now: datetime,
    ignore_id: str | None = None,
    dependant_id: int | None = None,
) -> Claim:
    """The free slot starting at ``start_at`` that the patient may hold (one SELECT), or
    ``SlotUnavailable``/``Conflict`` saying why not. ``ignore_id``: the appointment being
    moved (it does not clash with itself). ``dependant_id``: the family member the visit
    is for (their visits clash, not the holder's); None for the holder."""
    settings = get_settings()
    if start_at <= now:
        raise SlotUnavailable("That time has already passed. Please choose a later slot.")
    day = to_local(start_at).date()
    horizon = settings.booking_horizon_days
    if (day - clinic_today(now)).days >= horizon:
        raise SlotUnavailable(f"Appointments can be booked up to {horizon} days ahead.")
    candidates = day_candidates(doctor.doctor_id, day, blocks, settings.clinic_zone)
    candidate = next((c for c in candidates if c.start_at == start_at), None)
    if candidate is None:
        raise SlotUnavailable("The doctor has no appointment slot at that time.")
    person = (patient_id, dependant_id)
    found = _around(session, doctor.doctor_id, candidates, candidate, person, now, ignore_id)
    state = state_of(
        candidate, off=found[OFF], taken=found[TAKEN], now=now, notice=settings.min_notice_minutes
    )
    if state == "blocked":
        raise SlotUnavailable("The doctor is not available at that time.")
    if state == "taken":
        raise SlotUnavailable(SLOT_JUST_TAKEN)
    if state == "past":
        notice = _minutes_text(settings.min_notice_minutes)
        raise SlotUnavailable(f"Appointments must be booked at least {notice} in advance.")
    if found[CLASH] and dependant_id is not None:
        raise Conflict("This family member already has an appointment at that time.")
    if found[CLASH]:
        raise Conflict("You already have an appointment at that time.")
    slot = Slot(candidate.start_at, candidate.end_at, day, candidate.label, state)
    return Claim(slot, lapsed_hold=bool(found[LAPSED]))


def _around(
    session: Session,
    doctor_id: int,
    candidates: Sequence[Candidate],
    candidate: Candidate,
    person: tuple[int, int | None],
    now: datetime,
    ignore_id: str | None,
) -> list[list[tuple[datetime, datetime]]]:
    """The ``_AROUND`` rows (``person``: the patient and the family member, if any), (start,
    end) listed by kind."""
    patient_id, dependant_id = person
    day_start = min(c.start_at for c in candidates)
    day_end = max(c.end_at for c in candidates)
    params = {
        **blocking_params(day_start, day_end, now),
        "doctor_id": doctor_id,
        "patient_id": patient_id,
        "dependant_id": dependant_id,
        "slot_start": candidate.start_at,
        "slot_end": candidate.end_at,
        "clash_from": candidate.start_at - MAX_SLOT,
        "ignore_id": ignore_id or "",  # no appointment has an empty id
    }
    found: list[list[tuple[datetime, datetime]]] = [[], [], [], []]
    statement = _AROUND if dependant_id is None else _AROUND_DEPENDANT
    for kind, _, s, e in session.exec(statement, params=params):
        found[kind].append((s, e))
    return found


__all__ = [
    "SLOT_JUST_TAKEN",
    "BookingDoctor",
    "Claim",
    "Parties",
    "claimable_slot",
    "read_parties",
]
