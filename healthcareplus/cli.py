"""Command line: ``python -m healthcareplus migrate``, ``seed``, ``counters`` and ``worker``.

Uses the database from the settings (``REFLEX_DB_URL`` or ``HCP_DATABASE_URL``). Must not
import reflex: it runs before the app is built (``make db``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from sqlalchemy import func, select

from healthcareplus.core.config import get_settings


def _migrate(_args: argparse.Namespace) -> int:
    from healthcareplus.core.migrations import upgrade

    upgrade()
    print(f"Database migrated: {_safe_url()}")
    return 0


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().effective_database_url).render_as_string(hide_password=True)


def _seed(args: argparse.Namespace) -> int:
    from healthcareplus.core.db import get_engine, session_scope
    from healthcareplus.core.models import City
    from healthcareplus.seed.demo import DEMO_ACCOUNTS, seed_appointments, seed_reference_data

    production = get_settings().env == "production"
    with session_scope() as session:
        has_data = session.execute(select(func.count()).select_from(City)).scalar_one() > 0
        if args.if_empty and has_data:
            print("The database already has data; reference data not seeded.")
        elif production:
            print("Refusing to seed demo accounts with known passwords in production.")
            return 2
        else:
            summary = seed_reference_data(session)
            print(f"Seeded {_safe_url()}: {summary.describe()}")
            print("Demo accounts (development only; change or remove them before going live):")
            for role, email, password in DEMO_ACCOUNTS:
                print(f"  {role.value:<8} {email:<28} {password}")
    if args.appointments:
        if production:
            print("Refusing to generate demo patients and appointments in production.")
            return 2
        started = time.perf_counter()
        created = seed_appointments(get_engine(), count=args.appointments)
        elapsed = time.perf_counter() - started
        rate = created / elapsed if elapsed else 0.0
        print(f"Added {created:,} appointments in {elapsed:.1f} s ({rate:,.0f}/s).")
    return 0


def _counters(args: argparse.Namespace) -> int:
    from healthcareplus.core.db import session_scope
    from healthcareplus.domain.scheduling import tallies

    with session_scope() as session:
        if args.action == "rebuild":
            started = time.perf_counter()
            rows = tallies.rebuild(session)
            print(f"Counters rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s.")
            return 0
        result = tallies.check(session)
    if result.ok:
        print(
            f"Counters match a full recount: {result.appointments:,} appointments, "
            f"{result.rows:,} counter rows."
        )
        return 0
    print("Counters differ from a full recount (run `counters rebuild` to fix them):")
    for line in result.differences:
        print(f"  {line}")
    return 1


def _worker(args: argparse.Namespace) -> int:
    from healthcareplus.worker import run_consumer

    return run_consumer(workers=args.workers, verbose=args.verbose)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m healthcareplus", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    migrate = commands.add_parser("migrate", help="apply the database migrations")
    migrate.set_defaults(handler=_migrate)
    seed = commands.add_parser("seed", help="add demo data (idempotent)")
    seed.add_argument(
        "--if-empty",
        action="store_true",
        help="seed the reference data only when there are no cities yet",
    )
    seed.add_argument(
        "--appointments",
        type=int,
        default=0,
        metavar="N",
        help="also generate N appointments (with patients and payments)",
    )
    seed.set_defaults(handler=_seed)
    counters = commands.add_parser(
        "counters",
        help="rebuild the dashboard's appointment counters, or check them against a recount",
    )
    counters.add_argument("action", choices=("check", "rebuild"))
    counters.set_defaults(handler=_counters)
    worker = commands.add_parser(
        "worker",
        help="run the job worker (payment sweep, hold expiry, message delivery) until "
        "SIGTERM or SIGINT",
    )
    worker.add_argument(
        "--workers", type=int, default=2, metavar="N", help="worker threads (default 2)"
    )
    worker.add_argument("--verbose", action="store_true", help="log every task run")
    worker.set_defaults(handler=_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "appointments", 0) < 0:
        build_parser().error("--appointments must be >= 0")
    if getattr(args, "workers", 1) < 1:
        build_parser().error("--workers must be >= 1")
    return int(args.handler(args))
