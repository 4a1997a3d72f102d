"""Bulk demo appointments (and their payments) for the seeded doctors.

Built for volume: rows are plain dicts written with Core ``executemany`` in batches, one
commit per batch. Every appointment sits on a real slot of its doctor's weekly schedule;
slot-taking ones (pending/confirmed/completed/no-show) get distinct free slots, so the
``uq_appointments_taken_slot`` index is never hit, also across repeated calls. Once every
free slot in the window is used, further rows become cancelled/expired bookings of
already-taken slots, which the index allows.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import table_of
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.models import (
    SLOT_TAKING_STATUSES,
    Appointment,
    Doctor,
    DoctorSchedule,
    Payment,
    Role,
    TimeOff,
    User,
)
from healthcareplus.domain.scheduling import tallies
from healthcareplus.seed import data
from healthcareplus.seed.plan import SEED
from healthcareplus.seed.rows import AppointmentFactory, DoctorInfo

PAST_DAYS = 365
FUTURE_DAYS = 30
PATIENT_PASSWORD = "Patient@123"  # development only: shared by every generated patient
MAX_PATIENTS = 50_000
TAKING_SHARE = 0.85  # share of rows that occupy a slot (the rest: cancelled or expired)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A slot is one int: (utc_minute << 28) | (doctor_index << 8) | slot_minutes.
# ``key >> 8`` (minute + doctor) is what the unique index compares.
_DOCTOR_BITS = 20


def _minute(instant: datetime) -> int:
    return int((instant - _EPOCH).total_seconds()) // 60


@lru_cache(maxsize=1)
def _shared_password_hash() -> str:
    from healthcareplus.domain.accounts.passwords import hash_password

    return hash_password(PATIENT_PASSWORD)


def _load_doctors(session: Session) -> tuple[list[DoctorInfo], dict[int, list[DoctorSchedule]]]:
    doctors = session.exec(
        select(Doctor).where(col(Doctor.is_active).is_(True)).order_by(col(Doctor.id))
    ).all()
    schedules: dict[int, list[DoctorSchedule]] = defaultdict(list)
    for row in session.exec(select(DoctorSchedule)).all():
        schedules[row.doctor_id].append(row)
    infos = [
        DoctorInfo(
            id=d.id,
            hospital_id=d.hospital_id,
            fee_paise=d.fee_paise,
            reasons=data.REASONS.get(d.specialization, data.REASONS["General Physician"]),
        )
        for d in doctors
        if d.id is not None and schedules.get(d.id)
    ]
    return infos, schedules


def _time_off(session: Session, lo: datetime, hi: datetime) -> dict[int, list[tuple[int, int]]]:
    rows = session.exec(
        select(TimeOff).where(col(TimeOff.end_at) > lo, col(TimeOff.start_at) < hi)
    ).all()
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        spans[row.doctor_id].append((_minute(row.start_at), _minute(row.end_at)))
    return spans


def _overlaps(minute: int, length: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < minute + length and minute < b for a, b in spans)


def _enumerate_slots(
    doctors: list[DoctorInfo],
    schedules: dict[int, list[DoctorSchedule]],
    off: dict[int, list[tuple[int, int]]],
    lo: datetime,
    hi: datetime,
    zone: ZoneInfo,
) -> list[int]:
    """Every slot of every doctor with lo <= start < hi, as packed ints."""
    first, last = lo.astimezone(zone).date(), hi.astimezone(zone).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    block_start: dict[tuple[date, time], int] = {}  # (local day, local time) -> utc minute
    lo_min, hi_min = _minute(lo), _minute(hi)
    slots: list[int] = []
    for index, doctor in enumerate(doctors):
        by_day: dict[int, list[tuple[time, list[int], int]]] = defaultdict(list)
        for s in schedules[doctor.id]:
            span = (s.end_time.hour * 60 + s.end_time.minute) - (
                s.start_time.hour * 60 + s.start_time.minute
            )
            offsets = list(range(0, span - s.slot_minutes + 1, s.slot_minutes))
            by_day[s.weekday].append((s.start_time, offsets, s.slot_minutes))
        tag = index << 8
        mine: list[int] = []
        for day in days:
            for start, offsets, length in by_day.get(day.weekday(), ()):
                base = block_start.get((day, start))
                if base is None:
                    base = _minute(datetime.combine(day, start, tzinfo=zone))
                    block_start[(day, start)] = base
                mine.extend(
                    ((base + o) << 28) | tag | length
                    for o in offsets
                    if lo_min <= base + o < hi_min
                )
        spans = off.get(doctor.id)
        if spans:
            mine = [s for s in mine if not _overlaps(s >> 28, s & 0xFF, spans)]
        slots.extend(mine)
    return slots


def _taken(session: Session, doctors: list[DoctorInfo], lo: datetime, hi: datetime) -> set[int]:
    index = {d.id: i for i, d in enumerate(doctors)}
    rows = session.execute(
        select(Appointment.doctor_id, Appointment.start_at).where(
            col(Appointment.status).in_([str(s) for s in SLOT_TAKING_STATUSES]),
            col(Appointment.start_at) >= lo,
            col(Appointment.start_at) < hi,
        )
    )
    return {
        (_minute(start) << _DOCTOR_BITS) | index[doctor_id]
        for doctor_id, start in rows
        if doctor_id in index
    }


def _patient_rows(count: int, now: datetime) -> Iterator[dict[str, Any]]:
    """The generated patients 1..count, always the same ones."""
    rng = random.Random(SEED + 1)
    regions = list(data.SURNAMES)
    for n in range(1, count + 1):
        region = rng.choice(regions)
        female = rng.random() < 0.5
        pool = data.FEMALE_FIRST_NAMES if female else data.MALE_FIRST_NAMES
        born = date(1945, 1, 1) + timedelta(days=rng.randrange(75 * 365))
        yield {
            "role": str(Role.PATIENT),
            "name": f"{rng.choice(pool[region])} {rng.choice(data.SURNAMES[region])}",
            "email": f"patient{n}@example.in",
            "phone": f"+91 {rng.choice('6789')}{rng.randrange(10_000):04d} "
            f"{rng.randrange(100_000):05d}",
            "password_hash": "",
            "is_active": True,
            "is_blocked": False,
            "blocked_reason": None,
            "date_of_birth": born,
            "gender": "Female" if female else "Male",
            "blood_group": rng.choice(data.BLOOD_GROUPS),
            "allergies": "" if rng.random() < 0.85 else rng.choice(("Dust", "Sulfa drugs")),
            "medical_history": "",
            "created_at": now - timedelta(days=PAST_DAYS + 35 + rng.randrange(700)),
            "updated_at": None,
        }


def _ensure_patients(session: Session, count: int, now: datetime, batch_size: int) -> list[int]:
    """Ids of generated patients 1..count, creating the missing ones."""
    pattern = col(User.email).like("patient%@example.in")
    existing = set(session.exec(select(User.email).where(pattern)).all())
    missing = [row for row in _patient_rows(count, now) if row["email"] not in existing]
    if missing:
        password_hash = _shared_password_hash()
        for row in missing:
            row["password_hash"] = password_hash
        for i in range(0, len(missing), batch_size):
            session.execute(insert(table_of(User)), missing[i : i + batch_size])
        session.commit()
    wanted = {f"patient{n}@example.in": n for n in range(1, count + 1)}
    ids = session.execute(select(User.email, User.id).where(pattern)).all()
    return [
        user_id
        for email, user_id in sorted(ids, key=lambda r: wanted.get(r[0], 0))
        if email in wanted
    ]


def _generate(session: Session, count: int, now: datetime, batch_size: int) -> int:
    settings = get_settings()
    zone = settings.clinic_zone
    doctors, schedules = _load_doctors(session)
    if not doctors:
        raise ValueError("No active doctors with schedules: seed the reference data first")
    lo, hi = now - timedelta(days=PAST_DAYS), now + timedelta(days=FUTURE_DAYS)
    all_slots = _enumerate_slots(doctors, schedules, _time_off(session, lo, hi), lo, hi, zone)
    if not all_slots:
        raise ValueError("The doctors' schedules have no slots in the window")
    taken = _taken(session, doctors, lo, hi)
    already = session.execute(select(func.count()).select_from(Appointment)).scalar_one()
    paid_before = session.execute(
        select(func.count()).where(col(Payment.transaction_id).is_not(None))
    ).scalar_one()
    patients = _ensure_patients(session, min(count // 20 + 50, MAX_PATIENTS), now, batch_size)

    rng = random.Random(f"{SEED}:{already}")
    free = [s for s in all_slots if (s >> 8) not in taken]
    factory = AppointmentFactory(
        rng=rng,
        now=now,
        zone=zone,
        hold=timedelta(minutes=settings.hold_minutes),
        doctors=doctors,
        patients=patients,
        first_counter=paid_before,
    )
    appointments_table, payments_table = table_of(Appointment), table_of(Payment)
    done = 0
    while done < count:
        appointments: list[dict[str, Any]] = []
        payments: list[dict[str, Any]] = []
        for _ in range(min(batch_size, count - done)):
            if free and rng.random() < TAKING_SHARE:
                # Draw without replacement: swap a random free slot to the end, pop it.
                j = rng.randrange(len(free))
                free[j], free[-1] = free[-1], free[j]
                slot, taking = free.pop(), True
            else:
                slot, taking = all_slots[rng.randrange(len(all_slots))], False
            factory.build(
                minute=slot >> 28,
                doctor=doctors[(slot >> 8) & ((1 << _DOCTOR_BITS) - 1)],
                length=slot & 0xFF,
                taking=taking,
                appointments=appointments,
                payments=payments,
            )
        session.execute(insert(appointments_table), appointments)
        for row in appointments:
            tallies.count_new(session, row)
        if payments:
            session.execute(insert(payments_table), payments)
        session.commit()
        done += len(appointments)
    return done


def seed_appointments(
    session_or_engine: Session | Engine,
    *,
    count: int,
    now: datetime | None = None,
    batch_size: int = 20_000,
) -> int:
    """Add ``count`` generated appointments from 365 days ago to 30 days ahead."""
    if count <= 0:
        return 0
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if isinstance(session_or_engine, Engine):
        with Session(session_or_engine) as session:
            return _analyzed(session, _generate(session, count, now, batch_size))
    return _analyzed(session_or_engine, _generate(session_or_engine, count, now, batch_size))


def _analyzed(session: Session, created: int) -> int:
    """Refresh the planner's statistics after a bulk load (stale ones make PostgreSQL
    pick slow plans for the dashboard and exports until autovacuum catches up)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("ANALYZE appointments"))
        session.execute(text("ANALYZE payments"))
    else:
        session.execute(text("ANALYZE"))
    session.commit()
    return created
