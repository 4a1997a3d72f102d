"""What one change costs the server while admins watch the dashboard live (SQLite).

Every open dashboard ticks each second; when the change marker moves, each page shows
the new figures: statistics, the table's page, five charts, the per-hospital and
per-doctor tables and the landing figures. This seeds a temporary database, then for
1 viewer, 50 viewers with the same filters and 50 viewers over 5 filter sets (10 each)
makes one change (an admin cancels a visit) and serves every page's refresh, as one app
process would, one after the other:

- each page computing its own figures (how it was before ``dashboard_views``);
- through ``dashboard_views``, in this process's memory;
- through ``dashboard_views``, in Redis (``HCP_BENCH_REDIS_URL``, default
  ``redis://127.0.0.1:6379/12``; only this run's keys are written and removed), when
  one answers.

It prints the server time (ms, median of a few changes) and the SQL statements of each,
and the 50-viewer / 1-viewer ratios.

    .venv/bin/python -m bench.live_dashboards            # 20,000 appointments
    .venv/bin/python -m bench.live_dashboards 100000

Not part of the test suite.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import redis
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from healthcareplus.core.config import get_settings
from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.migrations import upgrade
from healthcareplus.core.models import Appointment, AppointmentStatus, Hospital, Role, User
from healthcareplus.core.shared_cache import reset_shared_caches
from healthcareplus.domain.admin import dashboard_breakdowns as breakdowns
from healthcareplus.domain.admin import dashboard_charts as charts
from healthcareplus.domain.admin import dashboard_views as views
from healthcareplus.domain.admin.actions import cancel_appointment
from healthcareplus.domain.admin.dashboard import bookings_per_day, dashboard_stats, data_version
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.overview import overview
from healthcareplus.seed.demo import seed_appointments, seed_reference_data

SIZE = 20_000
RUNS = 3  # changes per measurement; the median is shown
VIEWERS = 50
REDIS_URL = os.environ.get("HCP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
Refresh = Callable[[Session, AdminFilters, datetime], object]


def direct(db: Session, filters: AdminFilters, now: datetime) -> object:
    """One page's refresh computing everything itself (before ``dashboard_views``)."""
    data_version(db)
    dashboard_stats(db, filters=filters, now=now)
    list_appointments(db, filters=filters, now=now)
    bookings_per_day(db, filters=filters, now=now)
    charts.hospital_bookings(db, filters=filters)
    charts.hospital_revenue(db, filters=filters)
    charts.top_doctors(db, filters=filters)
    charts.payment_method_mix(db, filters=filters)
    breakdowns.bookings_per_hospital(db, filters=filters)
    breakdowns.bookings_per_doctor(db, filters=filters)
    return overview(db, now=now)


def shared(db: Session, filters: AdminFilters, now: datetime) -> object:
    """One page's refresh as the states do it now: the marker, then ``dashboard_views``."""
    marker = views.change_marker(db)
    views.stats(db, filters=filters, marker=marker, now=now)
    views.appointments(db, filters=filters, marker=marker, now=now)
    views.chart_set(db, filters=filters, marker=marker, now=now)
    views.hospitals(db, filters=filters, marker=marker, page=1)
    views.doctors(db, filters=filters, marker=marker, page=1)
    return views.landing(db, marker=marker, now=now)


class Statements:
    def __init__(self, engine: Engine) -> None:
        self.engine, self.count = engine, 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: object) -> None:
        self.count += 1


def filter_sets(engine: Engine, now: datetime) -> list[AdminFilters]:
    """Unfiltered; the busiest hospital; its city; confirmed visits; the busiest doctor
    over the last 30 days."""
    with Session(engine) as db:
        hospital, doctor = (
            db.exec(select(c).group_by(c).order_by(func.count().desc())).first()
            for c in (col(Appointment.hospital_id), col(Appointment.doctor_id))
        )
        city = db.exec(select(Hospital.city_id).where(col(Hospital.id) == hospital)).first()
    today = clinic_today(now)
    return [
        AdminFilters(),
        AdminFilters(hospital_id=hospital),
        AdminFilters(city_id=city),
        AdminFilters(status=AppointmentStatus.CONFIRMED.value),
        AdminFilters(doctor_id=doctor, date_from=today - timedelta(days=29), date_to=today),
    ]


def change(engine: Engine, admin_id: int) -> None:
    """An admin cancels the next confirmed visit: the marker moves."""
    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        target = db.exec(
            select(Appointment.id)
            .where(col(Appointment.status) == AppointmentStatus.CONFIRMED)
            .where(col(Appointment.start_at) > now)
            .order_by(col(Appointment.start_at))
        ).first()
        assert target is not None, "no confirmed visit left to cancel"
        cancel_appointment(
            db, appointment_id=target, admin_id=admin_id, reason="Bench: one change", now=now
        )
        db.commit()


def serve(engine: Engine, refresh: Refresh, pages: list[AdminFilters], admin_id: int) -> tuple:
    """Median wall and CPU ms and statements of serving ``pages`` (one refresh each, one
    after the other) after a change."""
    counter = Statements(engine)
    wall, cpu, counts = [], [], []
    try:
        for _ in range(RUNS if len(pages) > 1 else 3 * RUNS):
            change(engine, admin_id)
            now = utcnow()
            counter.count = 0
            started, started_cpu = time.perf_counter(), time.process_time()
            for filters in pages:
                with Session(engine) as db:
                    refresh(db, filters, now)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            counts.append(counter.count)
    finally:
        event.remove(engine, "before_cursor_execute", counter._seen)
    return statistics.median(wall), statistics.median(cpu), int(statistics.median(counts))


def use_store(redis_url: str) -> None:
    os.environ["HCP_REDIS_URL"] = redis_url
    get_settings.cache_clear()
    reset_shared_caches()


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def run(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'live.db'}"
        upgrade(url)
        engine = get_engine(url)
        with Session(engine) as db:
            seed_reference_data(db)
            admin_id = db.exec(select(User.id).where(col(User.role) == Role.ADMIN)).first()
        assert admin_id is not None
        started = time.perf_counter()
        seed_appointments(engine, count=size)
        print(f"{size:,} appointments (seeded in {time.perf_counter() - started:.1f} s)")
        sets = filter_sets(engine, utcnow())
        scenarios = {
            "1 viewer": [AdminFilters()],
            f"{VIEWERS} viewers, same filters": [AdminFilters()] * VIEWERS,
            f"{VIEWERS} viewers, 5 filter sets": [sets[i % 5] for i in range(VIEWERS)],
        }
        ways: dict[str, tuple[Refresh, str]] = {"each page computes": (direct, "")}
        ways["shared, memory"] = (shared, "")
        if redis_answers():
            ways["shared, Redis"] = (shared, REDIS_URL)
        else:
            print(f"(no Redis at {REDIS_URL}: the Redis rows are skipped)")
        print(f"one change, then every page's refresh; median of {RUNS} changes\n")
        print(f"{'':<20}{'scenario':<30}{'wall ms':>9}{'CPU ms':>9}{'statements':>12}")
        try:
            for way, (refresh, store) in ways.items():
                use_store(store)
                results = {
                    name: serve(engine, refresh, pages, admin_id)
                    for name, pages in scenarios.items()
                }
                for name, (ms, cpu, count) in results.items():
                    print(f"{way:<20}{name:<30}{ms:>9.1f}{cpu:>9.1f}{count:>12}")
                one = results["1 viewer"]
                for name in list(scenarios)[1:]:
                    label = f"  ratio to 1 viewer: {name.split(', ')[1]}"
                    (ms, cpu, count), (ms_1, cpu_1, count_1) = results[name], one
                    ratios = f"{ms / ms_1:>8.1f}x{cpu / cpu_1:>8.1f}x{count / count_1:>11.1f}x"
                    print(f"{'':<20}{label:<30}{ratios}")
                print(flush=True)
        finally:
            if redis_answers():
                client = redis.Redis.from_url(REDIS_URL)
                tag = views._database(Session(engine))
                keys = list(client.scan_iter(match=f"*:{tag}:*"))
                if keys:
                    client.delete(*keys)
            use_store("")
        dispose_engines()


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else SIZE)
