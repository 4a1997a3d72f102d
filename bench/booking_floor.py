"""Booking at the floor: what ``book``, ``book`` + ``pay`` and the 30-day calendar cost
against a raw committed INSERT of one appointment row, as the history grows.

For SQLite (a temporary file, WAL, configured by ``core.db.get_engine`` as the app is) and
PostgreSQL (a fresh ``hcp_floor_<random>`` database on 127.0.0.1:5432, dropped afterwards),
the appointments table is grown to each size (``bench.floor_history``) and, interleaved
round by round, it times:

a. the floor: one Core ``INSERT`` of an appointment row and its commit;
b. ``book`` through the domain function in ``session_scope`` (as the booking page does);
c. ``book`` then ``pay`` (UPI, a gateway that approves at once), each in its own
   ``session_scope`` (two requests, as the pages do);
d. the booking page's calendar (``availability.calendar``, the booking horizon) of a
   doctor whose month is the same at every size;

and prints medians in milliseconds, the ratios b/a, c/a and d/a, the statements each runs
and calendar(largest)/calendar(smallest), also as the change of d/a. Each size is measured
in ``--passes`` passes some seconds apart; the table gives the median over the passes, the
ratios taken within each pass (a shared machine's load moves every timing of a pass
together; the floor measured alongside cancels it). "cpu b/a" and "cpu c/a" are the same
ratios of this process's CPU time: on SQLite, which runs in the process, they are what
the operations cost whatever else the machine is doing (a long operation is preempted more
often than the short floor on a busy machine, which inflates the wall-clock ratios); on
PostgreSQL they leave out the server's work and the commit's fsync.

    .venv/bin/python -m bench.booking_floor                     # 1k, 1M, 10M on both
    .venv/bin/python -m bench.booking_floor 1000 100000 --rounds 50
    .venv/bin/python -m bench.booking_floor 1000 1000000 10000000 --pg-max 1000000
    .venv/bin/python -m bench.booking_floor 1000 --only sqlite --profile

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench import floor_history
from bench.floor_history import World
from healthcareplus.core.config import get_settings
from healthcareplus.core.db import dispose_engines, get_engine, session_scope, table_of
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.migrations import upgrade
from healthcareplus.core.models import Appointment, new_uuid
from healthcareplus.domain.booking.appointments import book
from healthcareplus.domain.payments.checkout import pay
from healthcareplus.domain.payments.gateway import MockGateway
from healthcareplus.domain.scheduling import availability
from healthcareplus.domain.scheduling.slots import doctor_slots, horizon, zone_and_notice

SIZES = (1_000, 1_000_000, 10_000_000)
POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BOOKING_DOCTORS = range(1, 41)  # doctor indexes whose free slots the bookings take
UPI = {"upi_vpa": "asha@okaxis"}
OPS = ("floor", "book", "book+pay", "calendar")
FLOOR_START = datetime(2001, 1, 1, tzinfo=UTC)  # the raw inserts' slots, far in the past
TABLE = table_of(Appointment)


@dataclass
class Counter:
    """Statements run on the engine (``before_cursor_execute``)."""

    n: int = 0

    def __call__(self, *_: Any) -> None:
        self.n += 1


@dataclass
class Result:
    """One size: each pass's median milliseconds per operation (wall clock, and this
    process's CPU time), and the statements each ran."""

    size: int
    passes: list[dict[str, float]] = field(default_factory=list)
    cpu_passes: list[dict[str, float]] = field(default_factory=list)
    statements: dict[str, list[int]] = field(default_factory=dict)
    seeded: float = 0.0

    def ms(self, op: str) -> float:
        """The median over the passes."""
        return statistics.median(p[op] for p in self.passes)

    def ratio(self, op: str, *, cpu: bool = False) -> float:
        """``op`` over the floor, within each pass (same load), median over the passes."""
        passes = self.cpu_passes if cpu else self.passes
        return statistics.median(p[op] / p["floor"] for p in passes)

    def count(self, op: str) -> int:
        return int(statistics.median(self.statements[op]))


@dataclass
class Run:
    """One database under test and the bench's running counters."""

    name: str
    url: str
    engine: Engine
    world: World
    gateway: MockGateway
    counter: Counter
    booked: int = 0  # bookings made (each by its own patient)
    floors: int = 0  # raw rows inserted

    def patient(self) -> int:
        self.booked += 1
        return self.world.patient(floor_history.PATIENTS // 2 + self.booked)


def free_slots(run: Run, wanted: int) -> Iterator[tuple[int, datetime]]:
    """(doctor, start) of free slots a day or more ahead, round robin over the doctors.

    Only slots no appointment row names at all: a hold the bench made at a smaller size
    may have lapsed since, and booking over it would add its expiry to the timing."""
    zone, notice = zone_and_notice(None, None)
    now = utcnow()
    later = now + timedelta(days=1)
    doctors = [run.world.doctor(index) for index in BOOKING_DOCTORS]
    per_doctor: list[list[tuple[int, datetime]]] = []
    with Session(run.engine) as db:
        rows = db.execute(
            sa.select(TABLE.c.doctor_id, TABLE.c.start_at).where(
                TABLE.c.doctor_id.in_(doctors), TABLE.c.start_at > now
            )
        )
        named = {(doctor, start) for doctor, start in rows}
        for doctor in doctors:
            slots = doctor_slots(
                db, doctor_id=doctor, days=horizon(now, zone, None), now=now, zone=zone,
                notice=notice,
            )  # fmt: skip
            per_doctor.append(
                [
                    (doctor, s.start_at)
                    for s in slots
                    if s.is_free and s.start_at > later and (doctor, s.start_at) not in named
                ]
            )
    taken = 0
    while taken < wanted:
        progressed = False
        for queue in per_doctor:
            if queue and taken < wanted:
                yield queue.pop(0)
                taken += 1
                progressed = True
        if not progressed:
            raise RuntimeError("the booking doctors ran out of free slots")


def op_floor(run: Run, _: tuple[int, datetime]) -> None:
    start = FLOOR_START + timedelta(minutes=15 * run.floors)
    run.floors += 1
    now = utcnow()
    values = {
        "id": new_uuid(),
        "patient_id": run.world.patient(0),
        "doctor_id": run.world.floor_doctor,
        "hospital_id": run.world.first_hospital,
        "start_at": start,
        "end_at": start + timedelta(minutes=15),
        "reason": "Fever",
        "status": "pending_payment",
        "payment_status": "Pending",
        "fee_paise": 50_000,
        "booked_at": now,
        "hold_expires_at": now + timedelta(minutes=10),
    }
    with run.engine.begin() as conn:
        conn.execute(TABLE.insert(), values)


def _book(run: Run, slot: tuple[int, datetime]) -> tuple[str, int]:
    patient = run.patient()
    with session_scope(run.url) as db:
        held = book(
            db, patient_id=patient, doctor_id=slot[0], start_at=slot[1], reason="Fever",
            now=utcnow(),
        )  # fmt: skip
    return held.id, patient


def op_book(run: Run, slot: tuple[int, datetime]) -> None:
    _book(run, slot)


def op_book_pay(run: Run, slot: tuple[int, datetime]) -> None:
    appointment_id, patient = _book(run, slot)
    with session_scope(run.url) as db:
        outcome = pay(
            db, appointment_id=appointment_id, patient_id=patient, method="upi", form=UPI,
            gateway=run.gateway, now=utcnow(),
        )  # fmt: skip
    assert outcome.success, outcome


def op_calendar(run: Run, _: tuple[int, datetime]) -> None:
    with session_scope(run.url) as db:
        days = availability.calendar(db, doctor_id=run.world.calendar_doctor, now=utcnow())
    assert len(days) == get_settings().booking_horizon_days


OPERATIONS: dict[str, Callable[[Run, tuple[int, datetime]], None]] = {
    "floor": op_floor,
    "book": op_book,
    "book+pay": op_book_pay,
    "calendar": op_calendar,
}


def measure_pass(
    run: Run, rounds: int, warmup: int, statements: dict[str, list[int]]
) -> tuple[dict[str, float], dict[str, float]]:
    """``rounds`` interleaved rounds (after ``warmup``): each op's median milliseconds,
    wall clock and CPU time of this process."""
    wall: dict[str, list[float]] = {op: [] for op in OPS}
    cpu: dict[str, list[float]] = {op: [] for op in OPS}
    slots = free_slots(run, 2 * (rounds + warmup))
    for i in range(rounds + warmup):
        order = OPS[i % len(OPS) :] + OPS[: i % len(OPS)]  # rotate: no op always first
        for op in order:
            slot = next(slots) if op in ("book", "book+pay") else (0, FLOOR_START)
            run.counter.n = 0
            started, used = time.perf_counter(), time.process_time()
            OPERATIONS[op](run, slot)
            if i >= warmup:
                wall[op].append(time.perf_counter() - started)
                cpu[op].append(time.process_time() - used)
                statements[op].append(run.counter.n)
    return (
        {op: statistics.median(times) * 1000 for op, times in wall.items()},
        {op: statistics.median(times) * 1000 for op, times in cpu.items()},
    )


def measure(run: Run, size: int, args: argparse.Namespace) -> Result:
    """``args.passes`` passes, ``args.pause`` seconds apart (the machine's load changes)."""
    result = Result(size, statements={op: [] for op in OPS})
    for n in range(args.passes):
        if n:
            time.sleep(args.pause)
        warmup = args.warmup if n == 0 else 2
        wall, cpu = measure_pass(run, args.rounds, warmup, result.statements)
        result.passes.append(wall)
        result.cpu_passes.append(cpu)
        shown = "  ".join(f"{op} {wall[op]:.3f} ({cpu[op]:.3f} cpu)" for op in OPS)
        print(f"    pass {n + 1}: {shown} ms", flush=True)
    return result


def profile(run: Run, rounds: int) -> None:
    slots = free_slots(run, rounds)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        op_book_pay(run, next(slots))
    profiler.disable()
    print(f"\n  cProfile of {rounds} book + pay on {run.name}:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="hcp_floor_") as folder:
        yield f"sqlite:///{Path(folder) / 'floor.db'}"
        dispose_engines()


@contextmanager
def postgres_database() -> Iterator[str]:
    name = f"hcp_floor_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench(name: str, url: str, sizes: list[int], args: argparse.Namespace) -> list[Result]:
    upgrade(url)
    engine = get_engine(url)
    counter = Counter()
    event.listen(engine, "before_cursor_execute", counter)
    world = floor_history.prepare(engine)
    run = Run(name, url, engine, world, MockGateway(1.0), counter)
    results = []
    for size in sizes:
        print(f"\n{name}: growing to {size:,} appointments", flush=True)
        seeded = floor_history.grow(engine, world, size)
        if args.profile:
            profile(run, args.rounds)
        result = measure(run, size, args)
        result.seeded = seeded
        results.append(result)
        print_row(result, results[0])
    print_table(name, results, args)
    return results


HEADER = (
    f"{'appointments':>13} {'seed s':>7} {'floor ms':>9} {'book ms':>8} {'b/a':>6}"
    f" {'book+pay ms':>12} {'c/a':>6} {'calendar ms':>12} {'d/a':>6} {'vs first':>8}"
    f" {'cpu b/a':>8} {'cpu c/a':>8}  statements: floor/book/book+pay/calendar"
)


def print_row(r: Result, first: Result) -> None:
    counts = "/".join(str(r.count(op)) for op in OPS)
    print(
        f"{r.size:>13,} {r.seeded:>7.0f} {r.ms('floor'):>9.3f} {r.ms('book'):>8.3f}"
        f" {r.ratio('book'):>6.1f} {r.ms('book+pay'):>12.3f} {r.ratio('book+pay'):>6.1f}"
        f" {r.ms('calendar'):>12.3f} {r.ratio('calendar'):>6.1f}"
        f" {r.ms('calendar') / first.ms('calendar'):>8.2f}"
        f" {r.ratio('book', cpu=True):>8.1f} {r.ratio('book+pay', cpu=True):>8.1f}  {counts}",
        flush=True,
    )


def print_table(name: str, results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"\n== {name}: medians of {args.passes} passes of {args.rounds} interleaved rounds"
        " (ratios within each pass)"
    )
    print(HEADER)
    for r in results:
        print_row(r, results[0])
    first, last = results[0], results[-1]
    growth = last.ms("calendar") / first.ms("calendar")
    # The same against the floor measured alongside: what the machine's load did to every
    # timing cancels out.
    relative = last.ratio("calendar") / first.ratio("calendar")
    cpu = statistics.median(p["calendar"] for p in last.cpu_passes) / statistics.median(
        p["calendar"] for p in first.cpu_passes
    )
    print(
        f"calendar {last.size:,} / {first.size:,}: {growth:.2f}x ({relative:.2f}x as d/a,"
        f" {cpu:.2f}x in CPU time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--passes", type=int, default=3, help="measurements per size")
    parser.add_argument("--pause", type=float, default=10.0, help="seconds between passes")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--pg-max", type=int, default=None, help="largest size on PostgreSQL")
    parser.add_argument("--profile", action="store_true", help="cProfile book + pay per size")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    if args.only != "postgresql":
        with sqlite_database() as url:
            bench("SQLite", url, sizes, args)
    if args.only != "sqlite":
        pg_sizes = [s for s in sizes if args.pg_max is None or s <= args.pg_max]
        with postgres_database() as url:
            bench("PostgreSQL", url, pg_sizes, args)


if __name__ == "__main__":
    main()
