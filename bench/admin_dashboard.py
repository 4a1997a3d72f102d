"""How the admin dashboard scales with history, on SQLite and on PostgreSQL.

For each database it loads one history per size (``synthetic_history``: realistic rows
written in bulk, the counters rebuilt, the planner's statistics refreshed), in a
temporary SQLite file or a fresh ``hcp_bench_<random>`` PostgreSQL database dropped at
the end. Then, in rounds (every size and view once per round, so a busy spell of a shared
machine slows every size alike), it times what opening /admin computes on the server:
the landing overview and change marker, the statistic cards, the five charts, the first
page of the appointment table and the first pages of the per-hospital and per-doctor
tables, unfiltered and with three filters. It prints the medians in milliseconds and:

- ``dash``: the dashboard's own figures (all but the landing ``overview``, which is
  shown in its own column; ``total`` includes it);
- ``vs first``: ``dash`` against the same view at the first size (10k by default);
- ``vs floor``: ``dash`` against a bare ``SELECT status, count(*) FROM appointments
  GROUP BY status`` at the first size (what any page that counts appointments pays).

    .venv/bin/python -m bench.admin_dashboard                    # 10k and 100k, both
    .venv/bin/python -m bench.admin_dashboard --sizes 10k,1m,10m --pg-sizes 10k,1m
    .venv/bin/python -m bench.admin_dashboard --only sqlite --runs 15 --json out.json
    .venv/bin/python -m bench.admin_dashboard --keep /tmp/histories   # load once, rerun

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bench import synthetic_history
from healthcareplus.core.db import dispose_engines, get_engine
from healthcareplus.core.dbtypes import utcnow
from healthcareplus.core.formatting import clinic_today
from healthcareplus.core.migrations import upgrade
from healthcareplus.core.models import AppointmentTally
from healthcareplus.core.tally_models import Grain
from healthcareplus.domain.admin import dashboard as admin_dashboard
from healthcareplus.domain.admin import dashboard_breakdowns as admin_dashboard_breakdowns
from healthcareplus.domain.admin import dashboard_charts as admin_dashboard_charts
from healthcareplus.domain.admin.dashboard_table import list_appointments
from healthcareplus.domain.admin.filters import AdminFilters
from healthcareplus.domain.admin.overview import overview

SIZES = (10_000, 100_000)
RUNS = 7
POSTGRES_ADMIN_URL = os.environ.get(
    "HCP_BENCH_POSTGRES_URL",
    os.environ.get(
        "HCP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    ),
)
PARTS = ("overview", "cards", "charts", "table", "tables")
Step = Callable[[Session, AdminFilters, datetime], object]


def _overview(db: Session, filters: AdminFilters, now: datetime) -> object:
    return overview(db, now=now)


def _cards(db: Session, filters: AdminFilters, now: datetime) -> object:
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


STEPS: dict[str, Step] = {
    "overview": _overview,
    "cards": _cards,
    "charts": _charts,
    "table": _table,
    "tables": _tables,
}


@dataclass
class Samples:
    """One view's runs at one size: milliseconds per part, per run."""

    parts: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PARTS})

    def add(self, run: dict[str, float]) -> None:
        for part, ms in run.items():
            self.parts[part].append(ms)

    def median(self, part: str) -> float:
        return statistics.median(self.parts[part])

    @property
    def dash(self) -> float:
        """The median of the runs' totals without the overview."""
        runs = zip(*(v for p, v in self.parts.items() if p != "overview"), strict=True)
        return statistics.median(sum(r) for r in runs)

    @property
    def total(self) -> float:
        return statistics.median(sum(r) for r in zip(*self.parts.values(), strict=True))


def open_dashboard(engine: Engine, filters: AdminFilters, now: datetime) -> dict[str, float]:
    """One opening of /admin, its own session: milliseconds per part."""
    run: dict[str, float] = {}
    with Session(engine) as db:
        for part, step in STEPS.items():
            started = time.perf_counter()
            step(db, filters, now)
            run[part] = (time.perf_counter() - started) * 1000
    return run


FLOOR = sa.text("SELECT status, count(*) FROM appointments GROUP BY status")


def time_floor(engine: Engine) -> float:
    """The bare GROUP BY status over the appointments (ms)."""
    with engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(FLOOR).all()
        return (time.perf_counter() - started) * 1000


def variants(engine: Engine, now: datetime) -> dict[str, AdminFilters]:
    """Unfiltered; the busiest hospital over the last 60 days; the busiest doctor's
    successful payments (chosen from the counters of one history; every history has the
    same doctors and hospitals); every doctor and hospital over the last 30 days."""
    t = AppointmentTally

    def busiest(grain: Grain, key: sa.ColumnElement[int]) -> int:
        with Session(engine) as db:
            found = db.exec(
                select(key)
                .where(col(t.grain) == int(grain))
                .group_by(key)
                .order_by(sa.func.sum(col(t.bookings)).desc(), key)
            ).first()
        assert found is not None
        return int(found)

    today = clinic_today(now)
    return {
        "unfiltered": AdminFilters(),
        "hospital + 60 days": AdminFilters(
            hospital_id=busiest(Grain.HOSPITAL, col(t.hospital_id)),
            date_from=today - timedelta(days=59),
            date_to=today,
        ),
        "doctor + Success": AdminFilters(
            doctor_id=busiest(Grain.DOCTOR, col(t.doctor_id)), payment_status="Success"
        ),
        "last 30 days": AdminFilters(date_from=today - timedelta(days=29), date_to=today),
    }


# --- the databases ----------------------------------------------------------------------------


@dataclass
class Places:
    """Where the histories live: new ones (removed at the end) or kept ones (``--keep``)."""

    keep: Path | None
    now: datetime
    made: list[str] = field(default_factory=list)  # PostgreSQL databases to drop
    folder: Path = field(init=False)

    def __post_init__(self) -> None:
        if not self.keep:
            self.folder = Path(tempfile.mkdtemp(prefix="hcp_bench_"))
            return
        self.keep.mkdir(parents=True, exist_ok=True)
        self.folder = self.keep
        state = self.keep / "now.txt"
        if state.exists():
            self.now = datetime.fromisoformat(state.read_text().strip())
        else:
            state.write_text(self.now.isoformat())

    def url(self, database: str, size: int) -> tuple[str, bool]:
        """The history's URL, and whether it is loaded already (kept from a run before)."""
        if database == "SQLite":
            path = self.folder / f"history_{size}.db"
            ready = self.keep is not None and (self.folder / f"history_{size}.ok").exists()
            if not ready:
                for stale in self.folder.glob(f"history_{size}.db*"):
                    stale.unlink()
            return f"sqlite:///{path}", ready
        name = f"hcp_bench_keep_{size}" if self.keep else f"hcp_bench_{uuid.uuid4().hex[:10]}"
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                exists = conn.execute(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ).first()
                ready = exists is not None and (self.folder / f"{name}.ok").exists()
                if not ready:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        if not self.keep:
            self.made.append(name)
        return url, ready

    def loaded(self, url: str) -> None:
        if self.keep:
            name = url.rsplit("/", 1)[1].removesuffix(".db")
            (self.folder / f"{name}.ok").write_text("loaded\n")

    def close(self) -> None:
        dispose_engines()
        if self.made:
            admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in self.made:
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if not self.keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def load(places: Places, database: str, size: int) -> Engine:
    """A database holding a history of ``size`` appointments."""
    url, ready = places.url(database, size)
    engine = get_engine(url)
    if ready:
        print(f"{size:>11,} appointments: kept from before", flush=True)
        return engine
    started = time.perf_counter()
    upgrade(url)
    history = synthetic_history.prepare(engine, now=places.now)
    steps = synthetic_history.add_appointments(engine, history, first=0, count=size)
    took = ", ".join(f"{k} {v:.0f} s" for k, v in steps.items())
    print(
        f"{size:>11,} appointments loaded in {time.perf_counter() - started:.0f} s ({took}); "
        f"{len(history.doctors)} doctors, {len(history.patients):,} patients",
        flush=True,
    )
    places.loaded(url)
    return engine


# --- the runs ---------------------------------------------------------------------------------


@dataclass
class Result:
    database: str
    sizes: list[int]
    floors: dict[int, list[float]] = field(default_factory=dict)  # ms, per size, per round
    views: dict[int, dict[str, Samples]] = field(default_factory=dict)


COVERING = ("bench_tallies_by_key", "bench_tallies_by_day")


def covering_index(engine: Engine, wanted: bool) -> None:
    """An experiment, not the app's schema: indexes holding the counters' amounts, so
    their rows are summed from an index alone: one along the key (a doctor's or a
    hospital's days), one along (grain, day) (every doctor's days); PostgreSQL: the
    amounts ``INCLUDE``d."""
    indexes = sa.inspect(engine).get_indexes("appointment_tallies")
    if wanted == all(any(i["name"] == name for i in indexes) for name in COVERING):
        return
    kind = "status, payment_status, payment_method"
    leading = {
        COVERING[0]: (f"grain, doctor_id, hospital_id, day, {kind}", "bookings, fee_paise"),
        COVERING[1]: ("grain, day", f"doctor_id, hospital_id, {kind}, bookings, fee_paise"),
    }
    with engine.begin() as conn:
        for name, (key, amounts) in leading.items():
            conn.execute(sa.text(f"DROP INDEX IF EXISTS {name}"))
            if not wanted:
                continue
            columns = (
                f"({key}) INCLUDE ({amounts})"
                if engine.dialect.name == "postgresql"
                else f"({key}, {amounts})"
            )
            conn.execute(sa.text(f"CREATE INDEX {name} ON appointment_tallies {columns}"))
    synthetic_history.analyze(engine)


def run(
    database: str, places: Places, sizes: list[int], runs: int, *, covering: bool = False
) -> Result:
    """Load a history per size, then time every size and view in ``runs`` rounds, the
    sizes one after the other within a round: a busy spell of the machine then slows
    every size alike instead of one of them."""
    print(f"\n== {database}" + (" (with covering indexes on the counters)" if covering else ""))
    engines = {size: load(places, database, size) for size in sizes}
    for engine in engines.values():
        covering_index(engine, covering)
    chosen = variants(engines[sizes[0]], places.now)
    result = Result(database, sizes)
    result.views = {size: {name: Samples() for name in chosen} for size in sizes}
    result.floors = {size: [] for size in sizes}
    for engine in engines.values():  # warm: caches, compiled statements
        time_floor(engine)
        for filters in chosen.values():
            open_dashboard(engine, filters, places.now)
    for _ in range(runs):
        for size, engine in engines.items():
            result.floors[size].append(time_floor(engine))
            for name, filters in chosen.items():
                result.views[size][name].add(open_dashboard(engine, filters, places.now))
    report(result, runs)
    return result


def report(result: Result, runs: int) -> None:
    first = result.sizes[0]
    floor = statistics.median(result.floors[first])
    print(
        f"median of {runs} rounds, ms; floor = GROUP BY status at {first:,}: {floor:.1f} ms "
        f"(at each size: "
        + ", ".join(f"{s:,}: {statistics.median(result.floors[s]):.1f}" for s in result.sizes)
        + ")"
    )
    print(
        f"{'size':>11} {'view':<19}"
        + "".join(f"{p:>9}" for p in PARTS)
        + f"{'dash':>9}{'total':>9}{'vs first':>10}{'vs floor':>10}"
    )
    for size in result.sizes:
        for name, samples in result.views[size].items():
            base = result.views[first][name].dash
            cells = "".join(f"{samples.median(p):>9.1f}" for p in PARTS)
            print(
                f"{size:>11,} {name:<19}{cells}{samples.dash:>9.1f}{samples.total:>9.1f}"
                f"{samples.dash / base:>9.2f}x{samples.dash / floor:>9.2f}x",
                flush=True,
            )


def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="SQLite sizes, e.g. 10k,1m,10m")
    parser.add_argument("--pg-sizes", default="", help="PostgreSQL sizes (default: --sizes)")
    parser.add_argument("--only", choices=("sqlite", "postgres"), default=None)
    parser.add_argument("--runs", type=int, default=RUNS, help="rounds to take the median of")
    parser.add_argument("--json", type=Path, default=None, help="also write the samples here")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep the histories in (and reuse them from) here"
    )
    parser.add_argument(
        "--covering-index",
        dest="covering",
        action="store_true",
        help="experiment: add indexes covering the counters' amounts first",
    )
    args = parser.parse_args()
    sizes = [_size(s) for s in args.sizes.split(",") if s.strip()]
    pg_sizes = [_size(s) for s in args.pg_sizes.split(",") if s.strip()] or sizes
    places = Places(args.keep, utcnow())
    results: list[Result] = []
    try:
        if args.only != "postgres":
            results.append(run("SQLite", places, sizes, args.runs, covering=args.covering))
        if args.only != "sqlite":
            try:
                pg = run("PostgreSQL", places, pg_sizes, args.runs, covering=args.covering)
                results.append(pg)
            except sa.exc.OperationalError as error:
                print(f"\n== PostgreSQL skipped: {POSTGRES_ADMIN_URL} does not answer ({error})")
    finally:
        places.close()
    if args.json:
        args.json.write_text(json.dumps([_plain(r) for r in results], indent=2))


def _plain(result: Result) -> dict[str, object]:
    return {
        "database": result.database,
        "sizes": result.sizes,
        "floor_ms": result.floors,
        "views": {
            size: {name: samples.parts for name, samples in views.items()}
            for size, views in result.views.items()
        },
    }


if __name__ == "__main__":
    main()
