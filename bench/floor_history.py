"""A fast synthetic appointment history for the booking benchmarks (SQLite and PostgreSQL).

``prepare`` writes the reference data into a fresh, migrated database: one city, a few
hospitals, ``DOCTORS`` doctors working Monday to Saturday 09:00-13:00 and 14:00-18:00 in
15-minute slots, ``PATIENTS`` patients, a ``floor`` doctor for raw inserts, and the
*calendar doctor*'s next 30 days (every third slot confirmed, one day off) — the same
whatever the size, so its calendar has the same work at 1k and at 10M.

``grow`` adds past appointments until the table holds ``target`` rows, in one
``INSERT ... SELECT`` per million rows from a recursive CTE (SQLite) or
``generate_series`` (PostgreSQL), with the table's secondary indexes dropped during the
load and rebuilt after it, then refreshes the planner's statistics (``ANALYZE``;
``VACUUM ANALYZE`` on PostgreSQL, whose autovacuum may be off). Doctor ``k % DOCTORS``
gets row ``k``, filling its working days backwards from yesterday, so (doctor, start) is
unique for every slot-taking status; patient ``k % PATIENTS`` owns it, so every patient's
history grows too. Time off grows with the history (a day every 30 per doctor).

Not part of the app or the tests.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine

from healthcareplus.core.config import get_settings
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.models import Appointment, DoctorSchedule
from healthcareplus.domain.scheduling.slots import day_candidates

DOCTORS = 200
PATIENTS = 20_000
HOSPITALS = 10
SLOTS_PER_DAY = 32  # 09:00-13:00 and 14:00-18:00 in 15 minutes
CHUNK = 1_000_000
PASSWORD = "$2b$12$" + "x" * 53  # never used to sign in
_SCHEDULE = [(d, "09:00", "13:00") for d in range(6)] + [(d, "14:00", "18:00") for d in range(6)]


@dataclass(frozen=True)
class World:
    """Ids of the reference rows (each kind contiguous)."""

    first_doctor: int  # doctors first_doctor .. first_doctor + DOCTORS - 1
    first_hospital: int
    first_patient: int
    floor_doctor: int  # raw inserts go here, far in the past
    calendar_doctor: int  # its next 30 days are fixed
    base: datetime  # today's clinic midnight (UTC): history runs back from it

    def doctor(self, index: int) -> int:
        return self.first_doctor + index % DOCTORS

    def patient(self, index: int) -> int:
        return self.first_patient + index % PATIENTS


def _now() -> datetime:
    return datetime.now(UTC)


def _clinic_midnight(day: date) -> datetime:
    zone = get_settings().clinic_zone
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _contiguous(conn: Connection, table: str, where: str = "") -> int:
    low, high, n = conn.execute(
        text(f"SELECT min(id), max(id), count(*) FROM {table} {where}")  # noqa: S608 - ours
    ).one()
    assert high - low + 1 == n, f"{table} ids are not contiguous"
    return int(low)


def prepare(engine: Engine) -> World:
    """Reference data and the calendar doctor's fixed month (a fresh database)."""
    now = _now()
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO cities (name, state) VALUES ('Floor City', 'Karnataka')"))
        city = conn.execute(text("SELECT id FROM cities WHERE name = 'Floor City'")).scalar_one()
        for h in range(HOSPITALS):
            conn.execute(
                text(
                    "INSERT INTO hospitals (city_id, name, address, phone, specialties)"
                    " VALUES (:c, :n, '1 MG Road', '080-1234567', '[\"General Physician\"]')"
                ),
                {"c": city, "n": f"Floor Hospital {h}"},
            )
        first_hospital = _contiguous(conn, "hospitals")
        doctors = [
            {
                "name": f"Dr. Floor {d}",
                "hospital": first_hospital + d % HOSPITALS,
                "email": f"floor{d}@doctors.example",
            }
            for d in range(DOCTORS + 1)  # the last one is the floor doctor
        ]
        conn.execute(
            text(
                "INSERT INTO doctors (name, specialization, department, qualification,"
                " experience_years, fee_paise, gender, languages, hospital_id, email, phone,"
                " about, is_active) VALUES (:name, 'General Physician', 'General Medicine',"
                " 'MBBS', 10, 50000, 'Female', '[\"English\"]', :hospital, :email, '', '',"
                f" {'true' if pg else '1'})"
            ),
            doctors,
        )
        first_doctor = _contiguous(conn, "doctors")
        conn.execute(
            text(
                "INSERT INTO doctor_schedules (doctor_id, weekday, start_time, end_time,"
                " slot_minutes) VALUES (:d, :w, :s, :e, 15)"
            ),
            [
                {"d": first_doctor + d, "w": w, "s": f"{s}:00", "e": f"{e}:00"}
                for d in range(DOCTORS)
                for w, s, e in _SCHEDULE
            ],
        )
        _insert_patients(conn, pg, now)
        first_patient = _contiguous(conn, "users", "WHERE role = 'patient'")
    world = World(
        first_doctor=first_doctor,
        first_hospital=first_hospital,
        first_patient=first_patient,
        floor_doctor=first_doctor + DOCTORS,
        calendar_doctor=first_doctor,
        base=_clinic_midnight(clinic_today(now)),
    )
    _calendar_month(engine, world, now)
    return world


def _insert_patients(conn: Connection, pg: bool, now: datetime) -> None:
    values = (
        "SELECT 'patient', 'Floor Patient ' || k, 'p' || k || '@floor.example', '', :pw,"
        " true, false, '', '', :now FROM generate_series(0, :n - 1) AS k"
        if pg
        else "WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k + 1 < :n)"
        " SELECT 'patient', 'Floor Patient ' || k, 'p' || k || '@floor.example', '', :pw,"
        " 1, 0, '', '', :now FROM seq"
    )
    conn.execute(
        text(
            "INSERT INTO users (role, name, email, phone, password_hash, is_active, is_blocked,"
            " allergies, medical_history, created_at) " + values
        ),
        {"n": PATIENTS, "pw": PASSWORD, "now": now if pg else _naive(now)},
    )


def _naive(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _calendar_month(engine: Engine, world: World, now: datetime) -> None:
    """The calendar doctor's next 30 days: every third slot confirmed, day 10 off."""
    pg = engine.dialect.name == "postgresql"
    zone = get_settings().clinic_zone
    blocks = [
        DoctorSchedule(
            doctor_id=world.calendar_doctor,
            weekday=w,
            start_time=datetime.strptime(s, "%H:%M").time(),
            end_time=datetime.strptime(e, "%H:%M").time(),
            slot_minutes=15,
        )
        for w, s, e in _SCHEDULE
    ]
    today = clinic_today(now)
    slots = [
        c
        for i in range(30)
        for c in day_candidates(world.calendar_doctor, today + timedelta(days=i), blocks, zone)
    ]
    hospital = world.first_hospital
    rows = [
        {
            "id": f"ca1e0000-0000-4000-8000-{n:012d}",
            "patient": world.patient(n),
            "doctor": world.calendar_doctor,
            "hospital": hospital,
            "start": slot.start_at if pg else _naive(slot.start_at),
            "end": slot.end_at if pg else _naive(slot.end_at),
            "booked": now if pg else _naive(now),
        }
        for n, slot in enumerate(slots[::3])
    ]
    off = _clinic_midnight(today + timedelta(days=10))
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO appointments (id, patient_id, doctor_id, hospital_id, start_at,"
                " end_at, reason, status, payment_status, payment_method, fee_paise,"
                " booked_at) VALUES (:id, :patient, :doctor, :hospital, :start, :end,"
                " 'Synthetic month', 'confirmed', 'Success', 'upi', 50000, :booked)"
            ),
            rows,
        )
        conn.execute(
            text(
                "INSERT INTO time_off (doctor_id, start_at, end_at, reason, created_at)"
                " VALUES (:d, :s, :e, 'Planned leave', :now)"
            ),
            {
                "d": world.calendar_doctor,
                "s": off if pg else _naive(off),
                "e": (off + timedelta(days=1)) if pg else _naive(off + timedelta(days=1)),
                "now": now if pg else _naive(now),
            },
        )


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Appointment)).scalar_one())


def _history_sql(pg: bool) -> str:
    """One chunk of history rows k in [:k0, :k1): see the module docstring."""
    j = "(k / :nd)"  # the doctor's own row number, newest first
    day_back = f"(1 + {j} / {SLOTS_PER_DAY})"
    slot = f"({j} % {SLOTS_PER_DAY})"
    minute = f"(CASE WHEN {slot} < 16 THEN 540 + 15 * {slot} ELSE 840 + 15 * ({slot} - 16) END)"
    offset = f"({minute} - 1440 * {day_back})"  # minutes from today's clinic midnight
    mix = "((k / 7) % 20)"
    status = (
        f"CASE WHEN {mix} < 16 THEN 'completed' WHEN {mix} = 16 THEN 'no_show'"
        f" WHEN {mix} = 18 THEN 'expired' ELSE 'cancelled' END"
    )
    paid = f"CASE WHEN {mix} < 17 THEN 'Success' WHEN {mix} = 17 THEN 'Refunded' ELSE 'Pending' END"
    method = f"CASE WHEN {mix} < 18 THEN (CASE k % 3 WHEN 0 THEN 'upi' WHEN 1 THEN 'card' ELSE 'netbanking' END) END"  # noqa: E501
    if pg:
        ident = "'00000000-0000-4000-8000-' || lpad(k::text, 12, '0')"
        start = f"(:base + make_interval(mins => {offset}::int))"
        end = f"(:base + make_interval(mins => {offset}::int + 15))"
        booked = f"(:base + make_interval(mins => {offset}::int - 4320))"
        source = "FROM generate_series(:k0, :k1 - 1) AS k"
        prefix = ""
    else:

        def at(minutes: str) -> str:
            return f"(datetime(:base, printf('%+d minutes', {minutes})) || '.000000')"

        ident = "printf('00000000-0000-4000-8000-%012d', k)"
        start, end, booked = at(offset), at(f"{offset} + 15"), at(f"{offset} - 4320")
        source = "FROM seq"
        prefix = (
            "WITH RECURSIVE seq(k) AS (SELECT :k0 UNION ALL SELECT k + 1 FROM seq"
            " WHERE k + 1 < :k1) "
        )
    return (
        prefix + "INSERT INTO appointments (id, patient_id, doctor_id, hospital_id, start_at,"
        " end_at, reason, status, payment_status, payment_method, fee_paise, booked_at)"
        f" SELECT {ident}, :p0 + k % :np, :d0 + k % :nd, :h0 + (k % :nd) % :nh,"
        f" {start}, {end}, 'Synthetic history', {status}, {paid}, {method}, 50000, {booked}"
        f" {source}"
    )


def _time_off_sql(pg: bool) -> str:
    """Day-long time off rows t in [:t0, :t1): doctor t % nd, 30 * (t / nd + 1) days ago."""
    back = "(1440 * 30 * (t / :nd + 1))"
    if pg:
        start = f"(:base - make_interval(mins => {back}::int))"
        end = f"(:base - make_interval(mins => {back}::int - 1440))"
        return (
            "INSERT INTO time_off (doctor_id, start_at, end_at, reason, created_at)"
            f" SELECT :d0 + t % :nd, {start}, {end}, 'Leave', :base"
            " FROM generate_series(:t0, :t1 - 1) AS t"
        )
    start = f"(datetime(:base, printf('-%d minutes', {back})) || '.000000')"
    end = f"(datetime(:base, printf('-%d minutes', {back} - 1440)) || '.000000')"
    return (
        "WITH RECURSIVE seq(t) AS (SELECT :t0 UNION ALL SELECT t + 1 FROM seq WHERE t + 1 < :t1)"
        " INSERT INTO time_off (doctor_id, start_at, end_at, reason, created_at)"
        f" SELECT :d0 + t % :nd, {start}, {end}, 'Leave', :base FROM seq"
    )


def _secondary_indexes(conn: Connection, pg: bool) -> list[tuple[str, str]]:
    """(name, DDL) of the appointments indexes that are neither constraints nor what a
    constraint relies on (the unique index a review's foreign key references)."""
    if pg:
        rows = conn.execute(
            text(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename ="
                " 'appointments' AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                " WHERE c.conname = i.indexname"
                " OR c.conindid = quote_ident(i.indexname)::regclass)"
            )
        )
    else:
        rows = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                " AND tbl_name = 'appointments' AND sql IS NOT NULL"
            )
        )
    return [(str(name), str(ddl)) for name, ddl in rows]


def grow(engine: Engine, world: World, target: int, *, log: bool = True) -> float:
    """Add history until the appointments table holds ``target`` rows; returns seconds."""
    have = count(engine)
    if have >= target:
        return 0.0
    started = time.perf_counter()
    pg = engine.dialect.name == "postgresql"
    history_before = _history_rows(engine)
    adding = target - have
    base: Any = world.base if pg else _naive(world.base)
    common = {
        "base": base,
        "nd": DOCTORS,
        "np": PATIENTS,
        "nh": HOSPITALS,
        "d0": world.first_doctor,
        "p0": world.first_patient,
        "h0": world.first_hospital,
    }
    with engine.connect() as conn:
        if pg:
            conn.execute(text("SET maintenance_work_mem = '1GB'"))
        else:  # outside a transaction, on this connection only
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")
        indexes = _secondary_indexes(conn, pg)
        for name, _ in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
        conn.commit()
        sql = text(_history_sql(pg))
        k0 = history_before
        while k0 < history_before + adding:
            k1 = min(k0 + CHUNK, history_before + adding)
            conn.execute(sql, {**common, "k0": k0, "k1": k1})
            conn.commit()
            k0 = k1
            if log:
                print(f"    {k0 - history_before:>11,} / {adding:,} rows", flush=True)
        for _, ddl in indexes:
            conn.execute(text(ddl))
        t_have = int(
            conn.execute(text("SELECT count(*) FROM time_off WHERE reason = 'Leave'")).scalar_one()
        )
        t_want = (history_before + adding) // 1000
        if t_want > t_have:
            conn.execute(
                text(_time_off_sql(pg)),
                {"t0": t_have, "t1": t_want, "base": base, "nd": DOCTORS, "d0": world.first_doctor},
            )
        conn.commit()
        if pg:
            conn.execute(text("RESET maintenance_work_mem"))
        else:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.exec_driver_sql("PRAGMA cache_size=-2000")
        conn.commit()
    analyze(engine)
    return time.perf_counter() - started


def _history_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM appointments WHERE reason = 'Synthetic history'")
            ).scalar_one()
        )


def analyze(engine: Engine) -> None:
    """Fresh planner statistics (PostgreSQL: also the visibility map, autovacuum may be off)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


__all__ = ["DOCTORS", "PATIENTS", "World", "analyze", "count", "grow", "prepare"]
