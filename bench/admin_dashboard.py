"""How the admin dashboard scales: 10k -> 100k -> 1M appointments on SQLite.

One temporary database grows through the three sizes (``seed_appointments`` adds the
difference each time and refreshes the planner's statistics). At each size it times what
opening /admin runs (the landing overview and change marker; the statistic cards; the
five charts; the first page of the appointment table; the first pages of the per-hospital
and per-doctor tables), unfiltered and with two filters, and prints the median of a few
runs in milliseconds and how each total grew against 10k.

    .venv/bin/python -m bench.admin_dashboard            # 10k, 100k, 1M (a few minutes)
    .venv/bin/python -m bench.admin_dashboard 10000 50000

Not part of the test suite.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.migrations import upgrade
from healthcareplus.core.models import Appointment
from healthcareplus.domain.admin import dashboard as admin_dashboard
from healthcareplus.domain.admin import dashboard_breakdowns as admin_dashboard_breakdowns
from healthcareplus.domain.admin import dashboard_charts as admin_dashboard_charts
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.overview import overview
from healthcareplus.seed.demo import seed_appointments, seed_reference_data

SIZES = (10_000, 100_000, 1_000_000)
RUNS = 3
PARTS = ("cards", "charts", "table", "tables")
Step = Callable[[Session, AdminFilters, datetime], object]


def _cards(db: Session, filters: AdminFilters, now: datetime) -> object:
    overview(db, now=now)
    admin_dashboard.data_version(db)
    return admin_dashboard.dashboard_stats(db, filters=filters, now=now)


def _charts(db: Session, filters: AdminFilters, now: datetime) -> object:
    admin_dashboard.bookings_per_day(db, filters=filters, now=now)
    admin_dashboard_charts.hospital_bookings(db, filters=filters)
    admin_dashboard_charts.hospital_revenue(db, filters=filters)
    admin_dashboard_charts.top_doctors(db, filters=filters)
    return admin_dashboard_charts.payment_method_mix(db, filters=filters)


def _table(db: Session, filters: AdminFilters, now: datetime) -> object:
    return list_appointments(db, filters=filters, now=now)


def _tables(db: Session, filters: AdminFilters, now: datetime) -> object:
    admin_dashboard_breakdowns.bookings_per_hospital(db, filters=filters)
    return admin_dashboard_breakdowns.bookings_per_doctor(db, filters=filters)


STEPS: dict[str, Step] = {"cards": _cards, "charts": _charts, "table": _table, "tables": _tables}


@dataclass(frozen=True)
class Timing:
    parts: dict[str, float]  # milliseconds, median over the runs

    @property
    def total(self) -> float:
        return sum(self.parts.values())


def time_dashboard(engine: Engine, filters: AdminFilters, now: datetime) -> Timing:
    samples: dict[str, list[float]] = {part: [] for part in PARTS}
    for _ in range(RUNS):
        with Session(engine) as db:
            for part, step in STEPS.items():
                started = time.perf_counter()
                step(db, filters, now)
                samples[part].append((time.perf_counter() - started) * 1000)
    return Timing({part: statistics.median(values) for part, values in samples.items()})


def variants(engine: Engine, now: datetime) -> dict[str, AdminFilters]:
    """Unfiltered; the busiest hospital over the last 60 days; the busiest doctor's
    successful payments (chosen once, at the first size, and kept)."""
    with Session(engine) as db:
        hospital = db.exec(
            select(Appointment.hospital_id)
            .group_by(col(Appointment.hospital_id))
            .order_by(func.count().desc())
        ).first()
        doctor = db.exec(
            select(Appointment.doctor_id)
            .group_by(col(Appointment.doctor_id))
            .order_by(func.count().desc())
        ).first()
    today = clinic_today(now)
    return {
        "unfiltered": AdminFilters(),
        "hospital + 60 days": AdminFilters(
            hospital_id=hospital, date_from=today - timedelta(days=59), date_to=today
        ),
        "doctor + Success": AdminFilters(doctor_id=doctor, payment_status="Success"),
    }


def run(sizes: tuple[int, ...]) -> None:
    now = utcnow()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'dashboard.db'}"
        upgrade(url)
        engine = get_engine(url)
        with Session(engine) as db:
            seed_reference_data(db, now=now)
        chosen: dict[str, AdminFilters] = {}
        baseline: dict[str, float] = {}
        have = 0
        header = f"{'variant':<20}" + "".join(f"{p:>9}" for p in PARTS)
        for size in sizes:
            started = time.perf_counter()
            have += seed_appointments(engine, count=size - have, now=now)
            seeded = time.perf_counter() - started
            print(f"\n{have:,} appointments (seeded +{seeded:.1f} s); median of {RUNS} runs, ms")
            print(f"{header}{'total':>9}{'vs ' + f'{sizes[0] // 1000}k':>10}")
            chosen = chosen or variants(engine, now)
            for name, filters in chosen.items():
                timing = time_dashboard(engine, filters, now)
                baseline.setdefault(name, timing.total)
                ratio = timing.total / baseline[name] if baseline[name] else 0.0
                cells = "".join(f"{timing.parts[p]:>9.1f}" for p in PARTS)
                print(f"{name:<20}{cells}{timing.total:>9.1f}{ratio:>9.1f}x", flush=True)
        dispose_engines()


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or SIZES)
