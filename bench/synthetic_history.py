"""A large, realistic appointment history, fast: for the dashboard bench.

The app's seeder books through the domain rules (about 12 minutes per million rows); this
writes plain rows straight into ``appointments`` (SQLite: ``executemany`` of tuples on the
raw connection; PostgreSQL: ``COPY``), with the secondary indexes dropped during a large
load and rebuilt after, then recounts the counters (``tallies.rebuild``) and refreshes the
planner's statistics (``ANALYZE``; ``VACUUM ANALYZE`` on PostgreSQL).

What the rows look like:

- the reference data of ``seed_reference_data`` (cities, hospitals, 127 doctors), plus
  copies of its doctors up to ``DOCTORS`` (spread over the same hospitals), and
  ``PATIENTS`` patients;
- starts on 15-minute slots from 08:00 to 20:00 clinic time, over ``PAST_DAYS`` days
  before today and ``FUTURE_DAYS`` after; row ``i`` takes slot ``i * STRIDE mod slots``
  (``STRIDE`` is prime to the number of slots), so every row has its own (doctor, start)
  and the unique slot index is never hit, however the history grows;
- statuses by when the visit is: long past visits completed, cancelled, missed or
  expired; the last two days' partly still confirmed; future ones confirmed, cancelled,
  expired, and a few still awaiting payment (live holds, plus a handful lapsed that the
  sweep has not reached); payment status and method to match (UPI, card, net banking,
  wallet, Pay at Clinic; refunds on cancelled paid visits; failed attempts on expired
  holds). No payment rows: the dashboard does not read them.

Row ``i``'s slot depends on ``i`` alone, so a history can grow: ``add_appointments``
appends rows ``[have, have + count)``.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from functools import cached_property

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.models import Doctor, Role, User
from healthcareplus.domain.scheduling import tallies
from healthcareplus.seed.demo import seed_reference_data

DOCTORS = 500
PATIENTS = 5_000
PAST_DAYS = 1_065  # about three years of history...
FUTURE_DAYS = 30  # ...and a month of bookings ahead
SLOT_MINUTES = 15
FIRST_SLOT = clock_time(8, 0)
SLOTS_PER_DAY = 48  # 08:00 to 20:00
BATCH = 50_000
BIG_LOAD = 200_000  # from this many new rows the secondary indexes are rebuilt after

COLUMNS = (
    "id",
    "patient_id",
    "doctor_id",
    "hospital_id",
    "start_at",
    "end_at",
    "reason",
    "status",
    "payment_status",
    "payment_method",
    "fee_paise",
    "booked_at",
    "hold_expires_at",
    "paid_at",
    "cancelled_at",
    "cancel_reason",
    "no_show_at",
    "completed_at",
    "refunded_at",
)
ONLINE = ("upi", "upi", "upi", "card", "card", "netbanking", "wallet")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
REASONS = ("Fever", "Follow-up", "Back pain", "Check-up", "Cough", "Skin rash", "Headache")


@dataclass
class History:
    """What the rows are made from (the doctors and patients, the clock)."""

    doctors: list[tuple[int, int, int]]  # (id, hospital id, fee)
    patients: list[int]
    now: datetime
    day_starts: list[int]  # each day's first slot, in minutes since the epoch (UTC)
    instants: dict[int, str] = field(default_factory=dict)  # minute -> stored text
    pg: bool = False  # PostgreSQL's text for an instant carries its zone

    @cached_property
    def slots(self) -> int:
        return len(self.doctors) * len(self.day_starts) * SLOTS_PER_DAY

    @cached_property
    def stride(self) -> int:
        """A step prime to ``slots`` near 0.38 of it: neighbouring rows land far apart."""
        step = int(self.slots * 0.381966) | 1
        while math.gcd(step, self.slots) != 1:
            step += 2
        return step

    def at(self, minute: int | None) -> str | None:
        """The text an instant is stored as (SQLite: naive UTC, as SQLAlchemy writes it)."""
        if minute is None:
            return None
        found = self.instants.get(minute)
        if found is None:
            instant = _EPOCH + timedelta(minutes=minute)
            found = instant.strftime("%Y-%m-%d %H:%M:%S.%f") + ("+00" if self.pg else "")
            self.instants[minute] = found
        return found


def prepare(engine: Engine, *, now: datetime, doctors: int = DOCTORS) -> History:
    """The reference data, ``doctors`` doctors and the patients (made once; read after)."""
    with Session(engine) as db:
        seed_reference_data(db, now=now)
        have = list(db.exec(select(Doctor).order_by(col(Doctor.id))).all())
        for n in range(len(have), doctors):
            model = have[n % len(have)]
            copy = model.model_dump(exclude={"id", "user_id"})
            copy.update(name=f"{model.name} ({n})", email=f"bench.doctor{n}@example.com")
            db.add(Doctor(**copy))
        patients = db.exec(
            select(func.count()).select_from(User).where(col(User.role) == Role.PATIENT)
        ).one()
        if patients < PATIENTS:
            db.execute(
                insert(User),
                [
                    {
                        "role": Role.PATIENT.value,
                        "name": f"Bench Patient {n}",
                        "email": f"bench.patient{n}@example.com",
                        "password_hash": "!",  # cannot log in
                        "created_at": now,
                    }
                    for n in range(patients, PATIENTS)
                ],
            )
        db.commit()
        rows = db.exec(
            select(Doctor.id, Doctor.hospital_id, Doctor.fee_paise).order_by(col(Doctor.id))
        ).all()
        patient_ids = db.exec(
            select(User.id).where(col(User.role) == Role.PATIENT).order_by(col(User.id))
        ).all()
    zone = get_settings().clinic_zone
    today = now.astimezone(zone).date()
    first = today - timedelta(days=PAST_DAYS)
    days = [first + timedelta(days=i) for i in range(PAST_DAYS + FUTURE_DAYS + 1)]
    return History(
        doctors=[(int(d), int(h), int(f)) for d, h, f in rows if d is not None],
        patients=[int(p) for p in patient_ids if p is not None],
        now=now,
        day_starts=[_minute(datetime.combine(d, FIRST_SLOT, tzinfo=zone)) for d in days],
        pg=engine.dialect.name == "postgresql",
    )


def _minute(instant: datetime) -> int:
    return int((instant - _EPOCH).total_seconds()) // 60


def _row(h: History, i: int, now: int, rnd: Callable[[], float]) -> tuple[object, ...]:
    """Appointment ``i`` (a tuple of ``COLUMNS``): its slot from ``i``, the rest drawn
    with ``rnd``; instants as minutes until the end (``History.at``)."""
    slot = (i * h.stride) % h.slots
    doctor_id, hospital_id, fee = h.doctors[slot % len(h.doctors)]
    rest = slot // len(h.doctors)
    start = h.day_starts[rest % len(h.day_starts)] + (rest // len(h.day_starts)) * SLOT_MINUTES
    end = start + SLOT_MINUTES
    booked = start - 1440 - int(rnd() * 19 * 1440) // 10 * 10
    if booked > now:  # booked up to a week ago
        booked = now - int(rnd() * 7 * 1440)
    roll = rnd()
    if end <= now - 2 * 1440:  # long past: closed one way or another
        status = _pick(roll, (0.74, "completed"), (0.12, "cancelled"), (0.07, "no_show"))
    elif end <= now:  # the last two days: not all marked yet
        status = _pick(roll, (0.55, "confirmed"), (0.25, "completed"), (0.12, "cancelled"))
    else:
        status = _pick(roll, (0.8, "confirmed"), (0.12, "cancelled"), (0.001, "pending_payment"))
    method: str | None = ONLINE[int(rnd() * len(ONLINE))] if rnd() < 0.8 else "pay_at_clinic"
    paid = "Success"
    hold = cancelled = refunded = completed = no_show = None
    reason = None
    if status in ("completed", "confirmed", "no_show"):
        if method == "pay_at_clinic":
            paid = "Success" if status == "completed" and rnd() < 0.9 else "Pending"
        if status == "completed":
            completed = end
        elif status == "no_show":
            no_show = end
    elif status == "cancelled":
        cancelled, reason = min(booked + 60 * (1 + int(rnd() * 47)), now), "Patient travelling"
        if method == "pay_at_clinic" or rnd() < 0.15:  # never paid
            method = method if method == "pay_at_clinic" else None
            paid = "Pending"
        elif rnd() < 0.85:
            paid, refunded = "Refunded", cancelled
    else:  # expired, or a hold still open (a few of them lapsed, not swept yet)
        failed = rnd() < 0.3
        method, paid = (ONLINE[int(rnd() * len(ONLINE))], "Failed") if failed else (None, "Pending")
        if status == "pending_payment":
            booked = now - int(rnd() * 10)
            hold = now - 1 if rnd() < 0.05 else now + 1 + int(rnd() * 10)
        else:
            status, hold = "expired", booked + 10
    paid_at = booked if paid in ("Success", "Refunded") else None
    at = h.at
    return (
        # In row order (appends to the key's index); unique across every history size.
        f"b0000000-0000-4000-8000-{i:012x}",
        h.patients[int(rnd() * len(h.patients))],
        doctor_id,
        hospital_id,
        at(start),
        at(end),
        REASONS[i % len(REASONS)],
        status,
        paid,
        method,
        fee,
        at(booked),
        at(hold),
        at(paid_at),
        at(cancelled),
        reason,
        at(no_show),
        at(completed),
        at(refunded),
    )


def _pick(roll: float, *shares: tuple[float, str]) -> str:
    for share, name in shares:
        if roll < share:
            return name
        roll -= share
    return ""


def rows(h: History, first: int, count: int) -> Iterator[tuple[object, ...]]:
    """Rows ``first .. first + count - 1`` as tuples of ``COLUMNS`` (instants as text)."""
    if first + count > h.slots:
        raise ValueError(f"at most {h.slots:,} appointments fit in {len(h.doctors)} doctors' slots")
    rnd, now = random.Random(first).random, _minute(h.now)
    for i in range(first, first + count):
        yield _row(h, i, now, rnd)


def add_appointments(engine: Engine, h: History, *, first: int, count: int) -> dict[str, float]:
    """Append rows ``[first, first + count)``; recount the counters and ANALYZE. Returns
    the seconds each step took."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    if count > 0:
        big = count >= BIG_LOAD
        if engine.dialect.name == "postgresql":
            _copy_postgresql(engine, h, first, count, rebuild_indexes=big)
        else:
            _insert_sqlite(engine, h, first, count, rebuild_indexes=big)
    steps["rows"], started = time.perf_counter() - started, time.perf_counter()
    with Session(engine) as db:
        tallies.rebuild(db)
    steps["counters"], started = time.perf_counter() - started, time.perf_counter()
    analyze(engine)
    steps["analyze"] = time.perf_counter() - started
    return steps


def _insert_sqlite(
    engine: Engine, h: History, first: int, count: int, *, rebuild_indexes: bool
) -> None:
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-1000000")  # 1 GB while loading
        dropped = _drop_indexes_sqlite(conn) if rebuild_indexes else []
        marks = ", ".join("?" for _ in COLUMNS)
        sql = f"INSERT INTO appointments ({', '.join(COLUMNS)}) VALUES ({marks})"
        done = 0
        while done < count:
            n = min(BATCH, count - done)
            conn.executemany(sql, rows(h, first + done, n))
            conn.commit()
            done += n
        for ddl in dropped:
            conn.execute(ddl)
        conn.commit()
        conn.execute("PRAGMA synchronous=NORMAL")
    finally:
        raw.close()


def _drop_indexes_sqlite(conn: object) -> list[str]:
    found = conn.execute(  # type: ignore[attr-defined]
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'appointments' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')  # type: ignore[attr-defined]
    return [ddl for _, ddl in found]


def _copy_postgresql(
    engine: Engine, h: History, first: int, count: int, *, rebuild_indexes: bool
) -> None:
    with engine.begin() as conn:
        dropped: list[str] = []
        if rebuild_indexes:  # those no constraint owns (the key and unique ids stay)
            found = conn.execute(
                text(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = 'appointments'::regclass AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
                )
            ).all()
            for name, ddl in found:
                conn.execute(text(f'DROP INDEX "{name}"'))
                dropped.append(str(ddl))
        conn.execute(text("SET LOCAL session_replication_role = replica"))  # no FK triggers
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY appointments ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(h, first, count):
                copy.write_row(row)
        conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
        for ddl in dropped:
            conn.execute(text(ddl))


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics (and, on PostgreSQL, the visibility map)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


__all__ = [
    "COLUMNS",
    "analyze",
    "DOCTORS",
    "PATIENTS",
    "History",
    "add_appointments",
    "prepare",
    "rows",
]
